import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { examplesOf, openedPull, SECRET, signed, storedCounts } from './webhooks.fixture.ts';
import { waitUntil } from './worker.fixture.ts';

// The real server with its job runner, synced from the simulated GitHub, then fed a signed
// pull_request "opened" delivery for one of its repositories: the PR is on the overview within
// 2 s, a redelivery of the same id changes nothing, and the sync's bookmarks stay where the
// last sync left them (the next sync still asks for everything since then).

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
let sim: RunningSimulator;

beforeAll(async () => {
  dir = tempDir('guidepost-webhooks-');
  server = await startServer(serverTestConfig(dir.dir, { GUIDEPOST_WEBHOOK_SECRET: SECRET }), { webRoot: join(dir.dir, 'no-web') });
  sim = await startSimulator({ seed: 4, scale: 'tiny' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await sim?.close();
  dir?.cleanup();
});

const get = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;

/** Waits until the job queue is empty: the sync and its recomputes finished (jobs are rows, gone once done). */
async function settled(ms = 120_000): Promise<void> {
  for (const until = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 200))) {
    const left = await server.deps.db.selectFrom('jobs').select(['task', 'last_error']).execute();
    if (left.length === 0) return;
    if (Date.now() > until) throw new Error(`the jobs did not finish in ${ms} ms: ${JSON.stringify(left)}`);
  }
}

async function deliver(event: string, payload: unknown, deliveryId?: string) {
  const d = await signed(event, payload, { deliveryId });
  const res = await fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('a signed pull_request opened delivery shows on /api/overview within 2 s, once however often it is delivered', { timeout: 200_000 }, async () => {
  const connected = await fetch(`${server.url}/api/connections`, {
    method: 'POST',
    headers: { ...csrfHeaders(), origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ org: sim.org.org.login, apiUrl: sim.url, token: sim.token }),
  });
  expect(connected.status, await connected.clone().text()).toBe(201);
  await settled();
  const { db } = server.deps;
  const repo = await db.selectFrom('repos').selectAll().orderBy('name').executeTakeFirstOrThrow();
  const author = sim.org.people.find((p) => p.isMember && !p.deleted)!.login;
  // Opened at the simulated org's "now", where its history ends (the default window's end).
  const at = new Date(sim.org.now).toISOString().replace(/\.\d+Z$/, 'Z');
  const window = `from=${new Date(Date.parse(at) - 14 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.parse(at) + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  type Overview = { reviews: { prs: number; waiting: number } };
  const before = await get<Overview>(`/api/overview?${window}`);
  const bookmarks = await db.selectFrom('sync_state').selectAll().orderBy('scope').execute();
  const stored = await storedCounts(db);

  const payload = openedPull(
    { id: repo.id, full_name: repo.full_name, owner: repo.owner, name: repo.name },
    { id: 9_100_000_001, number: 90_001, title: 'Webhook-fed: retry the flaky upload', author, at },
  );
  const sent = Date.now();
  const first = await deliver('pull_request', payload, 'delivery-opened-1');
  expect(first).toEqual({ status: 200, body: { status: 'applied', delivery: 'delivery-opened-1' } });
  // Within 2 s of the delivery being sent: the bound counts from then, not from the first look.
  const shown = await waitUntil('the PR on the overview within 2 s', async () => {
    const now = await get<Overview>(`/api/overview?${window}`);
    return now.reviews.prs === before.reviews.prs + 1 ? now : undefined;
  }, sent + 2000 - Date.now());
  expect(shown.reviews.waiting).toBe(before.reviews.waiting + 1);
  const row = await db.selectFrom('pull_requests as p').innerJoin('people as a', 'a.id', 'p.author_id').select(['p.title', 'p.state', 'a.login', 'p.repo_id']).where('p.id', '=', 9_100_000_001).executeTakeFirstOrThrow();
  expect(row).toEqual({ title: 'Webhook-fed: retry the flaky upload', state: 'open', login: author, repo_id: repo.id });

  // GitHub redelivers on a timeout, and by hand from the hook's page: same id, applied once.
  const again = await deliver('pull_request', { ...payload, pull_request: { ...payload.pull_request, title: 'changed on the way' } }, 'delivery-opened-1');
  expect(again).toEqual({ status: 200, body: { status: 'duplicate', delivery: 'delivery-opened-1' } });
  const after = await storedCounts(db);
  expect(after).toEqual({ ...stored, webhook_deliveries: stored.webhook_deliveries + 1, raw_responses: stored.raw_responses + 1, pull_requests: stored.pull_requests + 1 });
  expect((await db.selectFrom('pull_requests').select('title').where('id', '=', 9_100_000_001).executeTakeFirstOrThrow()).title).toBe('Webhook-fed: retry the flaky upload');

  // The same delivery arriving five times at once (a redelivery racing the original): applied once.
  const burst = await Promise.all(Array.from({ length: 5 }, () => deliver('pull_request', { ...payload, action: 'edited' }, 'delivery-edited-1')));
  expect(burst.map((b) => b.body.status).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
  expect(await db.selectFrom('raw_responses').select('id').where('url', '=', 'webhook:delivery-edited-1').execute()).toHaveLength(1);

  // A review on it, then an event Guidepost does not take: both recorded and listed for settings.
  const review = examplesOf('pull_request_review')[0]!;
  review.repository = payload.repository;
  review.pull_request = { ...review.pull_request, ...payload.pull_request };
  review.review = { ...review.review, id: 9_200_000_001, state: 'approved', submitted_at: at, user: { ...review.review.user, login: sim.org.people.filter((p) => p.isMember && !p.deleted)[1]!.login } };
  expect((await deliver('pull_request_review', review, 'delivery-review-1')).body.status).toBe('applied');
  expect((await deliver('star', { action: 'created', repository: payload.repository }, 'delivery-star-1')).status).toBe(202);
  const listed = await get<{ url: string; secretConfigured: boolean; events: string[]; deliveries: { deliveryId: string; event: string; action: string | null; repo: string | null; outcome: string }[] }>('/api/webhooks/deliveries');
  expect(listed.url).toBe(`${server.url}/api/webhooks/github`);
  expect(listed.secretConfigured).toBe(true);
  expect(listed.events).toContain('pull_request_review');
  expect(listed.deliveries.map((d) => [d.deliveryId, d.event, d.action, d.repo, d.outcome])).toEqual([
    ['delivery-star-1', 'star', 'created', repo.full_name, 'ignored'],
    ['delivery-review-1', 'pull_request_review', 'submitted', repo.full_name, 'applied'],
    ['delivery-edited-1', 'pull_request', 'edited', repo.full_name, 'applied'],
    ['delivery-opened-1', 'pull_request', 'opened', repo.full_name, 'applied'],
  ]);
  // Webhooks move no sync bookmark: the next sync asks for every PR updated since the last sync.
  expect(await db.selectFrom('sync_state').selectAll().orderBy('scope').execute()).toEqual(bookmarks);
});
