import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/start.ts';
import { startWebEnv, watch, screenshot, allowMissingRoutes, type WebEnv } from './browser.ts';

let env: WebEnv;
let sim: RunningSimulator;
beforeAll(async () => {
  // The simulated GitHub stands in for github.com: it refuses tokens it did not issue.
  sim = await startSimulator({ seed: 1, scale: 'tiny', git: false });
  env = await startWebEnv();
});
afterAll(async () => {
  await env?.close();
  await sim?.close();
});

test('connecting an org with a bad token shows the error the server gave, and saves nothing', async () => {
  const page = await env.context.newPage();
  const w = watch(page);
  await allowMissingRoutes(w, env.server.url, ['/connections', '/sync']);
  await page.goto(env.server.url + '/');

  // No org yet: the first-run screen offers the demo and the connect form, scopes spelled out.
  await page.getByRole('heading', { name: 'Where does your team need guidance?' }).waitFor();
  await expect(page.getByRole('button', { name: 'Explore the demo organisation' }).isVisible()).resolves.toBe(true);
  await expect(page.getByText('read:org').isVisible()).resolves.toBe(true);
  await screenshot(page, 'first-run');

  await page.locator('#org').fill('acme');
  await page.locator('#token').fill('ghp_this-token-is-not-valid');
  await page.getByText('GitHub Enterprise Server').click();
  await page.locator('#api-url').fill(sim.url);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/connections') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check and connect' }).click(),
  ]);
  expect(res.status()).toBeGreaterThanOrEqual(400);
  w.expect('/api/connections', res.status());
  const body = (await res.json()) as { error: { message: string } };

  const shown = page.getByTestId('connect-error');
  await shown.waitFor();
  expect(await shown.textContent()).toBe(body.error.message);
  expect(body.error.message).toMatch(/token/i);
  // The token never comes back in what the user sees.
  expect(await page.content()).not.toContain('ghp_this-token-is-not-valid');
  await screenshot(page, 'connect-error');

  // Still on the first-run screen: nothing was connected.
  await page.reload();
  await page.getByRole('heading', { name: 'Where does your team need guidance?' }).waitFor();
  expect(w.errors()).toEqual([]);
});
