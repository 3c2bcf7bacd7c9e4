import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postConnection, startConnectionEnv, type ConnectionEnv } from './connections.fixture.ts';

describe('connecting an organisation that cannot be reached', () => {
  let env: ConnectionEnv;
  beforeAll(async () => { env = await startConnectionEnv(); }, 60_000);
  afterAll(async () => env?.close());

  it('a rejected token: says which scopes a token needs and where to make one, and saves nothing', async () => {
    const bad = 'ghp_' + 'x'.repeat(36);
    const res = await postConnection(env.t, { org: env.sim.org.org.login, apiUrl: env.sim.url, token: bad });
    expect(res.status).toBe(422);
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('github_unauthorized');
    expect(body.error.message).toContain('read:org');
    expect(body.error.message).toContain('https://github.com/settings/tokens');
    expect(res.text).not.toContain(bad);
    expect(await env.t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  });

  it('an unknown org: says it was not found', async () => {
    const res = await postConnection(env.t, { org: 'no-such-org', apiUrl: env.sim.url, token: env.sim.token });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'github_not_found' });
    expect(res.text).toContain('no-such-org');
    expect(res.text).not.toContain(env.sim.token);
  });

  it('GitHub unreachable: a clear 502 after retrying', async () => {
    const res = await postConnection(env.t, { org: 'acme', apiUrl: 'http://127.0.0.1:9', token: env.sim.token });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text).error.code).toBe('github_unreachable');
    expect(res.text).not.toContain(env.sim.token);
  });
});
