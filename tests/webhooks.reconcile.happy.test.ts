import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import type { SyncStatus } from '../web/src/lib/types.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { domainSnapshot, snapshotDiff } from './sync.fixture.ts';

// Issue 15: "after missed deliveries, the next sync makes the database equal to a sync-only run".
// Two real servers with their job runners sync the same org (same seed). The org evolves the same
// way under both; one is told by the simulator's signed webhooks, half of which are dropped on
// purpose, the other is not. After one more sync each, their domain tables are equal.
const SECRET = 'reconcile-webhook-secret-0123456789';
const EVOLVE = JSON.stringify({ newPulls: 6, newReviewsOnOldPulls: 4, lateMerges: 2 });

interface Side {
  dir: ReturnType<typeof tempDir>;
  server: RunningServer;
  sim: RunningSimulator;
}
let fed: Side;
let polled: Side;

async function side(webhookSecret: boolean): Promise<Side> {
  const dir = tempDir('guidepost-reconcile-');
  const config = serverTestConfig(dir.dir, { GUIDEPOST_SYNC_INTERVAL_MINUTES: '60', ...(webhookSecret ? { GUIDEPOST_WEBHOOK_SECRET: SECRET } : {}) });
  const server = await startServer(config, { webRoot: join(dir.dir, 'no-web') });
  const sim = await startSimulator({ seed: 12, scale: 'tiny' });
  return { dir, server, sim };
}

function send(s: Side, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${s.server.url}${path}`, { method, headers: { ...csrfHeaders(), origin: s.server.url, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Waits until no job is left to run: every sync and recompute finished. */
async function settled(s: Side, ms = 200_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const status = (await (await fetch(`${s.server.url}/api/sync`)).json()) as SyncStatus;
    if (!status.running && status.queued === 0) {
      expect(status.errors, JSON.stringify(status.errors)).toEqual([]);
      return;
    }
    if (Date.now() > until) throw new Error(`the jobs did not finish in ${ms} ms: ${JSON.stringify(status.errors)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function connect(s: Side): Promise<void> {
  const res = await send(s, 'POST', '/api/connections', { org: s.sim.org.org.login, apiUrl: s.sim.url, token: s.sim.token });
  expect(res.status, await res.clone().text()).toBe(201);
  await settled(s);
}

beforeAll(async () => {
  [fed, polled] = await Promise.all([side(true), side(false)]);
  await connect(fed);
  await connect(polled);
}, 400_000);

afterAll(async () => {
  for (const s of [fed, polled]) {
    await s?.server.close();
    await s?.sim.close();
    s?.dir.cleanup();
  }
});

it('after missed webhook deliveries, the next sync makes the database equal to a sync-only run', { timeout: 400_000 }, async () => {
  expect(snapshotDiff(await domainSnapshot(fed.server.deps.db), await domainSnapshot(polled.server.deps.db))).toEqual([]);

  // The fed server's hook, added at run time as GitHub would, with half the deliveries lost.
  const hook = await fetch(`${fed.sim.url}/_sim/webhooks`, { method: 'POST', body: JSON.stringify({ url: `${fed.server.url}/api/webhooks/github`, secret: SECRET, drop: 0.5 }) });
  expect(hook.status).toBe(201);
  for (const s of [fed, polled]) expect((await fetch(`${s.sim.url}/_sim/evolve`, { method: 'POST', body: EVOLVE })).status).toBe(200);
  await fed.sim.webhooks.idle();
  const deliveries = fed.sim.webhooks.deliveries();
  const sent = deliveries.filter((d) => !d.dropped);
  expect(sent.length).toBeGreaterThan(3);
  expect(deliveries.length - sent.length).toBeGreaterThan(3);
  for (const d of sent) expect(d.status, `${d.event} ${d.action}: ${d.error}`).toBe(200);

  // The deliveries that arrived were applied; the dropped ones left the fed database behind.
  await settled(fed);
  const opened = sent.filter((d) => d.event === 'pull_request' && d.action === 'opened');
  const fedRows = await fed.server.deps.db.selectFrom('pull_requests').innerJoin('repos', 'repos.id', 'repo_id').select(['repos.name', 'number']).execute();
  for (const d of opened) expect(fedRows.some((r) => r.name === d.repo && r.number === d.number), `${d.repo}#${d.number} from its webhook`).toBe(true);
  const beforeSync = snapshotDiff(await domainSnapshot(fed.server.deps.db), await domainSnapshot(polled.server.deps.db));
  expect(beforeSync.length, 'the polled server has not synced yet and the fed one missed deliveries').toBeGreaterThan(0);

  // One more sync on each, as the schedule would run it.
  for (const s of [fed, polled]) {
    expect((await send(s, 'POST', '/api/sync')).status).toBe(202);
    await settled(s);
  }
  expect(snapshotDiff(await domainSnapshot(fed.server.deps.db), await domainSnapshot(polled.server.deps.db))).toEqual([]);
});
