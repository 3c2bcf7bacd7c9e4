import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/start.ts';
import { connectOrg, startGuidepost, stopProc, syncStatus, waitUntil, type Proc } from '../worker.fixture.ts';
import { screenshot, startWebEnv, watch, type WebEnv } from './browser.ts';

// Issue 16: a server that runs no jobs (serve --no-jobs) says so on Sync status while a sync
// waits for a worker, and the notice goes once a `guidepost worker` process takes the jobs.

let env: WebEnv;
let sim: RunningSimulator;
let worker: Proc | undefined;
beforeAll(async () => {
  sim = await startSimulator({ seed: 1, scale: 'tiny', git: false });
  env = await startWebEnv({}, { jobs: 'elsewhere' });
});
afterAll(async () => {
  await stopProc(worker);
  await env?.close();
  await sim?.close();
});

test('Sync status says no worker is running while a sync waits, and the sync runs once a worker starts', { timeout: 150_000 }, async () => {
  await connectOrg(env.server.url, { org: sim.org.org.login, apiUrl: sim.url, token: sim.token });
  const page = await env.context.newPage();
  const w = watch(page);
  await page.goto(`${env.server.url}/sync`);
  const notice = page.getByTestId('no-worker');
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.textContent()).toMatch(/^No worker is running: sync jobs wait until one starts\. Run guidepost worker/);
  await screenshot(page, 'sync-no-worker');

  worker = startGuidepost(['worker'], env.server.deps.config);
  await waitUntil('the worker’s sync to finish', async () => {
    const s = await syncStatus(env.server.url);
    return s.workers.running === 1 && !s.running && s.queued === 0 && s.repos.length > 0 ? s : undefined;
  }, 120_000, worker);
  await page.reload();
  await page.getByRole('heading', { name: 'Sync status' }).waitFor();
  expect(await page.getByTestId('no-worker').count()).toBe(0);
  expect(w.errors()).toEqual([]);
});
