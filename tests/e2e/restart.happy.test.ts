import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import type { SyncStatus } from '../../web/src/lib/types.ts';
import { startDemoOrg, startWebEnv, watch, type WebEnv } from './browser.ts';

// Issue 13, defect 1, as a user meets it: the demo explored, the server stopped and started
// again on the same data, Sync now pressed. The overview still shows the data, never the first run.

let env: WebEnv;
let again: RunningServer | undefined;
beforeAll(async () => {
  env = await startWebEnv();
}, 240_000);
afterAll(async () => {
  await again?.close().catch(() => undefined);
  await env?.close();
}, 240_000);

async function settled(url: string, ms = 120_000): Promise<SyncStatus> {
  const until = Date.now() + ms;
  for (;;) {
    const s = (await (await fetch(`${url}/api/sync`)).json()) as SyncStatus;
    if (!s.running && s.queued === 0) return s;
    if (Date.now() > until) throw new Error(`the sync did not finish in ${ms} ms: ${s.errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('after a restart, Sync now keeps the overview on the data, and a sync in progress is a banner over it', { timeout: 300_000 }, async () => {
  await startDemoOrg(env);
  await env.server.close();
  // The same data directory and web build as the first server (tests/e2e/browser.ts startWebEnv).
  const config = parseConfig({
    GUIDEPOST_DB: join(env.dir, 'guidepost.db'),
    GUIDEPOST_DATA_DIR: env.dir,
    GUIDEPOST_HOST: '127.0.0.1',
    GUIDEPOST_PORT: '0',
    GUIDEPOST_LOG_LEVEL: 'silent',
    GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
  });
  again = await startServer(config, { webRoot: join(env.dir, 'web') });
  const url = again.url;

  const page = await env.context.newPage();
  const w = watch(page);
  await page.goto(url + '/sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.goto(url + '/');
  await page.getByTestId('finding').first().waitFor({ timeout: 30_000 });
  expect(await page.getByRole('heading', { name: 'Explore the demo organisation' }).count()).toBe(0);
  const after = await settled(url);
  expect(after.errors).toEqual([]);
  await page.reload();
  await page.getByTestId('finding').first().waitFor({ timeout: 30_000 });
  expect(await page.getByRole('heading', { name: 'Explore the demo organisation' }).count()).toBe(0);

  // TEST SETUP: a sync held running (locked by this live process, so never taken over).
  const now = new Date().toISOString();
  await again.deps.db
    .insertInto('jobs')
    .values({ task: 'github.sync_org', key: 'test:held-sync', payload: '{"org":"held"}', run_at: now, locked_at: now, locked_by: `${hostname()}:${process.pid}:held`, created_at: now })
    .execute();
  await page.reload();
  await page.getByTestId('sync-banner').waitFor({ timeout: 15_000 });
  await page.getByTestId('finding').first().waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('sync-banner').getByRole('progressbar', { name: 'Sync progress' }).count()).toBe(1);
  expect(await page.getByRole('heading', { name: 'Explore the demo organisation' }).count()).toBe(0);
  await again.deps.db.deleteFrom('jobs').where('key', '=', 'test:held-sync').execute();
  await page.getByTestId('sync-banner').waitFor({ state: 'detached', timeout: 15_000 });

  expect(w.errors()).toEqual([]);
  await page.close();
});
