import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncRuntime, type SyncRuntime } from '../jobs/background-jobs.ts';
import { saveConnection } from '../jobs/github/connect.ts';
import { SYNC_ORG, syncOrgJobKey } from '../jobs/github/sync.ts';
import { enqueue } from '../jobs/queue.ts';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import type { SyncStatus } from '../web/src/lib/types.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// While the server's sync waits for a spent rate limit to reset (up to an hour on GitHub), the
// sync status says so, with the reset time, and does not call it a failure.

describe('GET /api/sync while the sync waits for a rate limit to reset', { timeout: 120_000 }, () => {
  let sim: RunningSimulator;
  let t: TestDb;
  let sync: SyncRuntime;
  beforeAll(async () => {
    // 6 requests (and 6 GraphQL points) an "hour", and an hour lasts 10 s: a wait long enough to see.
    sim = await startSimulator({ seed: 4, scale: 'tiny', git: false, rateLimit: 6, clockSpeed: 360 });
    t = await createTestDb();
    await saveConnection(t.db, t.config, { org: sim.org.org.login, apiUrl: sim.url, auth: { kind: 'token', token: sim.token } });
    sync = createSyncRuntime(t.db, t.config, createLogger('silent'));
    sync.services.knowledge = false; // the simulator serves no git
  }, 60_000);
  afterAll(async () => {
    await sync?.stop();
    await t?.close();
    await sim?.close();
  });

  it('tells the wait with its reset time, apart from the errors, and the sync goes on after it', async () => {
    const app = createApp({ db: t.db, config: t.config, logger: createLogger('silent'), sync }, { webRoot: join(t.dir, 'no-web') });
    const status = async () => (await (await app.request('http://127.0.0.1/api/sync')).json()) as SyncStatus;
    await enqueue(t.db, { task: SYNC_ORG, key: syncOrgJobKey(sim.org.org.login), payload: { org: sim.org.org.login, since: SINCE } });
    sync.start();

    const deadline = Date.now() + 30_000;
    let s = await status();
    while (s.waits.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s.waits.length, JSON.stringify(s.budget)).toBeGreaterThan(0);
    const waiting = s.budget.flatMap((b) => b.limits.filter((l) => l.waitingUntil != null).map((l) => ({ org: b.org, ...l })));
    expect(waiting.length).toBeGreaterThan(0);
    const w = waiting[0]!;
    expect(w.org).toBe(sim.org.org.login);
    // It waits for the reset GitHub announced, a few seconds ahead.
    expect(w.waitingUntil! - Date.now()).toBeGreaterThan(0);
    expect(w.waitingUntil! - Date.now()).toBeLessThan(12_000);
    const hhmm = new Date(w.waitingUntil!).toISOString().slice(11, 16);
    expect(s.waits).toContain(`Waiting for GitHub's rate limit (${w.resource}) of ${sim.org.org.login} to reset at ${hhmm} UTC; the sync goes on by itself then.`);
    expect(s.errors).toEqual([]);

    // After the reset the sync goes on, and ends with nothing left to wait for.
    const end = Date.now() + 90_000;
    while ((s.queued > 0 || s.running) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      s = await status();
    }
    expect(s.queued).toBe(0);
    expect(s.waits).toEqual([]);
    expect(s.repos.every((r) => r.status === 'done')).toBe(true);
    expect(s.errors).toEqual([]);
  });
});
