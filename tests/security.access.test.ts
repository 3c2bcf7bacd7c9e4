import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { parseConfig } from '../server/config.ts';
import { createApp } from '../server/app.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { createTestApp, createTestDb, tempDir } from './harness.ts';
import { ADMIN_PASSWORD, isErrorShape, login, registeredRoutes } from './security.harness.ts';
import { WEBHOOK_PATH } from '../server/middleware/access.ts';

// GitHub's webhook deliveries carry a signature instead of a session (tests/webhooks.error.test.ts).
const OPEN = (path: string) => path === '/api/health' || path.startsWith('/api/auth/') || path === WEBHOOK_PATH;

describe('a server that requires a login (any non-loopback host; here forced on while bound to 127.0.0.1)', () => {
  let server: RunningServer;
  let dir: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    dir = tempDir();
    mkdirSync(join(dir.dir, 'web'));
    writeFileSync(join(dir.dir, 'web', 'index.html'), '<!doctype html><title>Guidepost</title>');
    const config = parseConfig({
      GUIDEPOST_DB: join(dir.dir, 'guidepost.db'),
      GUIDEPOST_HOST: '127.0.0.1',
      GUIDEPOST_PORT: '0',
      GUIDEPOST_LOG_LEVEL: 'silent',
      GUIDEPOST_REQUIRE_AUTH: 'true',
      GUIDEPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    server = await startServer(config, { webRoot: join(dir.dir, 'web') });
  });
  afterAll(async () => {
    await server?.close();
    dir?.cleanup();
  });

  it('answers 401 in the error shape on every API route but health and the auth routes', async () => {
    const routes = registeredRoutes(createApp(server.deps)).filter((r) => r.path.startsWith('/api'));
    expect(routes.length).toBeGreaterThan(3);
    const wrong: string[] = [];
    for (const r of routes) {
      const res = await fetch(server.url + r.path, {
        method: r.method,
        headers: r.method === 'GET' ? {} : { 'content-type': 'application/json' },
        body: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}',
      });
      const body: unknown = await res.json().catch(() => null);
      if (OPEN(r.path)) {
        if (res.status === 401 && r.path !== '/api/auth/login') wrong.push(`${r.method} ${r.path} (open) -> 401`);
      } else if (res.status !== 401 || !isErrorShape(body) || body.error.code !== 'unauthorized') {
        wrong.push(`${r.method} ${r.path} -> ${res.status} ${JSON.stringify(body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('still serves health and the dashboard shell without a login', async () => {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const shell = await fetch(`${server.url}/`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<title>Guidepost</title>');
  });

  it('lets the admin in with the password set on first run, and out again on logout', async () => {
    const app = createApp(server.deps);
    const { cookie, csrf } = await login(app, 'admin', ADMIN_PASSWORD, server.url);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' }, authRequired: true });
    // A protected path now gets past the login check (an unknown route is a plain 404).
    expect((await fetch(`${server.url}/api/no-such-route`, { headers: { cookie } })).status).toBe(404);

    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect((await fetch(`${server.url}/api/no-such-route`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a wrong password with 401 and no session cookie', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'gp_csrf=' + 'a'.repeat(43), 'x-csrf-token': 'a'.repeat(43) },
      body: JSON.stringify({ username: 'admin', password: 'not the password at all' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('gp_session='))).toBe(false);
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, Secure only behind HTTPS the operator vouched for', async () => {
    const plain = await login(createApp(server.deps), 'admin', ADMIN_PASSWORD, server.url);
    expect(plain.cookie).toMatch(/^gp_session=/);

    const attempt = async (trustProxy: boolean) => {
      const config = parseConfig({ GUIDEPOST_DB: server.deps.config.dbPath, GUIDEPOST_REQUIRE_AUTH: 'true', GUIDEPOST_TRUST_PROXY: String(trustProxy) as 'true' | 'false', GUIDEPOST_LOG_LEVEL: 'silent' });
      const app = createApp({ ...server.deps, config });
      const token = 'b'.repeat(43);
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', cookie: `gp_csrf=${token}`, 'x-csrf-token': token },
        body: JSON.stringify({ password: ADMIN_PASSWORD }),
      });
      expect(res.status).toBe(200);
      return res.headers.getSetCookie().find((c) => c.startsWith('gp_session='))!;
    };
    const behindProxy = await attempt(true);
    expect(behindProxy).toMatch(/HttpOnly/);
    expect(behindProxy).toMatch(/SameSite=Strict/);
    expect(behindProxy).toMatch(/Secure/);
    // Without GUIDEPOST_TRUST_PROXY a client cannot talk the server into thinking it is on HTTPS.
    expect(await attempt(false)).not.toMatch(/Secure/);
  });

  it('stores only hashes: neither the password nor the session id is in the database', async () => {
    const { cookie } = await login(createApp(server.deps), 'admin', ADMIN_PASSWORD, server.url);
    const sessionId = /gp_session=([^;]+)/.exec(cookie)![1]!;
    const sqlite = new Database(server.deps.config.dbPath, { readonly: true });
    const users = sqlite.prepare('select password_hash from users').all() as { password_hash: string }[];
    const sessions = sqlite.prepare('select id_hash from sessions').all() as { id_hash: string }[];
    sqlite.close();
    expect(users[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(users)).not.toContain(ADMIN_PASSWORD);
    expect(sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(sessions)).not.toContain(sessionId);
  });

  it('treats an expired session as no session', async () => {
    const { cookie } = await login(createApp(server.deps), 'admin', ADMIN_PASSWORD, server.url);
    await server.deps.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    expect((await fetch(`${server.url}/api/no-such-route`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('starting without an admin', () => {
  it('is refused on a login-protected server, with a message that says how to set one', async () => {
    const dir = tempDir();
    try {
      const config = parseConfig({ GUIDEPOST_DB: join(dir.dir, 'g.db'), GUIDEPOST_PORT: '0', GUIDEPOST_LOG_LEVEL: 'silent', GUIDEPOST_REQUIRE_AUTH: 'true' });
      await expect(startServer(config)).rejects.toThrow(/guidepost admin set-password.*GUIDEPOST_ADMIN_PASSWORD/);
    } finally {
      dir.cleanup();
    }
  });

  it('makes a non-loopback host require a login, and will not let it be turned off there', () => {
    expect(parseConfig({ GUIDEPOST_HOST: '0.0.0.0' }).requireAuth).toBe(true);
    expect(parseConfig({ GUIDEPOST_HOST: '192.168.1.20' }).requireAuth).toBe(true);
    expect(parseConfig({ GUIDEPOST_HOST: '::' }).requireAuth).toBe(true);
    expect(parseConfig({ GUIDEPOST_HOST: '127.0.0.1' }).requireAuth).toBe(false);
    expect(parseConfig({ GUIDEPOST_HOST: '::1' }).requireAuth).toBe(false);
    expect(parseConfig({ GUIDEPOST_HOST: 'localhost' }).requireAuth).toBe(false);
    expect(() => parseConfig({ GUIDEPOST_HOST: '0.0.0.0', GUIDEPOST_REQUIRE_AUTH: 'false' })).toThrow(/not allowed/);
  });

  it('`guidepost serve --host 0.0.0.0` exits with that message before listening', async () => {
    const dir = tempDir();
    try {
      const run = promisify(execFile)(process.execPath, ['bin/guidepost.js', 'serve', '--host', '0.0.0.0', '--port', '0', '--db', join(dir.dir, 'g.db')], {
        env: { ...process.env, GUIDEPOST_ADMIN_PASSWORD: '', GUIDEPOST_LOG_LEVEL: 'silent' },
        timeout: 30_000,
      });
      const err = (await run.then(() => undefined, (e: unknown) => e)) as { code: number; stderr: string } | undefined;
      expect(err?.code).toBe(1);
      expect(err?.stderr).toMatch(/Refusing to start.*guidepost admin set-password/);
    } finally {
      dir.cleanup();
    }
  });
});

describe('a loopback server with no login', () => {
  it('refuses API requests addressed to another host name (DNS rebinding)', async () => {
    const t = await createTestDb();
    try {
      const app = createTestApp(t);
      expect((await app.request('http://127.0.0.1/api/health')).status).toBe(200);
      expect((await app.request('http://localhost/api/health')).status).toBe(200);
      const rebound = await app.request('http://attacker.example/api/auth/me');
      expect(rebound.status).toBe(403);
      expect(isErrorShape(await rebound.json())).toBe(true);
    } finally {
      await t.close();
    }
  });
});
