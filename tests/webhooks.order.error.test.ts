import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/main.ts';
import { serverTestConfig, tempDir } from './harness.ts';
import { openedPull, SECRET, signed } from './webhooks.fixture.ts';

// GitHub does not deliver in order, and a signed body captured once can be sent again under a
// new delivery id (the signature covers the body only). Neither may take a PR back to a state
// older than the one stored: the merged PR stays merged.

const REPO = { id: 4343, owner: 'acme', name: 'web', full_name: 'acme/web' };

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
beforeAll(async () => {
  dir = tempDir('guidepost-webhooks-order-');
  server = await startServer(serverTestConfig(dir.dir, { GUIDEPOST_WEBHOOK_SECRET: SECRET }), { webRoot: join(dir.dir, 'no-web') });
  await server.deps.db.insertInto('repos').values(REPO).execute();
}, 60_000);
afterAll(async () => {
  await server?.close();
  dir?.cleanup();
});

async function deliver(payload: unknown, deliveryId: string): Promise<number> {
  const d = await signed('pull_request', payload, { deliveryId });
  return (await fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body })).status;
}

const stored = () => server.deps.db.selectFrom('pull_requests').select(['state', 'title', 'updated_at', 'merged_at']).where('id', '=', 7_100_001).executeTakeFirstOrThrow();

it('an older pull_request delivery, late or replayed under a new id, does not undo a newer one', async () => {
  const opened = openedPull(REPO, { id: 7_100_001, number: 11, title: 'Add the upload retry', author: 'dana', at: '2026-11-30T10:00:00Z' });
  const merged = structuredClone(opened);
  merged.action = 'closed';
  Object.assign(merged.pull_request, { title: 'Add the upload retry (final)', state: 'closed', merged: true, merged_at: '2026-11-30T12:00:00Z', closed_at: '2026-11-30T12:00:00Z', updated_at: '2026-11-30T12:00:00Z' });

  // Out of order: the merge arrives first, the opening after it.
  expect(await deliver(merged, 'order-merged')).toBe(200);
  expect(await deliver(opened, 'order-opened')).toBe(200);
  expect(await stored()).toEqual({ state: 'merged', title: 'Add the upload retry (final)', updated_at: '2026-11-30T12:00:00Z', merged_at: '2026-11-30T12:00:00Z' });

  // Replayed: the opening's body again under a new delivery id.
  expect(await deliver(opened, 'order-opened-replayed')).toBe(200);
  expect((await stored()).state).toBe('merged');

  // A newer change still applies.
  const renamed = structuredClone(merged);
  renamed.action = 'edited';
  Object.assign(renamed.pull_request, { title: 'Add the upload retry (renamed)', updated_at: '2026-11-30T13:00:00Z' });
  expect(await deliver(renamed, 'order-renamed')).toBe(200);
  expect(await stored()).toMatchObject({ state: 'merged', title: 'Add the upload retry (renamed)', updated_at: '2026-11-30T13:00:00Z' });
});
