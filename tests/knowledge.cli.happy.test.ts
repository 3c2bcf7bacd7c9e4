import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const repo = join(tmp.dir, 'repo');
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
buildRepo(repo, [
  // Mona owns services/billing alone; Lars wrote core long ago and left; both touch the rest.
  { author: 'Lars <lars@example.com>', date: day(0), add: ['core/a.go', 'core/b.go', 'core/c.go', 'README.md'] },
  { author: 'Mona <mona@example.com>', date: day(150), add: ['services/billing/x.py', 'services/billing/y.py', 'services/billing/z.py'] },
  { author: 'Nils <nils@example.com>', date: day(151), add: ['web/app.ts'], label: 'v1' },
  { author: 'Mona <mona@example.com>', date: day(200), modify: ['services/billing/x.py'] },
]);

describe.concurrent('guidepost knowledge PATH', { timeout: 150_000 }, () => {
  it('prints TF, TF people, islands and orphaned areas as JSON', async () => {
    const r = await guidepost(['knowledge', repo, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toBe(7);
    expect(out.authors).toBe(3);
    // Lars 3 files, Mona 3 (tie by key: lars first); after Lars 4/7 covered, after Mona 1/7.
    expect(out.truckFactor).toBe(2);
    expect(out.truckFactorAuthors.map((a: { name: string }) => a.name)).toEqual(['Lars', 'Mona']);
    expect(out.islands).toEqual([{ directory: 'services/billing', owner: 'Mona', files: 3 }]);
    expect(out.orphanedAreas).toEqual([{ directory: 'core', files: 3, authors: ['Lars'] }]);
    expect(out.truckFactorWithoutDeparted).toBe(1);
    expect(out.rev).toMatch(/^[0-9a-f]{40}$/);
  });

  it('analyses an older revision with --rev', async () => {
    const r = await guidepost(['knowledge', repo, '--rev', 'HEAD~1', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.revDate).toBe(day(151));
    expect(out.commits).toBe(3);
    // Lars's last commit is 151 days before this revision: inactive, so core is orphaned here too.
    expect(out.orphanedAreas.map((o: { directory: string }) => o.directory)).toEqual(['core']);
  });

  it('prints a readable summary without --json', async () => {
    const r = await guidepost(['knowledge', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Truck factor: 2');
    expect(r.stdout).toMatch(/services\/billing\s+\(3 files\)\s+Mona/);
  });
});
