import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/run.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Every signal route answers bad filters with 400 and a message that says what is wrong.

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  await org.person('alice');
  await org.person('bob');
  await org.team('platform', ['alice', 'bob']);
  await org.review(await org.pr({ author: 'alice', created: at(3) }), 'bob', 'APPROVED', at(2));
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

const routes = ['/api/overview', '/api/trends', '/api/reviews', '/api/mentoring', '/api/people', '/api/people/alice', '/api/teams', '/api/teams/platform', '/api/repos', '/api/repos/acme/api', '/api/settings'];

async function error(path: string) {
  const res = await app.request(path);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? '' };
}

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
