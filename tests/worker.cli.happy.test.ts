import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { connectOrg, startGuidepost, startServe, stopProc, syncStatus, waitForSync, waitUntil, type Proc } from './worker.fixture.ts';

// The jobs in their own processes: `serve --no-jobs` serves, `guidepost worker` syncs, and they
// meet only in the database. Plain `serve` does both, its jobs in a child worker it restarts.

let sim: RunningSimulator;
const dirs: { cleanup(): void }[] = [];
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, scale: 'tiny' });
}, 60_000);
afterAll(async () => {
  await sim?.close();
  for (const d of dirs) d.cleanup();
});

function freshConfig() {
  const d = tempDir();
  dirs.push(d);
  return serverTestConfig(d.dir);
}

/** The PRs the overview counts in its default window (which ends where the synced history does). */
const overviewPrs = async (url: string) => {
  const res = await fetch(`${url}/api/overview`);
  return res.status === 200 ? ((await res.json()) as { reviews: { prs: number } }).reviews.prs : 0;
};

describe('serve --no-jobs beside a separate worker', { timeout: 180_000 }, () => {
  it('the worker syncs the org to the end; the server shows the data, the worker’s heartbeat and its budget', async () => {
    const config = freshConfig();
    const { proc: serve, url } = await startServe(config, ['--no-jobs']);
    let worker: Proc | undefined;
    try {
      expect(serve.output()).toContain('no jobs');
      await connectOrg(url, { org: sim.org.org.login, apiUrl: sim.url, token: sim.token });
      // Nothing syncs while no worker runs: the job waits, and the status says why.
      await new Promise((r) => setTimeout(r, 1500));
      const waiting = await syncStatus(url);
      expect(waiting.queued).toBe(1);
      expect(waiting.workers.running).toBe(0);
      expect(waiting.workers.message).toMatch(/No worker is running/);

      worker = startGuidepost(['worker'], config);
      const done = await waitForSync(url, 150_000, worker);
      expect(done.errors).toEqual([]);
      expect(done.repos).toHaveLength(sim.org.repos.length);
      expect(done.workers.running).toBe(1);
      expect(done.workers.message).toBeNull();
      expect(Date.now() - Date.parse(done.workers.lastHeartbeatAt!)).toBeLessThan(30_000);
      // The budget the worker's API client saw, read from its heartbeat by the server.
      const withBudget = await waitUntil('the budget in the heartbeat', async () => {
        const s = await syncStatus(url);
        return s.budget.some((b) => b.org === sim.org.org.login && b.limits.some((l) => l.remaining !== null)) ? s : undefined;
      }, 20_000, worker);
      expect(withBudget.budget.find((b) => b.org === sim.org.org.login)!.limits.length).toBeGreaterThan(0);
      // The signals the worker derived (as a catch-up job) are what the overview reads.
      const prs = await waitUntil('the overview counting PRs', async () => ((await overviewPrs(url)) > 0 ? overviewPrs(url) : undefined), 30_000, worker);
      expect(prs).toBeGreaterThan(0);
      expect(worker.output()).toMatch(/worker .* is running jobs/);
    } finally {
      await stopProc(worker);
      await stopProc(serve);
    }
    // A worker stopped cleanly takes its row with it.
    await expect(worker!.closed).resolves.toMatchObject({ code: 0 });
  });
});

describe('plain serve', { timeout: 180_000 }, () => {
  it('runs the sync in a child worker, and a killed child is started again', async () => {
    const config = freshConfig();
    const { proc: serve, url } = await startServe(config);
    try {
      const childPid = await waitUntil('the child worker starting', () => /"workerPid":(\d+).*worker process started/.exec(serve.output())?.[1], 30_000, serve);
      await connectOrg(url, { org: sim.org.org.login, apiUrl: sim.url, token: sim.token });
      const done = await waitForSync(url, 150_000, serve);
      expect(done.errors).toEqual([]);
      expect(done.workers.running).toBe(1);
      // The child is another process than the server, at a lower CPU priority (reads go first).
      expect(Number(childPid)).not.toBe(serve.child.pid);
      expect(getPriority(Number(childPid))).toBe(Math.min(19, getPriority(serve.child.pid!) + 10));

      process.kill(Number(childPid), 'SIGKILL');
      await waitUntil('the server saying the worker died', () => (/the worker process exited/.test(serve.output()) ? true : undefined), 10_000, serve);
      const again = await waitUntil('a new child worker', () => {
        const pids = [...serve.output().matchAll(/"workerPid":(\d+)[^\n]*worker process started/g)].map((m) => m[1]);
        return pids.length >= 2 ? pids.at(-1) : undefined;
      }, 20_000, serve);
      expect(again).not.toBe(childPid);
      // The new child runs jobs: a sync asked for now finishes.
      const me = await fetch(`${url}/api/auth/me`);
      const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
      const res = await fetch(`${url}/api/sync`, { method: 'POST', headers: { cookie: `gp_csrf=${csrf}`, 'x-csrf-token': csrf, origin: url } });
      expect(res.status).toBe(202);
      await waitUntil('the second sync being taken', async () => ((await syncStatus(url)).queued === 0 ? true : undefined), 60_000, serve);
      expect(serve.alive()).toBe(true);
    } finally {
      await stopProc(serve);
    }
    // Stopping the server stops its child too: no worker heartbeat renews after.
    const { code } = await serve.closed;
    expect(code).toBe(0);
  });
});
