import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
let t: TestDb;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  t = await createTestDb();
  const source = join(t.dir, 'origin');
  buildRepo(source, [
    { author: 'Olga <olga@example.com>', date: day(0), add: ['core/a.rs', 'core/b.rs', 'core/c.rs', 'core/d.rs'] },
    { author: 'Pia <1234+pia@users.noreply.github.com>', date: day(100), add: ['ui/x.ts', 'ui/y.ts', 'ui/z.ts'] },
    { author: 'Pia <1234+pia@users.noreply.github.com>', date: day(101), add: ['ui/w.ts'] },
  ]);
  await t.db.insertInto('repos').values([
    { id: 1, owner: 'acme', name: 'engine', full_name: 'acme/engine', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null },
    { id: 2, owner: 'acme', name: 'docs', full_name: 'acme/docs', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null },
  ]).execute();
  // Pia is a GitHub person (her no-reply address names her login); Rui reviews her ui work.
  await t.db.insertInto('people').values([{ id: 10, login: 'pia', name: 'Pia', github_id: 1234, raw_id: null, first_seen_at: null, last_seen_at: null }, { id: 11, login: 'rui', name: 'Rui', github_id: 99, raw_id: null, first_seen_at: null, last_seen_at: null }]).execute();
  await updateRepoHistory(t.db, { repoId: 1, cloneUrl: source, dataDir: t.dir });
  const uiSha = (await t.db.selectFrom('file_changes').select('sha').where('path', '=', 'ui/w.ts').executeTakeFirstOrThrow()).sha;
  await t.db.insertInto('pull_requests').values({ id: 500, repo_id: 1, number: 1, title: 'ui w (#1)', author_id: 10, state: 'merged', created_at: day(100), updated_at: day(101), merged_at: day(101), merge_commit_sha: uiSha, node_id: null, head_ref: null, ready_at: null, closed_at: day(101), merged_by_id: 10, raw_id: null }).execute();
  await t.db.insertInto('reviews').values({ id: 900, pull_request_id: 500, reviewer_id: 11, state: 'APPROVED', submitted_at: day(101), raw_id: null }).execute();
  await computeRepoKnowledge(t.db, { repoId: 1, now: day(120) });
  app = createTestApp(t);
});
afterAll(async () => t.close());

describe('GET /api/knowledge', () => {
  it('lists every repo with its truck factor, marking those not analysed yet', async () => {
    const res = await app.request('/api/knowledge');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { repos: { repo: string; analysed: boolean; truckFactor: number | null }[] };
    expect(body.repos.map((r) => [r.repo, r.analysed, r.truckFactor])).toEqual([
      ['acme/docs', false, null],
      ['acme/engine', true, 2],
    ]);
  });
});

describe('GET /api/knowledge/:owner/:repo', () => {
  it('shows TF people with their files, owners, reviewers, islands and orphaned areas', async () => {
    const res = await app.request('/api/knowledge/acme/engine');
    expect(res.status).toBe(200);
    const k = (await res.json()) as Record<string, any>;
    expect(k.truckFactor).toBe(2);
    // Olga's last commit is 120 days before now: departed. Without her only Pia is left.
    expect(k.truckFactorWithoutDeparted).toBe(1);
    // Olga and Pia author 4 of 8 files each (tie broken by key): after one, 4/8 are still covered.
    expect(k.truckFactorPeople.map((p: any) => [p.name, p.login, p.departed, p.coveredFiles.length])).toEqual([
      ['Olga', null, true, 4],
      ['pia', 'pia', false, 4],
    ]);
    expect(k.truckFactorPeopleWithoutDeparted.map((p: any) => p.name)).toEqual(['pia']);
    const ui = k.directories.find((d: any) => d.directory === 'ui');
    expect(ui).toMatchObject({ files: 4, reviewers: ['rui'], knowers: 2, island: false, fragmentation: 0 });
    const core = k.directories.find((d: any) => d.directory === 'core');
    expect(core).toMatchObject({ island: false, orphaned: true, orphanedFiles: 4, soleOwner: 'Olga', knowers: 0 });
    expect(k.orphanedAreas).toEqual([{ directory: 'core', files: 4, authors: ['Olga'], paths: ['core/a.rs', 'core/b.rs', 'core/c.rs', 'core/d.rs'] }]);
    expect(k.orphanedFiles).toBe(4);
    expect(k.soleOwnerDeparted).toEqual([{ directory: 'core', owner: 'Olga', files: 4 }]);
    expect(k.islands).toEqual([]);
    expect(k.trend.length).toBeGreaterThanOrEqual(4);
  });
});
