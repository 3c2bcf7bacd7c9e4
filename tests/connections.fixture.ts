// Shared by the connection tests: a tiny simulated org with an empty database to connect it
// from, and POST /api/connections sent as the dashboard sends it.
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../simulator/start.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

export interface ConnectionEnv {
  sim: RunningSimulator;
  t: TestDb;
  close(): Promise<void>;
}

/** The seed-2 tiny org (API only) and a fresh database; `app` installs a GitHub App on the org. */
export async function startConnectionEnv(app?: StartSimulatorOptions['app']): Promise<ConnectionEnv> {
  const sim = await startSimulator({ seed: 2, scale: 'tiny', git: false, app });
  const t = await createTestDb().catch(async (err: unknown) => {
    await sim.close();
    throw err;
  });
  return {
    sim,
    t,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}

/** The answer read as text, so a test can check both its JSON and that no secret is in it. */
export async function postConnection(t: TestDb, body: unknown): Promise<{ status: number; text: string }> {
  const res = await createTestApp(t).request('http://127.0.0.1/api/connections', { method: 'POST', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}
