// Dashboard benchmark (issue 6). Prints:
//   gzipped JavaScript: what the overview loads, and the whole build     (target < 150 KB)
//   time until the overview is interactive on the demo org in headless Chromium (target < 1 s)
//   that time ÷ loading a static page with the same bytes of script from the same server
// The org is the simulated one (small scale) synced through the real pipeline into a temp DB.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { chromium, type BrowserContext } from 'playwright-core';
import { parseConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { createLogger } from '../server/logger.ts';
import { startSimulator } from '../simulator/start.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { createGithubClient } from '../jobs/github/client.ts';
import { SYNC_ORG, syncOrgJobKey, syncTasks } from '../jobs/github/sync.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';

const RUNS = 5;
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guidepost-web-bench-'));
  const webRoot = join(dir, 'web');
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir: webRoot, emptyOutDir: true } });
    const assets = join(webRoot, 'assets');
    const gz = new Map(readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => [f, gzipSync(readFileSync(join(assets, f)), { level: 9 }).length]));
    const raw = new Map(readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(join(assets, f)).length]));

    const config = parseConfig({ GUIDEPOST_DB: join(dir, 'guidepost.db'), GUIDEPOST_DATA_DIR: dir, GUIDEPOST_PORT: '0', GUIDEPOST_LOG_LEVEL: 'silent', GUIDEPOST_SYNC_INTERVAL_MINUTES: '0' });
    const server = await startServer(config, { webRoot });
    const t0 = performance.now();
    await seed(server.deps.db, dir);
    console.log(`demo org (small) synced and derived in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // What the overview loads: every script the browser fetches for it, the charts' included
    // (they load after the numbers show, so wait for the network to settle), and the part the
    // browser needed before the tiles showed numbers.
    const ctx = await launch(join(dir, 'profile-probe'));
    const page = await ctx.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/assets/') && u.pathname.endsWith('.js')) scripts.add(u.pathname.slice('/assets/'.length));
    });
    await page.goto(server.url + '/', { waitUntil: 'commit' }); // not 'load': the charts may arrive by then
    await page.locator('[data-testid="tile-coverage"] [data-raw]').waitFor({ timeout: 30_000 });
    const beforeNumbers = new Set(scripts);
    await page.locator('canvas[role="img"][style]').first().waitFor({ timeout: 30_000 }); // Chart.js sizes the canvas when it draws
    await page.waitForLoadState('networkidle');
    await ctx.close();
    const sum = (files: Set<string>, sizes: Map<string, number>) => [...files].reduce((s, f) => s + (sizes.get(f) ?? 0), 0);
    const overviewGz = sum(scripts, gz);
    const overviewRaw = sum(scripts, raw);
    const allGz = [...gz.values()].reduce((a, b) => a + b, 0);
    console.log(`gzipped JavaScript for the overview, charts included: ${kb(overviewGz)} in ${scripts.size} files (target < 150 KB; ratio ${(overviewGz / (150 * 1024)).toFixed(2)} of the budget)`);
    console.log(`  of which loaded before the tiles show numbers: ${kb(sum(beforeNumbers, gz))} in ${beforeNumbers.size} files`);
    console.log(`gzipped JavaScript, whole build (every page, lazily loaded): ${kb(allGz)} in ${gz.size} files`);

    // The baseline: a static page pulling the same bytes of (inert) script, from the same server:
    // all the overview's script, charts included, though the tiles need only part of it.
    const filler = `/* ${'x'.repeat(Math.max(0, overviewRaw - 8))} */`;
    writeFileSync(join(assets, 'baseline.js'), filler);
    writeFileSync(join(webRoot, 'baseline.html'), '<!doctype html><html><head><meta charset="utf-8"><title>baseline</title><script type="module" src="/assets/baseline.js"></script></head><body><p id="ready">ready</p></body></html>');

    const overview: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A fresh profile each run: nothing cached, as a first visit.
      overview.push(await timeTo(join(dir, `p-o-${i}`), server.url + '/', async (p) => {
        await p.locator('[data-testid="tile-coverage"] [data-raw]').waitFor({ timeout: 30_000 });
        await p.getByTestId('finding').first().waitFor();
      }));
      baseline.push(await timeTo(join(dir, `p-b-${i}`), server.url + '/baseline.html', async (p) => {
        await p.waitForFunction(() => document.readyState === 'complete');
      }));
    }
    // A returning visitor: same profile, scripts cached.
    const warm: number[] = [];
    const ctxWarm = await launch(join(dir, 'p-warm'));
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await ctxWarm.newPage();
      await page.goto(server.url + '/', { waitUntil: 'commit' });
      await page.locator('[data-testid="tile-coverage"] [data-raw]').waitFor({ timeout: 30_000 });
      await page.getByTestId('finding').first().waitFor();
      if (i > 0) warm.push(await page.evaluate(() => performance.now()));
      await page.close();
    }
    await ctxWarm.close();
    const o = median(overview);
    const b = median(baseline);
    console.log(`overview interactive (median of ${RUNS} cold loads): ${o.toFixed(0)} ms (target < 1000 ms; ratio ${(o / 1000).toFixed(2)} of the target)`);
    console.log(`static page with the same script bytes: ${b.toFixed(0)} ms`);
    console.log(`ratio overview ÷ static page: ${(o / b).toFixed(2)}`);
    console.log(`overview interactive for a returning visitor (cached scripts, median of ${RUNS}): ${median(warm).toFixed(0)} ms (ratio ${(median(warm) / 1000).toFixed(2)} of the 1 s target)`);
    await server.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 800 } });
}

/** ms from navigation start (the page's own clock) until `ready` resolves. */
async function timeTo(profile: string, url: string, ready: (p: import('playwright-core').Page) => Promise<void>): Promise<number> {
  const ctx = await launch(profile);
  try {
    const page = await ctx.newPage();
    await page.goto('about:blank');
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    return await page.evaluate(() => performance.now());
  } finally {
    await ctx.close();
  }
}

async function seed(db: Parameters<typeof deriveAll>[0], dataDir: string): Promise<void> {
  const sim = await startSimulator({ seed: 1, scale: 'small' });
  try {
    const logger = createLogger('silent');
    const client = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger });
    const services = { clientFor: async () => client, tokenFor: async () => sim.token, dataDir, backfillDays: 3650, onRepoSynced: [], knowledge: true };
    const runner = createRunner({ db, logger, tasks: syncTasks, services, concurrency: 4, backoffBaseMs: 50 });
    await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(sim.org.org.login), payload: { org: sim.org.org.login, since: '2000-01-01T00:00:00.000Z' } });
    await runner.drain();
    await deriveAll(db);
  } finally {
    await sim.close();
  }
}
