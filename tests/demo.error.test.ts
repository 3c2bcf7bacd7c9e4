import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestDb, readError, type TestDb } from './harness.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.close());

it('a process that was given no demo simulator answers 409 saying how to run the demo, and saves nothing', async () => {
  const app = createTestApp(t);
  const res = await app.request('/api/demo', { method: 'POST', headers: csrfHeaders() });
  expect(await readError(res)).toMatchObject({ status: 409, code: 'conflict', message: expect.stringContaining('guidepost serve') });
  expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
});
