import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/run.ts';

// Bad filters on the review matrix are a 400 whose message says what to fix.

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  await org.person('alice');
  await org.person('bob');
  await org.review(await org.pr({ author: 'alice', created: at(3) }), 'bob', 'APPROVED', at(2));
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

async function error(query: string) {
  const res = await app.request(`/api/review-matrix?${query}`);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? '' };
}

it.each([
  ['from=yesterday', 'from "yesterday" is not a date'],
  ['to=2026-02-30', 'to "2026-02-30" is not a real date'],
  ['from=2026-05-01&to=2026-04-01', 'must be before'],
  ['repo=acme/nothing', 'Unknown repo "acme/nothing"'],
  ['repo=', 'repo must not be empty'],
])('%s → 400: %s', async (query, message) => {
  const e = await error(query);
  expect(e).toMatchObject({ status: 400, code: 'bad_request' });
  expect(e.message).toContain(message);
});

it('answers an org with no teams with an empty matrix, not an error', async () => {
  const res = await app.request('/api/review-matrix');
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ teams: [], matrix: [], suppressed: [] });
});
