import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Config } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import type { ConnectionsResponse, SyncStatus } from '../web/src/lib/types.ts';
import { serverTestConfig, tempDir, dbArgsOf } from './harness.ts';
import { guidepost } from './cli.fixture.ts';

// Issue 13: connections as a page. The demo explored, then a real org connected with the demo's
// data kept: the dashboard shows the new org alone, switches back to the demo and again, and
// removing the demo with its data leaves the real org's figures as they were.

let dir: ReturnType<typeof tempDir>;
let config: Config;
let server: RunningServer;
let real: RunningSimulator;

beforeAll(async () => {
  dir = tempDir('guidepost-connections-');
  config = serverTestConfig(dir.dir, { GUIDEPOST_SYNC_INTERVAL_MINUTES: '60' });
  server = await startServer(config, { webRoot: join(dir.dir, 'no-web') });
  real = await startSimulator({ seed: 2, scale: 'tiny' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await real?.close();
  dir.cleanup();
});

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, headers: { ...csrfHeaders(), origin: server.url, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}
const get = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;

/** Waits until no job is left to run: every sync and recompute finished. */
async function settled(ms = 200_000): Promise<SyncStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const status = await get<SyncStatus>('/api/sync');
    if (!status.running && status.queued === 0) return status;
    if (Date.now() > until) throw new Error(`the jobs did not finish in ${ms} ms: ${JSON.stringify(status.errors)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What the dashboard shows of the org: the overview's body, and the repositories listed on each page. */
async function dashboard() {
  const overview = await (await fetch(`${server.url}/api/overview`)).text();
  const repos = (await get<{ repos: { name: string }[] }>('/api/repos')).repos.map((r) => r.name);
  const knowledge = (await get<{ repos: { repo: string }[] }>('/api/knowledge')).repos.map((r) => r.repo);
  return { overview, repos, knowledge };
}

it('connects a real org beside the demo, shows one org at a time, switches both ways and removes the demo with its data', { timeout: 400_000 }, async () => {
  expect((await send('POST', '/api/demo')).status).toBe(202);
  await settled();
  const demoOrg = (await get<ConnectionsResponse>('/api/connections')).shownOrg!;
  const demoView = await dashboard();
  expect(demoView.repos.length).toBeGreaterThan(0);

  // The real org, keeping the demo's data.
  const org = real.org.org.login;
  const connected = await send('POST', '/api/connections', { org, apiUrl: real.url, token: real.token, demoData: 'keep' });
  expect(connected.status, await connected.clone().text()).toBe(201);
  const afterConnect = await settled();
  expect(afterConnect.errors, JSON.stringify(afterConnect.errors)).toEqual([]);
  const list = await get<ConnectionsResponse>('/api/connections');
  expect(list.shownOrg).toBe(org);
  const byOrg = new Map(list.connections.map((c) => [c.org, c]));
  expect(byOrg.get(demoOrg)).toMatchObject({ isDemo: true, shown: false });
  expect(byOrg.get(demoOrg)!.repos).toBe(demoView.repos.length);
  const mine = byOrg.get(org)!;
  expect(mine).toMatchObject({ isDemo: false, shown: true, repos: real.org.repos.length, syncing: false });
  expect(Date.parse(mine.lastSyncAt!)).toBeGreaterThan(Date.now() - 300_000);
  expect(Date.parse(mine.nextSyncAt!)).toBeGreaterThan(Date.now());
  expect(mine.budget.map((b) => b.resource).sort()).toContain('core');
  expect(JSON.stringify(list)).not.toContain(real.token);

  // Every page shows the real org alone.
  const realView = await dashboard();
  expect(realView.repos.length).toBe(real.org.repos.length);
  expect(realView.repos.every((r) => r.startsWith(`${org}/`))).toBe(true);
  expect(realView.knowledge.every((r) => r.startsWith(`${org}/`))).toBe(true);
  expect(realView.overview).not.toBe(demoView.overview);
  expect((await get<SyncStatus>('/api/sync')).repoCount).toBe(real.org.repos.length);

  // Back to the demo: the same figures as before the real org came.
  expect((await send('PUT', '/api/connections/shown', { org: demoOrg })).status).toBe(202);
  await settled();
  expect(await dashboard()).toEqual(demoView);

  // And to the real org again.
  expect((await send('PUT', '/api/connections/shown', { org })).status).toBe(202);
  await settled();
  expect(await dashboard()).toEqual(realView);

  // The CLI report reads the same signals: it refuses to put the kept demo's name over them.
  const report = await guidepost(['report', ...dbArgsOf(config), '--org', demoOrg]);
  expect(report.code).toBe(1);
  expect(report.stderr).toContain(`The signals are computed for ${org}`);
  expect((await guidepost(['report', ...dbArgsOf(config)])).stdout).toContain(org);

  // Removing the demo with its data: its rows are gone, the real org's figures stay.
  const demoId = byOrg.get(demoOrg)!.id;
  expect((await send('DELETE', `/api/connections/${demoId}?data=delete`)).status).toBe(204);
  await settled();
  const { db } = server.deps;
  expect(await db.selectFrom('repos').select('owner').distinct().execute()).toEqual([{ owner: org }]);
  expect(server.deps.sync?.demo ?? null).toBeNull();
  const left = await get<ConnectionsResponse>('/api/connections');
  expect(left.connections.map((c) => c.org)).toEqual([org]);
  expect(left.unconnected).toEqual([]);
  expect(await dashboard()).toEqual(realView);

  // Bad input: an unknown org to show, a connection that is not there.
  const unknown = await send('PUT', '/api/connections/shown', { org: 'nobody-here' });
  expect(unknown.status).toBe(404);
  expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/No organisation "nobody-here"/);
  expect((await send('DELETE', `/api/connections/${demoId}`)).status).toBe(404);
  expect((await send('POST', `/api/connections/abc/test`)).status).toBe(400);
  const tested = await send('POST', `/api/connections/${byOrg.get(org)!.id}/test`);
  expect(tested.status).toBe(200);
});
