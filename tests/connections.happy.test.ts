import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

describe('connecting an organisation', () => {
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
  const post = (body: unknown) =>
    createTestApp(t).request('http://127.0.0.1/api/connections', { method: 'POST', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });

  it('validates the token and org, stores the token encrypted and shows only its last 4 characters', async () => {
    const res = await post({ org: sim.org.org.login, apiUrl: sim.url, token: sim.token });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(sim.token);
    expect(JSON.parse(text)).toMatchObject({ connection: { org: sim.org.org.login, last4: sim.token.slice(-4), authKind: 'token' }, syncQueued: true });

    const row = await t.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(sim.token);
    expect(row.secret_last4).toBe(sim.token.slice(-4));
    const keyFile = join(t.config.dataDir, 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(t.config.dbPath).includes(Buffer.from(sim.token))).toBe(false);

    const list = await createTestApp(t).request('http://127.0.0.1/api/connections');
    const listText = await list.text();
    expect(listText).not.toContain(sim.token);
    expect(JSON.parse(listText).connections).toHaveLength(1);

    const jobs = await t.db.selectFrom('jobs').select(['task', 'payload']).execute();
    expect(jobs).toEqual([{ task: 'github.sync_org', payload: JSON.stringify({ org: sim.org.org.login }) }]);
  });

  it('removes a connection and its waiting jobs', async () => {
    const row = await t.db.selectFrom('connections').select('id').executeTakeFirstOrThrow();
    const res = await createTestApp(t).request(`http://127.0.0.1/api/connections/${row.id}`, { method: 'DELETE', headers: csrfHeaders() });
    expect(res.status).toBe(204);
    expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });
});
