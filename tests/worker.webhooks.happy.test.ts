import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { openedPull, SECRET, signed } from './webhooks.fixture.ts';
import { startGuidepost, stopProc, waitUntil, type Proc } from './worker.fixture.ts';

// With the jobs in a worker process, a webhook delivery is still on the overview within 2 s: the
// serving process queues the signals' catch-up as a job, and the worker runs it at once.

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
let worker: Proc;
let sim: RunningSimulator;

beforeAll(async () => {
  dir = tempDir('guidepost-worker-webhooks-');
  const config = serverTestConfig(dir.dir, { GUIDEPOST_WEBHOOK_SECRET: SECRET });
  server = await startServer(config, { webRoot: join(dir.dir, 'no-web'), jobs: 'elsewhere' });
  worker = startGuidepost(['worker'], config, { GUIDEPOST_WEBHOOK_SECRET: SECRET });
  sim = await startSimulator({ seed: 4, scale: 'tiny' });
}, 60_000);
afterAll(async () => {
  await stopProc(worker);
  await server?.close();
  await sim?.close();
  dir?.cleanup();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;

it('a pull_request opened delivery to a serve without jobs shows on /api/overview within 2 s', { timeout: 200_000 }, async () => {
  const connected = await fetch(`${server.url}/api/connections`, {
    method: 'POST',
    headers: { ...csrfHeaders(), origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ org: sim.org.org.login, apiUrl: sim.url, token: sim.token }),
  });
  expect(connected.status, await connected.clone().text()).toBe(201);
  const { db } = server.deps;
  await waitUntil('the sync and its derive finishing', async () => ((await db.selectFrom('jobs').select('id').execute()).length === 0 ? true : undefined), 150_000, worker);
  const repo = await db.selectFrom('repos').selectAll().orderBy('name').executeTakeFirstOrThrow();
  const author = sim.org.people.find((p) => p.isMember && !p.deleted)!.login;
  const at = new Date(sim.org.now).toISOString().replace(/\.\d+Z$/, 'Z');
  const window = `from=${new Date(Date.parse(at) - 14 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.parse(at) + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  type Overview = { reviews: { prs: number } };
  const before = await get<Overview>(`/api/overview?${window}`);

  const payload = openedPull({ id: repo.id, full_name: repo.full_name, owner: repo.owner, name: repo.name }, { id: 9_100_000_002, number: 90_002, title: 'Webhook-fed, derived by the worker', author, at });
  const d = await signed('pull_request', payload, { deliveryId: 'worker-delivery-1' });
  const sent = Date.now();
  const res = await fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body });
  expect(res.status).toBe(200);
  // Within 2 s of the delivery being sent: the bound counts from then, not from the first look.
  const shown = await waitUntil('the PR on the overview within 2 s', async () => {
    const now = await get<Overview>(`/api/overview?${window}`);
    return now.reviews.prs === before.reviews.prs + 1 ? now : undefined;
  }, sent + 2000 - Date.now());
});
