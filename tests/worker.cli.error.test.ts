import { afterAll, expect, it } from 'vitest';
import { connectDatabase } from '../server/db/connect.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { guidepost } from './cli.fixture.ts';
import { startGuidepost, startServe, stopProc, syncStatus, waitUntil } from './worker.fixture.ts';

// What the lead sees when the jobs have nobody to run them, and what a wrong flag says.

const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
});
function freshConfig() {
  const d = tempDir();
  dirs.push(d);
  return serverTestConfig(d.dir);
}

it('serve --no-jobs with no worker: GET /api/sync says no worker is running, and no child worker starts', { timeout: 60_000 }, async () => {
  const { proc, url } = await startServe(freshConfig(), ['--no-jobs']);
  try {
    const s = await syncStatus(url);
    expect(s.workers).toEqual({ running: 0, lastHeartbeatAt: null, message: expect.stringMatching(/^No worker is running: sync jobs wait until one starts\. Run guidepost worker/) });
    // The serving process starts no child: nothing but its own line about serving is logged.
    await new Promise((r) => setTimeout(r, 1500));
    expect(proc.output()).not.toMatch(/worker process started|worker .* is running jobs/);
  } finally {
    await stopProc(proc);
  }
});

it('a worker killed without stopping is told gone once its heartbeat is stale, with when it was last heard from', { timeout: 60_000 }, async () => {
  const config = freshConfig();
  const { proc: serve, url } = await startServe(config, ['--no-jobs']);
  const worker = startGuidepost(['worker'], config);
  const db = await connectDatabase(config);
  try {
    const live = await waitUntil('the worker’s heartbeat', async () => {
      const s = await syncStatus(url);
      return s.workers.running === 1 ? s.workers : undefined;
    }, 30_000, worker);
    expect(live.message).toBeNull();
    await stopProc(worker, 'SIGKILL');
    // Its row stays (no clean stop); half a minute on, with no heartbeat since, it is taken for gone.
    const old = new Date(Date.now() - 60_000).toISOString();
    await db.updateTable('workers').set({ heartbeat_at: old }).execute();
    const s = await syncStatus(url);
    expect(s.workers.running).toBe(0);
    expect(s.workers.lastHeartbeatAt).toBe(old);
    expect(s.workers.message).toContain(`the last one was heard from at ${old}`);
  } finally {
    await db.destroy();
    await stopProc(worker, 'SIGKILL');
    await stopProc(serve);
  }
});

it('guidepost worker with a malformed database URL says so in one line, without a stack', { timeout: 60_000 }, async () => {
  const r = await guidepost(['worker', '--database-url', 'not a url']);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^guidepost: .*GUIDEPOST_DATABASE_URL: must be a postgres:\/\/ URL/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
