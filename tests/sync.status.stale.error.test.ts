import { afterEach, beforeEach, expect, it } from 'vitest';
import { saveConnection } from '../jobs/github/connect.ts';
import type { SyncStatus } from '../web/src/lib/types.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

// Issue 13: the dashboard warns when the last good sync is older than twice the re-sync interval
// (60 minutes here), since every figure it shows is that old. The demo's data is old by design.

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb({ GUIDEPOST_SYNC_INTERVAL_MINUTES: '60' });
});
afterEach(async () => {
  await t.close();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** `stale` of GET /api/sync once `org` is connected and its repos have these sync states, `hours` old. */
async function staleAfter(org: string, states: [repo: string, status: 'done' | 'failed', hours: number][], o: { demo?: boolean } = {}) {
  await saveConnection(t.db, t.config, { org, apiUrl: 'http://127.0.0.1:9', auth: { kind: 'token', token: 'ghp_not_used_here' }, isDemo: o.demo });
  for (const [repo, status, hours] of states) await t.db.insertInto('sync_state').values({ scope: `repo:${org}/${repo}`, status, updated_at: hoursAgo(hours) }).execute();
  const body = (await (await createTestApp(t).request('http://127.0.0.1/api/sync')).json()) as SyncStatus;
  return body.stale;
}

it('a last good sync three hours old, with syncs due hourly, is stale, whatever failed since', async () => {
  const stale = await staleAfter('acme', [['api', 'done', 3], ['web', 'failed', 0.1]]);
  expect(stale?.intervalMinutes).toBe(60);
  expect(Math.abs(Date.parse(stale!.lastGoodSync) - Date.parse(hoursAgo(3)))).toBeLessThan(60_000);
});

it('a sync an hour and a half old is not stale yet', async () => {
  expect(await staleAfter('acme', [['api', 'done', 1.5]])).toBeNull();
});

it('the newest good sync counts: an old repo beside a fresh one is not stale', async () => {
  expect(await staleAfter('acme', [['api', 'done', 30], ['web', 'done', 0.2]])).toBeNull();
});

it('the demo connection never goes stale, however old its sync', async () => {
  expect(await staleAfter('guidepost-demo', [['api', 'done', 72]], { demo: true })).toBeNull();
});

it('with re-syncs turned off (interval 0) nothing is due, so nothing is stale', async () => {
  await t.close();
  t = await createTestDb({ GUIDEPOST_SYNC_INTERVAL_MINUTES: '0' });
  expect(await staleAfter('acme', [['api', 'done', 72]])).toBeNull();
});

it('no good sync yet: nothing to call stale (the first sync tells its own state)', async () => {
  expect(await staleAfter('acme', [['api', 'failed', 5]])).toBeNull();
});
