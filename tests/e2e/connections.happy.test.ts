import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/start.ts';
import { startWebEnv, startDemoOrg, watch, screenshot, type WebEnv } from './browser.ts';

// Issue 13: from the demo to a real org in one click on the Connections page, deleting the
// demo's data; the dashboard then shows the real org's data, and the demo is gone.

const WAIT = 20_000;
let env: WebEnv;
let real: RunningSimulator;
beforeAll(async () => {
  real = await startSimulator({ seed: 2, scale: 'tiny', git: false });
  env = await startWebEnv();
  await startDemoOrg(env);
}, 240_000);
afterAll(async () => {
  await env?.close();
  await real?.close();
}, 60_000);

test('the Connections page connects a real org after the demo, deleting the demo’s data, and the overview shows the real org', async () => {
  const page = await env.context.newPage();
  const w = watch(page);
  const demoOrg = ((await (await fetch(env.server.url + '/api/connections')).json()) as { shownOrg: string }).shownOrg;
  // The address the issue found empty ("Nothing here") now opens the page.
  await page.goto(env.server.url + '/connect');
  await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor({ timeout: WAIT });
  const demoCard = page.locator(`[data-testid="connection"][data-org="${demoOrg}"]`);
  await demoCard.waitFor({ timeout: WAIT });
  expect(await demoCard.textContent()).toContain('shown on the dashboard');
  expect(await demoCard.textContent()).toMatch(/Last successful sync(just now|\d+ \w+ ago)/);
  await screenshot(page, 'connections-demo', { fullPage: true });

  const org = real.org.org.login;
  await page.locator('#org').fill(org);
  await page.locator('#token').fill(real.token);
  await page.getByText('GitHub Enterprise Server').click();
  await page.locator('#api-url').fill(real.url);
  await page.getByTestId('demo-data').getByLabel('Delete it').check();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/connections') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check and connect' }).click(),
  ]);
  expect(res.status()).toBe(201);
  await page.waitForURL(/\/sync$/, { timeout: WAIT });

  // Once its first sync is done, Connections lists the real org alone, shown on the dashboard.
  await expect
    .poll(async () => ((await (await fetch(env.server.url + '/api/sync')).json()) as { running: boolean; queued: number }).running, { timeout: 120_000 })
    .toBe(false);
  await expect.poll(async () => ((await (await fetch(env.server.url + '/api/sync')).json()) as { queued: number }).queued, { timeout: 120_000 }).toBe(0);
  await page.goto(env.server.url + '/connections');
  const cards = page.getByTestId('connection');
  await expect.poll(() => cards.count(), { timeout: WAIT }).toBe(1);
  expect(await cards.first().getAttribute('data-org')).toBe(org);
  expect(await cards.first().textContent()).toContain('shown on the dashboard');
  expect(await page.content()).not.toContain(real.token);
  await screenshot(page, 'connections-real', { fullPage: true });

  // The overview shows the real org's data, named in the navigation.
  await page.goto(env.server.url + '/');
  await page.getByTestId('finding').first().waitFor({ timeout: WAIT });
  expect(await page.locator('.nav .org').textContent()).toBe(org);
  expect(w.errors()).toEqual([]);
  await page.close();
}, 300_000);
