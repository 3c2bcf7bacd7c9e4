import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { postConnection, startConnectionEnv, type ConnectionEnv } from './connections.fixture.ts';
import { createTestApp, databaseHolds } from './harness.ts';
import { enqueue } from '../jobs/queue.ts';
import { REPO_KNOWLEDGE, repoKnowledgeJobKey, SYNC_REPO, syncRepoJobKey } from '../jobs/github/sync.ts';

describe('connecting an organisation', () => {
  let env: ConnectionEnv;
  beforeAll(async () => { env = await startConnectionEnv(); }, 60_000);
  afterAll(async () => env?.close());

  it('validates the token and org, stores the token encrypted and shows only its last 4 characters', async () => {
    const res = await postConnection(env.t, { org: env.sim.org.org.login, apiUrl: env.sim.url, token: env.sim.token });
    expect(res.status).toBe(201);
    const { text } = res;
    expect(text).not.toContain(env.sim.token);
    expect(JSON.parse(text)).toMatchObject({ connection: { org: env.sim.org.org.login, last4: env.sim.token.slice(-4), authKind: 'token' }, syncQueued: true });

    const row = await env.t.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(env.sim.token);
    expect(row.secret_last4).toBe(env.sim.token.slice(-4));
    const keyFile = join(env.t.config.dataDir, 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await databaseHolds(env.t, env.sim.token)).toBe(false);

    const list = await createTestApp(env.t).request('http://127.0.0.1/api/connections');
    const listText = await list.text();
    expect(listText).not.toContain(env.sim.token);
    expect(JSON.parse(listText).connections).toHaveLength(1);

    const jobs = await env.t.db.selectFrom('jobs').select(['task', 'payload']).execute();
    expect(jobs).toEqual([{ task: 'github.sync_org', payload: JSON.stringify({ org: env.sim.org.org.login }) }]);
  });

  it('removes a connection and its waiting jobs, and no other org’s', async () => {
    const row = await env.t.db.selectFrom('connections').select(['id', 'org']).executeTakeFirstOrThrow();
    // TEST SETUP: repo jobs of this org, and of an org whose login ends like this one.
    const other = `x${row.org}`;
    await enqueue(env.t.db, { task: SYNC_REPO, key: syncRepoJobKey(row.org, 'api'), payload: {} });
    await enqueue(env.t.db, { task: REPO_KNOWLEDGE, key: repoKnowledgeJobKey(`${row.org}/api`), payload: {} });
    await enqueue(env.t.db, { task: SYNC_REPO, key: syncRepoJobKey(other, 'api'), payload: {} });
    const res = await createTestApp(env.t).request(`http://127.0.0.1/api/connections/${row.id}`, { method: 'DELETE', headers: csrfHeaders() });
    expect(res.status).toBe(204);
    expect(await env.t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
    expect((await env.t.db.selectFrom('jobs').select('key').execute()).map((j) => j.key)).toEqual([syncRepoJobKey(other, 'api')]);
  });
});
