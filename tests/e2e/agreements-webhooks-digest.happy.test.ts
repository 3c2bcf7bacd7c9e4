import { afterAll, beforeAll, expect, test } from 'vitest';
import { csrfHeaders } from '../../server/middleware/csrf.ts';
import { startSimulator, type RunningSimulator } from '../../simulator/start.ts';
import { startHttpReceiver, type HttpReceiver } from '../digest.fixture.ts';
import { startWebEnv, screenshot, watch, type WebEnv } from './browser.ts';

// Issue 15 as a lead uses it in the browser: working agreements set in Settings and shown on the
// overview (drifting in amber, never red); the simulated org's webhooks arriving while the org
// evolves, listed under Settings; and the digest's "Send a test" reaching a Slack receiver.

const WAIT = 20_000;
const SECRET = 'e2e-webhook-secret-0123456789abcdef';
let env: WebEnv;
let sim: RunningSimulator;
let slack: HttpReceiver;

beforeAll(async () => {
  slack = await startHttpReceiver();
  sim = await startSimulator({ seed: 3, scale: 'tiny', git: false });
  env = await startWebEnv({ GUIDEPOST_WEBHOOK_SECRET: SECRET, GUIDEPOST_SLACK_WEBHOOK_URL: `${slack.url}/slack-hook` });
  const url = env.server.url;
  const res = await fetch(`${url}/api/connections`, {
    method: 'POST',
    headers: { ...csrfHeaders(), origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ org: sim.org.org.login, apiUrl: sim.url, token: sim.token }),
  });
  if (res.status !== 201) throw new Error(`connecting answered ${res.status}: ${await res.text()}`);
  for (const until = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 250))) {
    const s = (await (await fetch(`${url}/api/sync`)).json()) as { running: boolean; queued: number; repoCount: number };
    if (!s.running && s.queued === 0 && s.repoCount > 0) break;
    if (Date.now() > until) throw new Error(`the first sync did not finish in 120 s: ${JSON.stringify(s)}`);
  }
  sim.webhooks.addHook({ url: `${url}/api/webhooks/github`, secret: SECRET });
}, 240_000);
afterAll(async () => {
  await env?.close();
  await sim?.close();
  await slack?.close();
}, 60_000);

test('agreements set in Settings show on the overview as met or drifting, drifting in amber', async () => {
  const page = await env.context.newPage();
  const w = watch(page);
  await page.goto(`${env.server.url}/settings#agreements`);
  const form = page.locator('#agreements');
  await form.getByRole('button', { name: 'Save agreements' }).waitFor({ timeout: WAIT });
  await form.getByRole('checkbox', { name: 'Time to first review at most' }).check();
  await form.getByRole('spinbutton', { name: 'Hours' }).fill('24');
  // No tiny org has 40 reviewers in a repository: this one drifts whatever the data.
  await form.getByLabel('Active reviewers in every repository, at least').check();
  await form.getByRole('spinbutton', { name: 'Reviewers' }).fill('40');
  await form.getByRole('button', { name: 'Save agreements' }).click();
  await form.getByText('Saved 2 working agreements').waitFor({ timeout: WAIT });

  await page.goto(env.server.url + '/');
  const section = page.getByTestId('agreements');
  await section.waitFor({ timeout: WAIT });
  const cards = section.locator('li[data-status]');
  await expect.poll(() => cards.count(), { timeout: WAIT }).toBe(2);
  const reviewers = page.getByTestId('agreement-reviewersPerRepo');
  expect(await reviewers.getAttribute('data-status')).toBe('drifting');
  expect(await reviewers.textContent()).toContain('target');
  const ttfr = page.getByTestId('agreement-timeToFirstReview');
  expect(['met', 'drifting', 'no data']).toContain(await ttfr.getAttribute('data-status'));
  // Amber, never red: the drifting card's state is drawn in the warning colour, not the error one.
  const colours = await reviewers.locator('.state').evaluate((el) => {
    const probe = (v: string) => {
      const p = document.createElement('span');
      p.style.color = `var(${v})`;
      document.body.append(p);
      const c = getComputedStyle(p).color;
      p.remove();
      return c;
    };
    return { state: getComputedStyle(el).color, warn: probe('--warn'), bad: probe('--bad') };
  });
  expect(colours.state).toBe(colours.warn);
  expect(colours.state).not.toBe(colours.bad);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'agreements');
  expect(w.errors()).toEqual([]);
});

test('the simulated org’s webhooks arrive while it evolves and Settings lists the deliveries', async () => {
  const evolved = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ newPulls: 2, newReviewsOnOldPulls: 1, lateMerges: 0, days: 1 }) });
  expect(evolved.status).toBe(200);
  await sim.webhooks.idle();
  const sent = sim.webhooks.deliveries();
  expect(sent.filter((d) => d.event === 'pull_request' && d.action === 'opened')).toHaveLength(2);
  expect(sent.every((d) => d.status === 200 || d.status === 202)).toBe(true);

  const page = await env.context.newPage();
  const w = watch(page);
  await page.goto(`${env.server.url}/settings#webhooks`);
  const section = page.locator('#webhooks');
  await section.getByText('This server has one.').waitFor({ timeout: WAIT });
  expect(await section.textContent()).toContain(`${env.server.url}/api/webhooks/github`);
  const rows = section.locator('tbody tr');
  await expect.poll(() => rows.count(), { timeout: WAIT }).toBeGreaterThanOrEqual(3);
  const text = await section.textContent();
  expect(text).toContain('pull_request · opened');
  expect(text).toContain('applied');
  expect(text).not.toContain(SECRET);
  expect(await page.content()).not.toContain(SECRET);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-webhooks');
  expect(w.errors()).toEqual([]);
});

test('“Send a test” sends the digest to the Slack receiver and says so, with no one named', async () => {
  const page = await env.context.newPage();
  const w = watch(page);
  await page.goto(`${env.server.url}/settings#digest`);
  const section = page.locator('#digest');
  await section.getByRole('button', { name: 'Send a test' }).click({ timeout: WAIT });
  await section.locator('.results li.ok').first().waitFor({ timeout: WAIT });
  expect(slack.posts.filter((p) => p.path === '/slack-hook')).toHaveLength(1);
  const payload = JSON.stringify(slack.posts[0]!.body);
  const logins = sim.org.people.map((p) => p.login).filter((l) => l.length > 3);
  expect(logins.filter((l) => payload.includes(l))).toEqual([]);
  expect(await page.content()).not.toContain(slack.url);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-digest');
  expect(w.errors()).toEqual([]);
});
