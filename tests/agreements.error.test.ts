import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readError, type TestDb } from './harness.ts';
import { createOneReviewApp } from './signals.fixture.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Working agreements a team cannot mean are refused in words that say what to change, and the
// settings stored before stay as they were.

let t: TestDb;
let app: Awaited<ReturnType<typeof createOneReviewApp>>['app'];
const saved = { timeToFirstReview: { hours: 24, percentile: 75 }, reviewCoverage: { atLeastPercent: 80 } };

const put = (body: unknown) =>
  app.request('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });
const stored = async () => (await (await app.request('/api/settings')).json()) as Record<string, unknown>;

beforeAll(async () => {
  ({ t, app } = await createOneReviewApp());
  expect((await put({ agreements: saved, menteeLimit: 4 })).status).toBe(200);
});
afterAll(async () => t.close());

describe('invalid working agreements', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a percentile the review clock does not report', { timeToFirstReview: { hours: 24, percentile: 60 } }, /agreements\.timeToFirstReview\.percentile: percentile must be 50, 75 or 90/],
    ['hours of zero', { timeToFirstReview: { hours: 0 } }, /agreements\.timeToFirstReview\.hours: hours must be more than 0/],
    ['no hours', { timeToFirstReview: { percentile: 75 } }, /agreements\.timeToFirstReview\.hours: hours must be a number/],
    ['a coverage over 100%', { reviewCoverage: { atLeastPercent: 150 } }, /agreements\.reviewCoverage\.atLeastPercent: atLeastPercent must be at most 100/],
    ['a fractional PR size', { prSize: { p75AtMostLines: 12.5 } }, /agreements\.prSize\.p75AtMostLines: p75AtMostLines must be a whole number/],
    ['zero reviewers per repository', { reviewersPerRepo: { atLeast: 0 } }, /agreements\.reviewersPerRepo\.atLeast: atLeast must be at least 1/],
    ['a mentee load in words', { menteeLoad: { atMost: 'five' } }, /agreements\.menteeLoad\.atMost: atMost must be a number/],
    ['days past a year', { newcomerMentor: { withinDays: 400 } }, /agreements\.newcomerMentor\.withinDays: withinDays must be at most 365/],
    ['an agreement Guidepost does not have', { velocity: { atLeast: 3 } }, /agreements: Unrecognized key.*velocity/],
    ['a misspelt target', { prSize: { p75AtMost: 300 } }, /agreements\.prSize: Unrecognized key.*p75AtMost/],
    ['agreements that are not an object', 'all of them', /agreements: .*expected object/],
  ];

  for (const [what, agreements, message] of cases) {
    it(`refuses ${what}, in words, and keeps the stored settings`, async () => {
      const before = await stored();
      const res = await put({ agreements, menteeLimit: 9 });
      const err = await readError(res);
      expect(err.status).toBe(400);
      expect(err.code).toBe('bad_request');
      expect(err.message).toMatch(message);
      expect(err.message).not.toMatch(/\.ts:\d|\n\s+at /);
      const after = await stored();
      expect(after).toEqual(before);
      expect(after).toMatchObject({ agreements: saved, menteeLimit: 4 });
    });
  }

  it('keeps the agreements when another setting is saved, and clears them only when told', async () => {
    expect((await put({ minGroupSize: 4 })).status).toBe(200);
    expect((await stored()).agreements).toEqual(saved);
    expect((await put({ agreements: {} })).status).toBe(200);
    expect((await stored()).agreements).toEqual({});
    expect((await put({ agreements: saved })).status).toBe(200);
  });
});
