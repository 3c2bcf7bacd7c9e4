import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { App } from '../server/app.ts';
import { parseConfig } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { setUserPassword } from '../server/auth/users.ts';
import type { Db } from '../server/db/connect.ts';
import type { Role } from '../server/db/auth.tables.ts';

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const VIEWER_PASSWORD = 'viewer can only look 42';

export interface RouteCase {
  method: string;
  path: string;
  /** The registered pattern, for messages. */
  pattern: string;
}

/**
 * Every (method, path) the app has registered, with `:params` and `*` filled in, so routes added
 * later by anyone are covered without editing the tests. Middleware entries are included: they
 * stand for whole subtrees ("/api/*" becomes "/api/x").
 */
export function registeredRoutes(app: App): RouteCase[] {
  const seen = new Set<string>();
  const out: RouteCase[] = [];
  for (const r of app.routes) {
    const path = r.path
      .replace(/:[A-Za-z0-9_]+(\{[^}]*\})?\??/g, '1')
      .replace(/\*/g, 'x')
      .replace(/\/+/g, '/');
    const methods = r.method === 'ALL' ? ['GET', 'POST'] : [r.method];
    for (const method of methods) {
      const key = `${method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ method, path, pattern: r.path });
    }
  }
  return out;
}

export async function addUser(db: Db, username: string, role: Role, password: string): Promise<void> {
  await setUserPassword(db, username, role, password);
}

/** Logs in through the real route; returns the Cookie header value for later requests (session + CSRF). */
export async function login(app: App, username: string, password: string, base = ''): Promise<{ cookie: string; csrf: string }> {
  const csrf = csrfHeaders();
  const res = await (base ? fetch(`${base}/api/auth/login`, init()) : app.request('/api/auth/login', init()));
  if (res.status !== 200) throw new Error(`login as ${username} failed with ${res.status}: ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('gp_session='));
  if (!session) throw new Error('login set no session cookie');
  return { cookie: `${session.split(';')[0]}; ${csrf.cookie}`, csrf: csrf['x-csrf-token']! };

  function init(): RequestInit {
    return { method: 'POST', headers: { ...csrf, 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) };
  }
}

export interface ErrorShape {
  error: { code: string; message: string };
}

/** True when a body is exactly the documented `{ error: { code, message } }`. */
export function isErrorShape(body: unknown): body is ErrorShape {
  if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1) return false;
  const e = (body as Partial<ErrorShape>).error;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string' && e.message.length > 0;
}

/**
 * The built dashboard: dist/web when it is newer than every file in web/ (CI builds it before
 * the tests), else a fresh build into `fallbackDir`, so a stale build is never what gets checked.
 */
export async function builtWeb(fallbackDir: string): Promise<string> {
  const newest = (dir: string): number => Math.max(0, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(dir, f)).mtimeMs));
  if (existsSync('dist/web/index.html') && statSync('dist/web/index.html').mtimeMs >= Math.max(newest('web'), statSync('vite.config.ts').mtimeMs)) return resolve('dist/web');
  const { build } = await import('vite');
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir: fallbackDir, emptyOutDir: true } });
  return fallbackDir;
}

export interface DashboardBrowser {
  server: RunningServer;
  browser: BrowserContext;
  close(): Promise<void>;
}

/** The real server over `dbPath` serving the built dashboard, and headless Chromium to look at it; both keep their files under `dir`. */
export async function startDashboardBrowser(dir: string, dbPath: string): Promise<DashboardBrowser> {
  // Build the current web/ sources, so the check covers what `npm run build` would ship today.
  const webRoot = await builtWeb(join(dir, 'web'));
  const server = await startServer(parseConfig({ GUIDEPOST_DB: dbPath, GUIDEPOST_PORT: '0', GUIDEPOST_LOG_LEVEL: 'silent', GUIDEPOST_SYNC_INTERVAL_MINUTES: '0' }), { webRoot });
  // A fresh profile per run, so no cached asset or cookie from another run hides a problem.
  const browser = await chromium
    .launchPersistentContext(join(dir, 'chrome'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
    .catch(async (err: unknown) => {
      await server.close();
      throw err;
    });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A server config that asks for a login, with the admin made at start; its database in `dir`. */
export function authServerConfig(dir: string) {
  return parseConfig({
    GUIDEPOST_DB: join(dir, 'guidepost.db'),
    GUIDEPOST_HOST: '127.0.0.1',
    GUIDEPOST_PORT: '0',
    GUIDEPOST_LOG_LEVEL: 'silent',
    GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
    GUIDEPOST_REQUIRE_AUTH: 'true',
    GUIDEPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
}
