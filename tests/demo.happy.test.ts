import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { createSyncRuntime, type SyncRuntime } from '../jobs/background-jobs.ts';
import { syncOrgJobKey } from '../jobs/github/sync.ts';
import { startSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';

let t: TestDb;
let sync: SyncRuntime;
beforeAll(async () => {
  t = await createTestDb();
  sync = createSyncRuntime(t.db, t.config, createLogger('silent'));
});
afterAll(async () => {
  await sync.stop();
  await t.close();
});

it('POST /api/demo starts the simulator it was handed once, connects its org and queues one sync of it', async () => {
  let starts = 0;
  const startDemo = () => {
    starts++;
    return startSimulator({ seed: 3, scale: 'tiny', git: false, port: 0 });
  };
  const app = createApp({ db: t.db, config: t.config, logger: createLogger('silent'), sync, startDemo }, { webRoot: join(t.dir, 'no-web') });
  const first = await app.request('/api/demo', { method: 'POST', headers: csrfHeaders() });
  expect(first.status).toBe(202);
  const { org } = (await first.json()) as { org: string };
  expect((await app.request('/api/demo', { method: 'POST', headers: csrfHeaders() })).status).toBe(202);
  expect(starts).toBe(1);
  expect(await t.db.selectFrom('connections').select(['org', 'is_demo']).execute()).toEqual([{ org, is_demo: 1 }]);
  expect((await t.db.selectFrom('jobs').select('key').execute()).map((j) => j.key)).toEqual([syncOrgJobKey(org)]);
  expect(await (await app.request('/api/demo')).json()).toMatchObject({ running: true, org });
});
