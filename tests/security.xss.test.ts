import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { tempDir } from './harness.ts';
import { startDashboardBrowser, type DashboardBrowser } from './security.harness.ts';
import { syncToEnd } from './soak.harness.ts';

// Planted in every name, title and branch the simulated GitHub serves. Rendered as text, it is
// harmless; interpreted as HTML, it runs and counts itself in window.__xss.
const PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';

describe('names, titles and branches from GitHub holding HTML', () => {
  let sim: RunningSimulator;
  let dashboard: DashboardBrowser;
  let dir: { dir: string; cleanup: () => void };
  let paths: string[];

  beforeAll(async () => {
    dir = tempDir();
    const org = generateOrg({ seed: 9, scale: 'small' });
    for (const p of org.people) p.name = `${PAYLOAD} ${p.name ?? p.login}`;
    for (const t of org.teams) t.name = `${PAYLOAD} ${t.name}`;
    for (const pr of org.pulls) {
      pr.title = `${PAYLOAD} ${pr.title}`;
      pr.headRef = `${PAYLOAD}/${pr.headRef}`;
    }
    sim = await startSimulator({ org, git: false });
    const dbPath = join(dir.dir, 'guidepost.db');
    const since = new Date(Date.parse(org.truth.now) - 365 * 86_400_000).toISOString();
    await syncToEnd({ url: sim.url, token: sim.token, org: org.truth.org, since }, dbPath);

    dashboard = await startDashboardBrowser(dir.dir, dbPath);
    await deriveAll(dashboard.server.deps.db, { now: org.truth.now });
    const repo = org.repos[0]!;
    const team = org.teams[0]!;
    const person = org.people.find((p) => org.pulls.some((pr) => pr.author === p.login))!;
    paths = ['/', '/mentoring', '/reviews', '/knowledge', `/teams/${team.slug}`, `/people/${person.login}`, `/repos/${org.truth.org}/${repo.name}`, '/brief', '/sync', '/settings'];
  });
  afterAll(async () => {
    await dashboard?.close();
    await sim?.close();
    dir?.cleanup();
  });

  it('are shown as text on every page and never run', async () => {
    const page = await dashboard.browser.newPage();
    const shownOn: string[] = [];
    for (const path of paths) {
      await page.goto(dashboard.server.url + path, { waitUntil: 'load', timeout: 20_000 });
      await page.waitForTimeout(800);
      const state = await page.evaluate(() => ({
        ran: (window as unknown as { __xss?: number }).__xss ?? 0,
        planted: document.querySelectorAll('img[src="x"]').length,
        text: document.body.innerText,
      }));
      expect(state.ran, `${path}: planted script ran`).toBe(0);
      expect(state.planted, `${path}: planted <img> became an element`).toBe(0);
      if (state.text.includes('<img src=x onerror=')) shownOn.push(path);
    }
    // The payload reached the screen as text somewhere, so the check above looked at real data.
    expect(shownOn.length).toBeGreaterThan(0);
    await page.close();
  });
});
