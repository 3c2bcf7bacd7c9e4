import { join } from 'node:path';
import { guidepost } from './cli.fixture.ts';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient } from '../jobs/github/client.ts';
import { isPermanent } from '../jobs/github/errors.ts';
import { SYNC_ORG, syncOrgJobKey, syncTasks, type SyncServices } from '../jobs/github/sync.ts';
import { enqueue, listFailed } from '../jobs/queue.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { allTasks } from '../jobs/tasks.ts';
import type { Db } from '../server/db/connect.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import type { SimOrg } from '../simulator/model.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestApp, createTestDb, tempDir, type TestDb } from './harness.ts';
import { domainCounts, expectedCounts, SINCE } from './sync.fixture.ts';
import { expectValidResponse } from './simulator.openapi.ts';

// "No access to one repo → skip it with a warning, sync the rest" (issue 3, Build 1 and 7).
// GitHub lists only the repos a token can see, so a sync meets an inaccessible repo when it
// learnt of it earlier: from the listing at the start of this sync (access removed while it
// runs), from an earlier sync, or from `--repos`. Each case is played against the simulator.

/** A logger whose lines the test can read: the sync's warnings are part of what the user sees. */
function captureLogger() {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

function servicesFor(sim: RunningSimulator, logger: pino.Logger) {
  const gh = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger, concurrency: 4, retryBaseMs: 20 });
  const services: SyncServices = { clientFor: async () => gh, dataDir: '/nonexistent', backfillDays: 365, onRepoSynced: [], knowledge: false };
  return services;
}

/** The org as the token sees it once `hidden` is gone: what the other repos' rows must equal. */
function withoutRepo(org: SimOrg, hidden: string): SimOrg {
  return { ...org, pulls: org.pulls.filter((p) => p.repo !== hidden) };
}

async function syncStatus(t: TestDb) {
  const res = await createTestApp(t).request('http://127.0.0.1/api/sync');
  expect(res.status).toBe(200);
  return (await res.json()) as { repos: { repo: string; status: string; lastError: string | null }[]; errors: string[]; failedJobs: unknown[] };
}

async function pullsOf(db: Db, repo: string): Promise<number> {
  const r = await db.selectFrom('pull_requests').innerJoin('repos', 'repos.id', 'pull_requests.repo_id').select((eb) => eb.fn.countAll<number>().as('n')).where('repos.name', '=', repo).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('the simulated GitHub, for a token without access to one repo', () => {
  let sim: RunningSimulator;
  let hidden: string;
  beforeAll(async () => {
    const org = generateOrg({ seed: 3, scale: 'tiny' });
    hidden = org.repos[0]!.name;
    sim = await startSimulator({ org, hiddenRepos: [hidden.toUpperCase()] });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });
  const get = (path: string) => fetch(`${sim.url}${path}`, { headers: { authorization: `token ${sim.token}` } });

  it('leaves it out of the org listing and answers GitHub’s 404 on its routes', async () => {
    const o = sim.org.org.login;
    const list = await get(`/orgs/${o}/repos?per_page=100`);
    const repos = (await list.json()) as { name: string }[];
    expectValidResponse('/orgs/{org}/repos', repos);
    expect(repos.map((r) => r.name).sort()).toEqual(sim.org.repos.map((r) => r.name).filter((n) => n !== hidden).sort());
    for (const path of [`/repos/${o}/${hidden}`, `/repos/${o}/${hidden}/pulls?state=all`, `/repos/${o}/${hidden}/pulls/comments`, `/repos/${o}/${hidden.toUpperCase()}/pulls/1/reviews`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    }
    // git authenticates with Basic credentials, the token as password.
    const gitGet = (path: string) => fetch(`${sim.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`x-access-token:${sim.token}`).toString('base64')}` } });
    const git = await gitGet(`/git/${o}/${hidden}.git/info/refs?service=git-upload-pack`);
    expect(git.status).toBe(404);
    expect(await git.text()).toBe('Repository not found.\n');
    expect((await gitGet(`/git/${o}/${sim.org.repos[1]!.name}.git/info/refs?service=git-upload-pack`)).status).toBe(200);
  }, 30_000);

  it('refuses to hide a repo the org does not have (a typo in a test would hide nothing)', async () => {
    expect(() => sim.setHiddenRepos(['no-such-repo'])).toThrow(/no repository named no-such-repo/);
  });

  it('answers GraphQL repository() with null and a NOT_FOUND error, beside the repos it can see', async () => {
    const o = sim.org.org.login;
    const seen = sim.org.repos[1]!.name;
    const res = await fetch(`${sim.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${sim.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ a: repository(owner: "${o}", name: "${seen}") { name } b: repository(owner: "${o}", name: "${hidden}") { name } organization(login: "${o}") { repositories(first: 100) { nodes { name } } } }` }),
    });
    const body = (await res.json()) as { data: Record<string, unknown>; errors: unknown[] };
    expect(body.data.a).toEqual({ name: seen });
    expect(body.data.b).toBeNull();
    expect(body.errors).toEqual([{ type: 'NOT_FOUND', path: ['b'], locations: [expect.any(Object)], message: `Could not resolve to a Repository with the name '${o}/${hidden}'.` }]);
    const listed = (body.data.organization as { repositories: { nodes: { name: string }[] } }).repositories.nodes.map((n) => n.name);
    expect(listed).not.toContain(hidden);
    expect(listed).toContain(seen);
  });
});

describe('a sync that loses access to one repo', () => {
  let sim: RunningSimulator;
  let hidden: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, scale: 'small', git: false });
    hidden = sim.org.repos[1]!.name;
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('after the org listing: skips that repo with a warning a user can act on, and syncs every other repo fully', async () => {
    const t = await createTestDb();
    try {
      sim.setHiddenRepos([]);
      const { logger, lines } = captureLogger();
      const services = servicesFor(sim, logger);
      const org = sim.org.org.login;
      // The org job lists every repo and queues one job each; then access to one is removed.
      await enqueue(t.db, { task: SYNC_ORG, key: syncOrgJobKey(org), payload: { org, since: SINCE }, maxAttempts: 3 });
      await createRunner({ db: t.db, logger, tasks: { [SYNC_ORG]: syncTasks[SYNC_ORG]! }, services, backoffBaseMs: 50, isPermanent }).drain();
      const queued = await t.db.selectFrom('jobs').select('payload').where('task', '=', 'github.sync_repo').execute();
      expect(queued.map((j) => (JSON.parse(j.payload) as { repo: string }).repo)).toContain(hidden);
      sim.setHiddenRepos([hidden]);
      await createRunner({ db: t.db, logger, tasks: allTasks(), services, concurrency: 8, backoffBaseMs: 50, isPermanent }).drain();

      expect(await listFailed(t.db)).toEqual([]);
      expect(await domainCounts(t.db)).toEqual(expectedCounts(withoutRepo(sim.org, hidden)));
      expect(await pullsOf(t.db, hidden)).toBe(0);
      const full = `${org}/${hidden}`;
      expect(lines.filter((l) => l.level === 40).map((l) => [l.repo, l.msg])).toContainEqual([full, 'no access to a repository; skipped it']);
      const status = await syncStatus(t);
      const row = status.repos.find((r) => r.repo === full);
      expect(row?.status).toBe('failed');
      expect(row?.lastError).toContain(`no access to ${full}`);
      expect(status.errors).toEqual([row!.lastError]);
      expect(status.repos.filter((r) => r.repo !== full).every((r) => r.status === 'done')).toBe(true);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('since the last sync: the next sync skips that repo, says so, and picks up what changed elsewhere', async () => {
    const t = await createTestDb();
    try {
      sim.setHiddenRepos([]);
      const { logger, lines } = captureLogger();
      const services = servicesFor(sim, logger);
      const { syncNow } = await import('../jobs/github/sync-now.ts');
      const org = sim.org.org.login;
      expect(await syncNow(t.db, logger, services, { org, since: SINCE, backoffBaseMs: 50 })).toEqual([]);
      const before = await pullsOf(t.db, hidden);
      expect(before).toBeGreaterThan(0);

      sim.setHiddenRepos([hidden]);
      const evolved = (await (await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: JSON.stringify({ newPulls: 10, newReviewsOnOldPulls: 4, lateMerges: 2 }) })).json()) as { newPulls: { repo: string }[] };
      expect(evolved.newPulls.some((p) => p.repo === hidden)).toBe(true);
      expect(await syncNow(t.db, logger, services, { org, since: SINCE, backoffBaseMs: 50 })).toEqual([]);

      // Every other repo is current; the hidden one keeps what the last sync stored, no more.
      const want = expectedCounts(withoutRepo(sim.org, hidden));
      const got = await domainCounts(t.db);
      expect(got.pull_requests).toBe(want.pull_requests + before);
      expect(await pullsOf(t.db, hidden)).toBe(before);
      for (const repo of sim.org.repos.filter((r) => r.name !== hidden)) expect(await pullsOf(t.db, repo.name), repo.name).toBe(sim.org.pulls.filter((p) => p.repo === repo.name).length);
      const full = `${org}/${hidden}`;
      expect(lines.filter((l) => l.level === 40).map((l) => [l.repo, l.msg])).toContainEqual([full, 'no access to a repository; skipped it']);
      const status = await syncStatus(t);
      expect(status.errors.join('\n')).toContain(full);
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe('guidepost sync (the CLI) when a repo is not accessible', () => {
  let sim: RunningSimulator;
  const dir = tempDir();
  beforeAll(async () => {
    sim = await startSimulator({ seed: 4, scale: 'tiny', git: false });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    dir.cleanup();
  });

  function cli(dbPath: string, extra: string[] = []) {
    return guidepost(['sync', '--org', sim.org.org.login, '--api-url', sim.url, '--since', SINCE, '--db', dbPath, '--no-knowledge', ...extra], 120_000, { GITHUB_TOKEN: sim.token, GUIDEPOST_LOG_LEVEL: 'info' });
  }

  it('--repos naming a repo the token cannot see: warns about it by name, syncs the other, exits 0', async () => {
    const [hidden, seen] = sim.org.repos.map((r) => r.name) as [string, string];
    sim.setHiddenRepos([hidden]);
    const r = await cli(join(dir.dir, 'repos.db'), ['--repos', `${seen},${hidden}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(hidden);
    expect(r.stderr).toMatch(/not visible/);
    expect(r.stderr).not.toContain(sim.token);
    expect(r.stdout).toContain(`Synced ${sim.org.org.login}: 1 repos, ${sim.org.pulls.filter((p) => p.repo === seen).length} pull requests`);
  }, 120_000);

  it('a repo whose access was removed since the last sync: warns about it by name and exits 0', async () => {
    const [hidden] = sim.org.repos.map((r) => r.name) as [string];
    sim.setHiddenRepos([]);
    const dbPath = join(dir.dir, 'later.db');
    const first = await cli(dbPath);
    expect(first.code, first.stderr).toBe(0);
    sim.setHiddenRepos([hidden]);
    const r = await cli(dbPath);
    expect(r.code, r.stderr).toBe(0);
    // A plain "warning:" line, as for other skipped repos, besides the log line.
    expect(r.stderr).toMatch(new RegExp(`^warning: .*no access to ${sim.org.org.login}/${hidden}`, 'm'));
    expect(r.stdout).toMatch(/^Synced /m);
  }, 120_000);
});
