import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { ADMIN_PASSWORD, VIEWER_PASSWORD, addUser, isErrorShape, login, registeredRoutes } from './security.harness.ts';
import type { Db } from '../server/db/connect.ts';
import { WEBHOOK_PATH } from '../server/middleware/access.ts';

const STATE_CHANGING = ['POST', 'PUT', 'PATCH', 'DELETE'];
const SELF_SERVICE = new Set(['/api/auth/login', '/api/auth/logout']);
// GitHub's deliveries carry no session: their signature decides (tests/webhooks.error.test.ts),
// so a viewer's cookie neither lets one in nor is the reason one is refused.
const SIGNED = new Set([WEBHOOK_PATH]);

/** Everything an admin could change, as one comparable string. */
async function snapshot(db: Db): Promise<string> {
  const tables = ['settings', 'connections', 'users', 'jobs', 'teams', 'team_members', 'person_aliases'];
  const parts: unknown[] = [];
  // Rows sorted by their own text: the same order on SQLite and PostgreSQL, whatever the keys.
  for (const t of tables) parts.push(await sql`select * from ${sql.table(t)}`.execute(db).then((r) => r.rows.map((row) => JSON.stringify(row)).sort()));
  return JSON.stringify(parts);
}

describe('a viewer', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('can read but cannot change settings, connections or anything else through any route', async () => {
    t = await createTestDb({ GUIDEPOST_REQUIRE_AUTH: 'true' });
    await addUser(t.db, 'admin', 'admin', ADMIN_PASSWORD);
    await addUser(t.db, 'vera', 'viewer', VIEWER_PASSWORD);
    await t.db.insertInto('settings').values({ key: 'signals', value: '{"menteeLimit":5}', updated_at: '2026-01-01T00:00:00Z' }).execute();
    const app = createTestApp(t);
    const viewer = await login(app, 'vera', VIEWER_PASSWORD);

    const me = await app.request('/api/auth/me', { headers: { cookie: viewer.cookie } });
    expect(await me.json()).toMatchObject({ user: { username: 'vera', role: 'viewer' } });

    const before = await snapshot(t.db);
    const routes = registeredRoutes(app).flatMap((r) => (r.pattern.includes('*') ? STATE_CHANGING.map((m) => ({ ...r, method: m })) : [r]));
    const writes = routes.filter((r) => STATE_CHANGING.includes(r.method) && r.path.startsWith('/api') && !SELF_SERVICE.has(r.path) && !SIGNED.has(r.path));
    expect(writes.length).toBeGreaterThan(3);
    const wrong: string[] = [];
    for (const r of writes) {
      for (const body of ['{}', JSON.stringify({ menteeLimit: 1, org: 'evil', token: 'ghp_' + 'x'.repeat(36), password: 'new password 1234' })]) {
        const res = await app.request(r.path, { method: r.method, headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf, 'content-type': 'application/json' }, body });
        const json: unknown = await res.json().catch(() => null);
        if (res.status !== 403 || !isErrorShape(json) || !/[Vv]iewer/.test(json.error.message)) wrong.push(`${r.method} ${r.path} -> ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    // Unsigned, the webhook path takes nothing from a viewer either.
    const unsigned = await app.request(WEBHOOK_PATH, { method: 'POST', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf, 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'v-1' }, body: '{}' });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(await snapshot(t.db)).toBe(before);

    // Reading still works: the read-only role is not a locked-out role.
    const reads = registeredRoutes(app).filter((r) => r.method === 'GET' && r.path.startsWith('/api') && !r.pattern.includes('*'));
    for (const r of reads) {
      const res = await app.request(r.path, { headers: { cookie: viewer.cookie } });
      expect([401, 403], `${r.path}`).not.toContain(res.status);
    }
  });

  it('can log out of their own session', async () => {
    t = await createTestDb({ GUIDEPOST_REQUIRE_AUTH: 'true' });
    await addUser(t.db, 'vera', 'viewer', VIEWER_PASSWORD);
    const app = createTestApp(t);
    const viewer = await login(app, 'vera', VIEWER_PASSWORD);
    const res = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf } });
    expect(res.status).toBe(200);
    const me = await app.request('/api/auth/me', { headers: { cookie: viewer.cookie } });
    expect(await me.json()).toMatchObject({ user: null });
  });

  it('is told apart from an admin: the same write from an admin is not refused for its role', async () => {
    t = await createTestDb({ GUIDEPOST_REQUIRE_AUTH: 'true' });
    await addUser(t.db, 'admin', 'admin', ADMIN_PASSWORD);
    const app = createTestApp(t);
    const admin = await login(app, 'admin', ADMIN_PASSWORD);
    const res = await app.request('/api/auth/setup', { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'another password 123' }) });
    // Setup is refused because an admin exists (409), not because of the caller's role.
    expect(res.status).toBe(409);
  });
});
