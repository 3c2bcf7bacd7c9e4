import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

describe('connecting an organisation that cannot be reached', () => {
  let sim: RunningSimulator;
  let t: TestDb;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 2, scale: 'tiny', git: false });
    t = await createTestDb();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  const post = async (body: unknown) => {
    const res = await createTestApp(t).request('http://127.0.0.1/api/connections', { method: 'POST', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  it('a rejected token: says which scopes a token needs and where to make one, and saves nothing', async () => {
    const bad = 'ghp_' + 'x'.repeat(36);
    const res = await post({ org: sim.org.org.login, apiUrl: sim.url, token: bad });
    expect(res.status).toBe(422);
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('github_unauthorized');
    expect(body.error.message).toContain('read:org');
    expect(body.error.message).toContain('https://github.com/settings/tokens');
    expect(res.text).not.toContain(bad);
    expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  });

  it('an unknown org: says it was not found', async () => {
    const res = await post({ org: 'no-such-org', apiUrl: sim.url, token: sim.token });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'github_not_found' });
    expect(res.text).toContain('no-such-org');
    expect(res.text).not.toContain(sim.token);
  });

  it('GitHub unreachable: a clear 502 after retrying', async () => {
    const res = await post({ org: 'acme', apiUrl: 'http://127.0.0.1:9', token: sim.token });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text).error.code).toBe('github_unreachable');
    expect(res.text).not.toContain(sim.token);
  });
});
