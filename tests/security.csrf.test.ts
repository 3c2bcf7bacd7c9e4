import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { isErrorShape, registeredRoutes } from './security.harness.ts';
import { WEBHOOK_PATH } from '../server/middleware/access.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { parseConfig } from '../server/config.ts';

const TOKEN = 'c'.repeat(43);
const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE'];

describe('CSRF protection on a loopback server with no login', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('refuses every state-changing route without a CSRF token with 403 in the error shape', async () => {
    t = await createTestDb();
    const app = createTestApp(t);
    const routes = registeredRoutes(app).flatMap((r) => (r.method === 'GET' && r.pattern.includes('*') ? STATE_CHANGING.map((m) => ({ ...r, method: m })) : [r]));
    // GitHub's webhook deliveries are signed instead (tests/webhooks.error.test.ts).
    const writes = routes.filter((r) => STATE_CHANGING.includes(r.method) && r.path !== WEBHOOK_PATH);
    expect(writes.length).toBeGreaterThan(3);
    const wrong: string[] = [];
    for (const r of writes) {
      const res = await app.request(r.path, { method: r.method, headers: { 'content-type': 'application/json' }, body: '{}' });
      const body: unknown = await res.json().catch(() => null);
      if (res.status !== 403 || !isErrorShape(body) || body.error.code !== 'forbidden') wrong.push(`${r.method} ${r.path} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a token in the header that does not match the cookie, or a cookie with no header', async () => {
    t = await createTestDb();
    const app = createTestApp(t);
    const mismatched = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie: `gp_csrf=${TOKEN}`, 'x-csrf-token': 'd'.repeat(43) } });
    expect(mismatched.status).toBe(403);
    const cookieOnly = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie: `gp_csrf=${TOKEN}` } });
    expect(cookieOnly.status).toBe(403);
    expect(((await cookieOnly.json()) as { error: { message: string } }).error.message).toMatch(/x-csrf-token/);
  });

  it('refuses a cross-site request even when it carries a matching token', async () => {
    t = await createTestDb();
    const app = createTestApp(t);
    const headers = { cookie: `gp_csrf=${TOKEN}`, 'x-csrf-token': TOKEN };
    const crossOrigin = await app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { ...headers, origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    const crossSite = await app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const sameSiteOtherOrigin = await app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'same-site' } });
    expect(sameSiteOtherOrigin.status).toBe(403);
    const nullOrigin = await app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { ...headers, origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
  });

  it('lets safe methods through without a token', async () => {
    t = await createTestDb();
    const res = await createTestApp(t).request('/api/health');
    expect(res.status).toBe(200);
  });
});

describe('CSRF over real HTTP, as the dashboard does it', () => {
  let server: RunningServer | undefined;
  let t: TestDb;
  afterEach(async () => {
    await server?.close();
    await t?.close();
  });

  it('hands out a readable SameSite=Strict gp_csrf cookie and accepts a same-origin POST that echoes it', async () => {
    t = await createTestDb();
    server = await startServer(parseConfig({ GUIDEPOST_DB: t.config.dbPath, GUIDEPOST_PORT: '0', GUIDEPOST_LOG_LEVEL: 'silent' }));
    const first = await fetch(`${server.url}/api/auth/me`);
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('gp_csrf='))!;
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/HttpOnly/); // the dashboard's script must read it
    const token = /gp_csrf=([^;]+)/.exec(setCookie)![1]!;
    expect(((await first.json()) as { csrfToken: string }).csrfToken).toBe(token);

    const ok = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `gp_csrf=${token}`, 'x-csrf-token': token, origin: server.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.status).toBe(200);

    const refused = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { origin: server.url } });
    expect(refused.status).toBe(403);
    expect(isErrorShape(await refused.json())).toBe(true);
  });
});
