// Headless Chromium (Debian's package, driven by playwright-core) against the real server
// serving a fresh build of the dashboard. Shared by the browser tests in this folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parseConfig, type ConfigInput } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Builds web/ with the project's vite config into a temp folder (so tests never race dist/). */
export async function buildWeb(outDir: string): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`vite build wrote no index.html to ${outDir}`);
}

export interface WebEnv {
  server: RunningServer;
  context: BrowserContext;
  dir: string;
  close(): Promise<void>;
}

/** A real server (the built dashboard, its job runner) and Chromium; `env` adds configuration, e.g. a webhook secret. */
export async function startWebEnv(env: ConfigInput = {}, o: { jobs?: 'here' | 'elsewhere' } = {}): Promise<WebEnv> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`apt-get update && apt-get install -y chromium\` (.ci/run does).`);
  const dir = mkdtempSync(join(tmpdir(), 'guidepost-web-'));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  const config = parseConfig({
    GUIDEPOST_DB: join(dir, 'guidepost.db'),
    GUIDEPOST_DATA_DIR: dir,
    GUIDEPOST_HOST: '127.0.0.1',
    GUIDEPOST_PORT: '0',
    GUIDEPOST_LOG_LEVEL: 'silent',
    GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
    ...env,
  });
  const server = await startServer(config, { webRoot, ...(o.jobs ? { jobs: o.jobs } : {}) });
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    colorScheme: 'light',
  });
  return {
    server,
    context,
    dir,
    async close() {
      await context.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Watched {
  /** Console errors and uncaught exceptions, minus the network errors the scenario expects. */
  errors(): string[];
  /** Lets an HTTP error status on a URL containing `urlPart` through (the scenario expects it). */
  expect(urlPart: string, status: number): void;
}

/** Records console errors, page errors and failing responses of one page. */
export function watch(page: Page): Watched {
  const errors: string[] = [];
  const failed: { url: string; status: number }[] = [];
  const expected: { urlPart: string; status: number }[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every 4xx/5xx fetch as "Failed to load resource"; those are judged by URL below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push({ url: r.url(), status: r.status() });
  });
  return {
    expect: (urlPart, status) => expected.push({ urlPart, status }),
    errors: () => [
      ...errors,
      ...failed
        .filter((f) => !expected.some((x) => f.url.includes(x.urlPart) && f.status === x.status))
        .map((f) => `HTTP ${f.status} ${f.url}`),
    ],
  };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join('docs', 'screenshots', `${name}.png`), fullPage: options.fullPage ?? false });
}

/** Whether the page scrolls sideways as a whole (a table may scroll inside its own box). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/**
 * Visible text whose contrast with what is behind it is under WCAG AA: 4.5:1, or 3:1 for large
 * text (24px, or 18.66px bold). The background is the nearest opaque one up the tree; a
 * half-transparent one is blended over it. Returns "text (ratio)" for each failure.
 */
export async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const probe = document.createElement('canvas').getContext('2d')!;
    // The canvas turns any CSS colour (rgb(), color(srgb …), color-mix results) into sRGB bytes.
    const parse = (css: string): Rgba => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const d = probe.getImageData(0, 0, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]! / 255];
    };
    const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
    const background = (el: Element | null): Rgba => {
      if (!el) return [255, 255, 255, 1];
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c[3] >= 0.99) return c;
      const under = background(el.parentElement);
      return c[3] === 0 ? under : over(c, under);
    };
    const lum = (c: Rgba) => {
      const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const failures: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent?.trim()) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || box.width < 2 || box.height < 2 || el.closest('.visually-hidden, [aria-hidden="true"]')) continue;
      const bg = background(el);
      const fg = over(parse(style.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi! + 0.05) / (lo! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      // Disabled controls are exempt (WCAG 1.4.3).
      if (ratio < (large ? 3 : 4.5) && !el.closest('button:disabled')) failures.push(`${n.textContent.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
    }
    return failures;
  });
}

/**
 * While other parts of the API are still being built, a GET the dashboard makes to a route the
 * server does not have yet answers 404 "No API route"; those are allowed, nothing else is.
 */
export async function allowMissingRoutes(w: Watched, base: string, paths: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of paths) {
    const res = await fetch(base + '/api' + p);
    if (res.status !== 404) continue;
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (body.error?.message?.startsWith('No API route')) {
      missing.push(p);
      w.expect('/api' + p, 404);
    }
  }
  return missing;
}

/**
 * Fills the server's database the way a sync does: the simulated GitHub (tiny scale), the real
 * job runner and sync tasks (with the git knowledge job), then the derive stage. Used while the
 * server has no demo route; the demo route runs this same pipeline from the browser.
 */
export async function seedSimulatedOrg(env: WebEnv): Promise<void> {
  const { startSimulator } = await import('../../simulator/start.ts');
  const { createLogger } = await import('../../server/logger.ts');
  const { createRunner } = await import('../../jobs/job-runner.ts');
  const { enqueue } = await import('../../jobs/queue.ts');
  const { createGithubClient } = await import('../../jobs/github/client.ts');
  const { SYNC_ORG, syncTasks } = await import('../../jobs/github/sync.ts');
  const { deriveAll } = await import('../../jobs/derive/signals.derive.ts');
  const sim = await startSimulator({ seed: 1, scale: 'tiny' });
  try {
    const db = env.server.deps.db;
    const logger = createLogger('silent');
    const client = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger });
    const services = { clientFor: async () => client, tokenFor: async () => sim.token, dataDir: env.dir, backfillDays: 3650, onRepoSynced: [], knowledge: true };
    const runner = createRunner({ db, logger, tasks: syncTasks, services, concurrency: 4, backoffBaseMs: 50 });
    await enqueue(db, { task: SYNC_ORG, key: `${SYNC_ORG}:${sim.org.org.login}`, payload: { org: sim.org.org.login, since: '2000-01-01T00:00:00.000Z' } });
    await runner.drain();
    await deriveAll(db);
  } finally {
    await sim.close();
  }
}

/**
 * Runs the demo org the way the first-run screen does (POST /api/demo: the real sync against the
 * simulated GitHub) and waits, polling GET /api/sync, until every job is done and the history's
 * end is known. Throws with the last status seen when it takes longer than `timeoutMs`.
 */
export async function startDemoOrg(env: WebEnv, timeoutMs = 150_000): Promise<void> {
  const url = env.server.url;
  const { csrfHeaders } = await import('../../server/middleware/csrf.ts');
  const started = await fetch(url + '/api/demo', { method: 'POST', headers: csrfHeaders() });
  if (started.status !== 202) throw new Error(`POST /api/demo answered ${started.status}: ${await started.text()}`);
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const s = (await (await fetch(url + '/api/sync')).json()) as { running: boolean; queued: number; repoCount: number; dataEnd: string | null; errors: string[]; repos: { status: string }[] };
    last = s;
    if (s.errors.length) throw new Error(`the demo sync failed: ${s.errors.join('; ')}`);
    if (!s.running && s.queued === 0 && s.repoCount > 0 && s.dataEnd && s.repos.length > 0 && s.repos.every((r) => r.status === 'done')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the demo sync did not finish in ${timeoutMs} ms; last GET /api/sync: ${JSON.stringify(last)}`);
}

export interface CanvasState {
  /** The canvas's place among the page's canvases, and its aria-label when it has one. */
  name: string;
  width: number;
  height: number;
  /** Whether the bitmap differs from a blank (fully transparent) one of the same size. */
  drawn: boolean;
}

/** Every <canvas> on the page: its drawn size and whether anything was drawn on it. */
export async function canvases(page: Page): Promise<CanvasState[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c, i) => {
      const box = c.getBoundingClientRect();
      const width = Math.min(Math.round(box.width), c.width);
      const height = Math.min(Math.round(box.height), c.height);
      let drawn = false;
      if (c.width > 0 && c.height > 0) {
        const blank = document.createElement('canvas');
        blank.width = c.width;
        blank.height = c.height;
        drawn = c.toDataURL() !== blank.toDataURL();
      }
      return { name: `canvas ${i + 1}${c.getAttribute('aria-label') ? ` "${c.getAttribute('aria-label')!.slice(0, 60)}"` : ''}`, width, height, drawn };
    }),
  );
}
