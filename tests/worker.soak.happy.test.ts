import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { saveConnection } from '../jobs/github/connect.ts';
import { REPO_KNOWLEDGE, SYNC_ORG, SYNC_REPO, syncOrgJobKey } from '../jobs/github/sync.ts';
import { enqueue } from '../jobs/queue.ts';
import { createTestDb, testEngine, type TestDb } from './harness.ts';
import { domainSnapshot, SINCE, snapshotDiff, type DomainSnapshot } from './sync.fixture.ts';
import { startGuidepost, stopProc, waitUntil, type Proc } from './worker.fixture.ts';

// Two `guidepost worker` processes share one queue (PostgreSQL when the suite runs there, else
// one SQLite file); one is SIGKILLed while it holds jobs. The other finishes everything: the
// domain tables equal a clean one-worker run's, and the API calls exceed the clean run's only by
// what the killed worker's jobs cost again. Every other job ran exactly once.

let sim: RunningSimulator;
beforeAll(async () => {
  // A latency per request, so the sync lasts seconds and the kill lands inside it.
  sim = await startSimulator({ seed: 7, scale: 'small', latencyMs: 15 });
}, 120_000);
afterAll(async () => {
  await sim?.close();
});

/**
 * What one request served: the REST API of a repo (`api:name`), its git (`git:name`), GraphQL
 * (`graphql`: the repos' PR pages; one path for all, so shared by every repo job), or the org's
 * REST (`org`: listings, teams).
 */
function bucketOf(path: string): string {
  if (path === 'POST /graphql') return 'graphql';
  const git = /^\w+ \/git\/[^/]+\/([^/]+)\.git\//.exec(path);
  if (git) return `git:${git[1]!.toLowerCase()}`;
  const repo = /^\w+ \/repos\/[^/]+\/([^/]+)/.exec(path);
  return repo ? `api:${repo[1]!.toLowerCase()}` : 'org';
}

/** Requests served per bucket since `before` (a copy of sim.stats().paths). */
function callsSince(before: Record<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [path, n] of Object.entries(sim.stats().paths)) {
    const d = n - (before[path] ?? 0);
    if (d > 0) out.set(bucketOf(path), (out.get(bucketOf(path)) ?? 0) + d);
  }
  return out;
}

/** The bucket a job's requests fall in, from its task and key. */
function bucketOfJob(task: string, key: string | null): string {
  const name = (key ?? '').split('/').pop()!.toLowerCase();
  if (task === SYNC_REPO) return `api:${name}`; // and graphql
  if (task === REPO_KNOWLEDGE) return `git:${name}`;
  return 'org';
}

async function prepare(): Promise<TestDb> {
  const t = await createTestDb();
  const org = sim.org.org.login;
  await saveConnection(t.db, t.config, { org, apiUrl: sim.url, auth: { kind: 'token', token: sim.token } });
  await enqueue(t.db, { task: SYNC_ORG, key: syncOrgJobKey(org), payload: { org, since: SINCE } });
  return t;
}

/** Until the queue is empty (every job done: done jobs are deleted, given-up ones stay). */
async function allDone(t: TestDb, timeoutMs: number, procs: Proc[]): Promise<void> {
  await waitUntil(
    'every job finishing',
    async () => {
      const left = await t.db.selectFrom('jobs').select(['task', 'key', 'attempts', 'max_attempts', 'last_error']).execute();
      const gaveUp = left.filter((j) => j.attempts >= j.max_attempts);
      if (gaveUp.length > 0) throw new Error(`jobs gave up: ${JSON.stringify(gaveUp)}`);
      return left.length === 0 ? true : undefined;
    },
    timeoutMs,
    procs.at(-1),
  );
}

describe(`two workers on one ${testEngine} queue, one SIGKILLed mid-sync`, { timeout: 400_000 }, () => {
  let clean: { snapshot: DomainSnapshot; calls: Map<string, number>; total: number };

  it('a clean run with one worker, for reference', async () => {
    const t = await prepare();
    const worker = startGuidepost(['worker'], t.config);
    try {
      const before = { ...sim.stats().paths };
      const start = sim.stats().total;
      const began = Date.now();
      await allDone(t, 180_000, [worker]);
      clean = { snapshot: await domainSnapshot(t.db), calls: callsSince(before), total: sim.stats().total - start };
      // Long enough that a kill lands in the middle (the next test waits for a fifth of these
      // calls with a repo's sync held before it kills): seconds, on an idle 2-core machine 2–3 s.
      expect(Date.now() - began).toBeGreaterThan(1000);
      expect(clean.snapshot.pull_requests.length).toBeGreaterThan(100);
    } finally {
      await stopProc(worker);
      await t.close();
    }
  });

  it('the survivor finishes the killed worker’s jobs: the same tables, and only those jobs’ calls twice', async () => {
    expect(clean, 'the clean run failed').toBeDefined();
    const t = await prepare();
    const before = { ...sim.stats().paths };
    const start = sim.stats().total;
    const workers = [startGuidepost(['worker'], t.config), startGuidepost(['worker'], t.config)];
    let victim: Proc | undefined;
    let survivor: Proc | undefined;
    try {
      // Mid-sync: a worker holds a repo's sync, and a fifth of the clean run's calls are made.
      // Whichever worker claimed first is killed: the queue decides which one that is.
      victim = await waitUntil(
        'a worker holding a repo sync mid-way',
        async () => {
          const held = await t.db.selectFrom('jobs').select('locked_by').where('task', '=', SYNC_REPO).where('locked_by', 'is not', null).execute();
          const holder = workers.find((w) => held.some((j) => j.locked_by!.startsWith(`${hostname()}:${w.child.pid}:`)));
          return holder && sim.stats().total - start > clean.total / 5 ? holder : undefined;
        },
        120_000,
        workers[0],
      );
      survivor = workers.find((w) => w !== victim)!;
      const mine = `${hostname()}:${victim.child.pid}:%`;
      victim.child.kill('SIGKILL');
      await victim.closed;
      // Locks stay with the dead worker until the survivor frees them: these are its jobs.
      const held = await t.db.selectFrom('jobs').select(['task', 'key']).where('locked_by', 'like', mine).execute();
      expect(held.length).toBeGreaterThan(0);

      await allDone(t, 240_000, [survivor]);
      expect(snapshotDiff(await domainSnapshot(t.db), clean.snapshot)).toEqual([]);

      // No job done twice: each bucket costs what it cost in the clean run, except those of the
      // killed worker's jobs, which may cost up to once more (redone from their last bookmark).
      const calls = callsSince(before);
      const redone = new Set(held.map((j) => bucketOfJob(j.task, j.key)));
      if (held.some((j) => j.task === SYNC_REPO)) redone.add('graphql');
      const report = JSON.stringify({ held, clean: Object.fromEntries(clean.calls), soak: Object.fromEntries(calls) });
      for (const [bucket, want] of clean.calls) {
        const got = calls.get(bucket) ?? 0;
        if (redone.has(bucket)) expect(got, `${bucket}: ${report}`).toBeLessThanOrEqual(2 * want);
        else expect(got, `${bucket}: ${report}`).toBe(want);
      }
      expect([...calls.keys()].filter((b) => !clean.calls.has(b))).toEqual([]);
      const bound = [...redone].reduce((sum, b) => sum + (clean.calls.get(b) ?? 0), 0);
      expect(sim.stats().total - start - clean.total, report).toBeLessThanOrEqual(bound);
      expect(survivor.alive()).toBe(true);
    } finally {
      await stopProc(victim ?? workers[0], 'SIGKILL');
      await stopProc(survivor ?? workers[1]);
      await t.close();
    }
  });
});
