import { afterAll, beforeAll, expect, it } from 'vitest';
import { readError, type TestDb } from './harness.ts';
import { createOneReviewApp } from './signals.fixture.ts';
import type { App } from '../server/app.ts';

// Bad filters on the review matrix are a 400 whose message says what to fix.

let t: TestDb;
let app: App;
beforeAll(async () => { ({ t, app } = await createOneReviewApp()); });
afterAll(async () => t.close());

const error = async (query: string) => readError(await app.request(`/api/review-matrix?${query}`));

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
