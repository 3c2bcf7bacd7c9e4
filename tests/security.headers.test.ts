import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, tempDir, type TestDb } from './harness.ts';
import { startDashboardBrowser, type DashboardBrowser } from './security.harness.ts';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { parseConfig } from '../server/config.ts';

function expectSecurityHeaders(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'", "form-action 'self'"]) {
    expect(csp, `${what}: ${directive}`).toContain(directive);
  }
  expect(csp, what).not.toMatch(/script-src[^;]*unsafe/);
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('x-powered-by'), what).toBeNull();
}

describe('security headers', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('are on API answers, error answers and the dashboard shell alike', async () => {
    t = await createTestDb();
    mkdirSync(join(t.dir, 'web'));
    writeFileSync(join(t.dir, 'web', 'index.html'), '<!doctype html><title>Guidepost</title>');
    const app = createApp({ db: t.db, config: t.config, logger: createLogger('silent') }, { webRoot: join(t.dir, 'web') });
    expectSecurityHeaders(await app.request('/api/health'), 'health');
    expectSecurityHeaders(await app.request('/api/nope'), '404');
    expectSecurityHeaders(await app.request('/api/auth/logout', { method: 'POST' }), 'csrf 403');
    expectSecurityHeaders(await app.request('/'), 'shell');
    expectSecurityHeaders(await app.request('/some/client/route'), 'client route');
    expect((await app.request('/api/health')).headers.get('cache-control')).toMatch(/private|no-store/);
  });

  it('send HSTS only over HTTPS, and trust X-Forwarded-Proto only when told to', async () => {
    t = await createTestDb();
    expect((await createTestApp(t).request('/api/health')).headers.get('strict-transport-security')).toBeNull();
    expect((await createTestApp(t).request('/api/health', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
    const proxied = createApp({ db: t.db, config: parseConfig({ ...{ GUIDEPOST_DB: t.config.dbPath }, GUIDEPOST_TRUST_PROXY: 'true' }), logger: createLogger('silent') });
    expect((await proxied.request('/api/health', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});

describe('the built dashboard in headless Chromium', () => {
  let dir: { dir: string; cleanup: () => void };
  let dashboard: DashboardBrowser;

  beforeAll(async () => {
    dir = tempDir();
    dashboard = await startDashboardBrowser(dir.dir, join(dir.dir, 'g.db'));
  });
  afterAll(async () => {
    await dashboard?.close();
    dir?.cleanup();
  });

  it('loads every page with no Content-Security-Policy violation, and the policy is really enforced', async () => {
    const page = await dashboard.browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.exposeFunction('__reportCsp', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });

    for (const path of ['/', '/mentoring', '/reviews', '/knowledge', '/teams/x', '/repos/a/b', '/people/x', '/brief', '/sync', '/settings', '/welcome', '/login', '/no-such-page']) {
      await page.goto(dashboard.server.url + path, { waitUntil: 'load', timeout: 20_000 });
      // Pages load as lazy chunks and then fetch; give them a moment to render and style.
      await page.waitForTimeout(400);
      expect(await page.locator('#app *').count(), `${path} rendered`).toBeGreaterThan(0);
    }
    expect(violations).toEqual([]);

    // The detector works and the policy bites: an injected inline script is blocked and reported.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false)).toBe(false);
    expect(violations.length).toBeGreaterThan(0);
    await page.close();
  });
});
