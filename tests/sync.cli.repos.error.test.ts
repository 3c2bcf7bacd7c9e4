import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// `guidepost sync --repos` with names the organisation has none of: a typo must not pass for a
// successful sync of nothing.

describe('guidepost sync --repos naming no repository of the org', { timeout: 180_000 }, () => {
  let sim: RunningSimulator;
  const dir = tempDir();
  beforeAll(async () => {
    sim = await startSimulator({ seed: 4, scale: 'tiny', git: false });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    dir.cleanup();
  });

  function sync(dbPath: string, repos: string) {
    return guidepost(['sync', '--org', sim.org.org.login, '--api-url', sim.url, '--since', SINCE, '--db', dbPath, '--no-knowledge', '--repos', repos], 120_000, { GITHUB_TOKEN: sim.token, GUIDEPOST_LOG_LEVEL: 'info' });
  }

  /** The line that says why: the last one, after the progress bar. */
  const lastLine = (stderr: string) => stderr.trim().split('\n').at(-1)!;

  it('fails with exit code 1, naming the unknown repos and some known ones, and syncs no pull request', async () => {
    const dbPath = join(dir.dir, 'nope.db');
    const r = await sync(dbPath, 'nope,also-nope');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/Synced/);
    const line = lastLine(r.stderr);
    const names = sim.org.repos.map((x) => x.name).sort();
    expect(line).toMatch(new RegExp(`^guidepost: ${sim.org.org.login} has no repository named nope or also-nope that this token can see\\. Its repositories include `));
    expect(line).toContain(names[0]);
    expect(line).not.toContain(sim.token);
    const db = new SQLite(dbPath, { readonly: true });
    try {
      expect((db.prepare('select count(*) as n from pull_requests').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });

  it('matches names whatever their case, as GitHub does', async () => {
    const name = sim.org.repos[0]!.name;
    const r = await sync(join(dir.dir, 'case.db'), name.toUpperCase());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`, ${sim.org.pulls.filter((p) => p.repo === name).length} pull requests`);
  });
});
