import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readError, type TestDb } from './harness.ts';
import { createOneReviewApp } from './signals.fixture.ts';
import type { App } from '../server/app.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Every signal route answers bad filters with 400 and a message that says what is wrong.

let t: TestDb;
let app: App;
beforeAll(async () => { ({ t, app } = await createOneReviewApp({ platform: ['alice', 'bob'] })); });
afterAll(async () => t.close());

const routes = ['/api/overview', '/api/trends', '/api/reviews', '/api/mentoring', '/api/people', '/api/people/alice', '/api/teams', '/api/teams/platform', '/api/repos', '/api/repos/acme/api', '/api/settings'];

const error = async (path: string) => readError(await app.request(path));

describe.each(routes)('%s', (route) => {
  it('unknown team → 400 naming the team', async () => {
    const e = await error(`${route}?team=nope`);
    expect(e).toMatchObject({ status: 400, code: 'bad_request' });
    expect(e.message).toContain('Unknown team "nope"');
    expect(e.message).toContain('platform');
  });

  it('unknown repo → 400 naming the repo', async () => {
    const e = await error(`${route}?repo=acme/nothing`);
    expect(e).toMatchObject({ status: 400, code: 'bad_request' });
    expect(e.message).toContain('Unknown repo "acme/nothing"');
  });

  it('from after to → 400', async () => {
    const e = await error(`${route}?from=2026-05-01&to=2026-04-01`);
    expect(e).toMatchObject({ status: 400, code: 'bad_request' });
    expect(e.message).toContain('must be before');
  });

  it('malformed and impossible dates → 400 saying the expected format', async () => {
    for (const bad of ['from=yesterday', 'to=2026-13-01', 'from=2026-02-30', 'to=01/02/2026']) {
      const e = await error(`${route}?${bad}`);
      expect(e, bad).toMatchObject({ status: 400, code: 'bad_request' });
      expect(e.message, bad).toMatch(/YYYY-MM-DD/);
    }
  });
});

describe('settings', () => {
  it('rejects invalid values with the field named, and keeps the old settings', async () => {
    const res = await app.request('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify({ menteeLimit: -1 }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('menteeLimit');
    const now = (await (await app.request('/api/settings')).json()) as { menteeLimit: number };
    expect(now.menteeLimit).toBe(5);
  });

  it('rejects unknown keys', async () => {
    const res = await app.request('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify({ menteeLimt: 4 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('menteeLimt');
  });
});

it('an unknown person or team page is a 404, not an empty page', async () => {
  expect((await error('/api/people/nobody')).status).toBe(404);
  expect((await error('/api/teams/nothing')).status).toBe(404);
});
