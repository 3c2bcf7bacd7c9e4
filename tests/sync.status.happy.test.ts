import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { saveConnection } from '../jobs/github/connect.ts';
import { createTestApp, createTestDb, databaseHolds, type TestDb } from './harness.ts';
import { syncInProcess } from './sync.fixture.ts';

describe('sync status', () => {
  let sim: RunningSimulator;
  let t: TestDb;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 4, scale: 'tiny', git: false });
    t = await createTestDb();
    await saveConnection(t.db, t.config, { org: sim.org.org.login, apiUrl: sim.url, auth: { kind: 'token', token: sim.token } });
    await syncInProcess(t.db, sim);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('reports every repo as done with its PR count and the time of the last sync', async () => {
    const res = await createTestApp(t).request('http://127.0.0.1/api/sync');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { repos: { repo: string; status: string; pulls: number }[]; lastSync: string | null; errors: string[]; estimateSeconds: number };
    expect(body.repos.map((r) => r.repo).sort()).toEqual(sim.org.repos.map((r) => `${sim.org.org.login}/${r.name}`).sort());
    expect(body.repos.every((r) => r.status === 'done')).toBe(true);
    expect(body.repos.reduce((a, r) => a + r.pulls, 0)).toBe(sim.org.pulls.length);
    expect(body.lastSync).not.toBeNull();
    expect(body.errors).toEqual([]);
    expect(body.estimateSeconds).toBe(0);
  });

  it('POST starts a sync of every connected org', async () => {
    const res = await createTestApp(t).request('http://127.0.0.1/api/sync', { method: 'POST', headers: csrfHeaders() });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: 1 });
    const jobs = await t.db.selectFrom('jobs').select('task').execute();
    expect(jobs).toEqual([{ task: 'github.sync_org' }]);
  });

  it('never writes the token into the database file', async () => {
    await t.db.selectFrom('people').select('id').limit(1).execute();
    expect(await databaseHolds(t, sim.token)).toBe(false);
  });
});
