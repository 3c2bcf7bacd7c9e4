import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { SYNC_ORG, syncOrgJobKey } from '../jobs/github/sync.ts';
import type { SyncStatus } from '../web/src/lib/types.ts';
import { serverTestConfig, tempDir } from './harness.ts';

// Issue 13, defect 1: the demo explored, the server stopped and started again, Sync now pressed.
// The queued jobs name the demo org, not the earlier run's simulator; the new server starts the
// simulator again and the sync reaches it. Here the earlier port is taken by something that
// answers nothing, so the new simulator has another URL and every stored one must be re-bound.

let dir: ReturnType<typeof tempDir>;
let config: Config;
let server: RunningServer | undefined;
let squatter: Server | undefined;

beforeAll(() => {
  dir = tempDir('guidepost-restart-');
  config = serverTestConfig(dir.dir);
});
afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => (squatter ? squatter.close(() => resolve()) : resolve()));
  dir.cleanup();
});

const start = () => startServer(config, { webRoot: join(dir.dir, 'no-web') });

async function post(s: RunningServer, path: string): Promise<Response> {
  return fetch(`${s.url}${path}`, { method: 'POST', headers: { ...csrfHeaders(), origin: s.url } });
}

async function syncStatus(s: RunningServer): Promise<SyncStatus> {
  return (await (await fetch(`${s.url}/api/sync`)).json()) as SyncStatus;
}

/** Waits until no job is left to run: every one finished or gave up. */
async function settled(s: RunningServer, ms = 150_000): Promise<SyncStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const status = await syncStatus(s);
    if (!status.running && status.queued === 0) return status;
    if (Date.now() > until) throw new Error(`the sync did not finish in ${ms} ms: ${JSON.stringify(status.errors)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function overview(s: RunningServer): Promise<{ status: number; body: string }> {
  const res = await fetch(`${s.url}/api/overview`);
  return { status: res.status, body: await res.text() };
}

it('after a restart, Sync now syncs the demo from its new simulator, the overview keeps its data and no stale error is told', { timeout: 300_000 }, async () => {
  server = await start();
  expect((await post(server, '/api/demo')).status).toBe(202);
  const first = await settled(server);
  expect(first.errors).toEqual([]);
  expect(first.repoCount).toBeGreaterThan(0);
  const before = await overview(server);
  expect(before.status).toBe(200);
  const { db } = server.deps;
  const conn = await db.selectFrom('connections').select(['org', 'api_url']).where('is_demo', '=', 1).executeTakeFirstOrThrow();
  const oldUrl = conn.api_url;
  // The state the defect left behind: a sync queued against the earlier run, failing there.
  await db
    .insertInto('jobs')
    .values({ task: SYNC_ORG, key: syncOrgJobKey(conn.org), payload: JSON.stringify({ org: conn.org }), run_at: new Date(Date.now() + 3_600_000).toISOString(), attempts: 4, max_attempts: 10, last_error: `GitHub could not be reached at ${oldUrl}: connect ECONNREFUSED`, created_at: new Date().toISOString() })
    .execute();
  await server.close();
  server = undefined;

  // Something else took the earlier simulator's port and answers nothing.
  squatter = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    squatter!.once('error', reject);
    squatter!.listen(Number(new URL(oldUrl).port), '127.0.0.1', () => resolve());
  });

  server = await start();
  expect((await post(server, '/api/sync')).status).toBe(202);
  const after = await settled(server);
  expect(after.errors).toEqual([]);
  expect(after.failedJobs).toEqual([]);
  expect(after.retryingJobs).toEqual([]);
  expect(after.connectedOrgs).toEqual([conn.org]);
  expect(await server.deps.db.selectFrom('jobs').selectAll().execute()).toEqual([]);

  const rebound = await server.deps.db.selectFrom('connections').select(['api_url']).where('org', '=', conn.org).executeTakeFirstOrThrow();
  expect(rebound.api_url).not.toBe(oldUrl);
  expect(server.deps.sync?.demo?.url).toBe(rebound.api_url);
  const stale = await server.deps.db.selectFrom('repos').select('clone_url').where('clone_url', 'like', `${oldUrl}%`).execute();
  expect(stale).toEqual([]);
  // The new simulator answered: the budget is read from its answers.
  expect(after.budget.map((b) => b.org)).toEqual([conn.org]);

  const now = await overview(server);
  expect(now.status).toBe(200);
  expect(now.body).toBe(before.body);
  expect(after.repoCount).toBe(first.repoCount);
  expect(after.dataEnd).toBe(first.dataEnd);
});

it('restarted once more with its port free, the demo simulator comes back on the same URL, so nothing needs re-binding', { timeout: 120_000 }, async () => {
  const { db } = server!.deps;
  const { api_url: url } = await db.selectFrom('connections').select('api_url').where('is_demo', '=', 1).executeTakeFirstOrThrow();
  await server!.close();
  server = await start();
  expect((await post(server, '/api/sync')).status).toBe(202);
  const after = await settled(server);
  expect(after.errors).toEqual([]);
  expect(server.deps.sync?.demo?.url).toBe(url);
  expect(after.budget.map((b) => b.org)).toEqual(after.connectedOrgs);
  expect(await server.deps.db.selectFrom('connections').select('api_url').where('is_demo', '=', 1).executeTakeFirstOrThrow()).toEqual({ api_url: url });
  expect((await overview(server)).status).toBe(200);
});
