import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLoginAttempt, LOGIN_LIMIT } from '../server/auth/login-limit.ts';
import type { Config } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { tempDir } from './harness.ts';
import { ADMIN_PASSWORD, VIEWER_PASSWORD, addUser, authServerConfig } from './security.harness.ts';

// Issue 13, Auth: "10,001 failed logins with other usernames evict the admin's lockout". The
// lockout lives in SQLite now; these tests lock users out through the real server and check it
// holds against a flood, a burst of parallel guesses and a restart.

function loginAs(server: RunningServer, username: string, password: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { ...csrfHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

async function failLogins(server: RunningServer, username: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await loginAs(server, username, `wrong password ${i}`)).status);
  return statuses;
}

describe('the login lockout', () => {
  let dir: { dir: string; cleanup: () => void };
  let config: Config;
  let server: RunningServer;

  beforeAll(async () => {
    dir = tempDir();
    config = authServerConfig(dir.dir);
    server = await startServer(config);
    for (const name of ['vera', 'walt']) await addUser(server.deps.db, name, 'viewer', VIEWER_PASSWORD);
  });
  afterAll(async () => {
    await server?.close();
    dir?.cleanup();
  });

  it('answers 429 with Retry-After and a wait in minutes after 10 failures, and a correct password before that starts the count again', async () => {
    expect(await failLogins(server, 'vera', LOGIN_LIMIT.maxFailures - 1)).toEqual(Array(LOGIN_LIMIT.maxFailures - 1).fill(401));
    expect((await loginAs(server, 'vera', VIEWER_PASSWORD)).status).toBe(200);

    expect(await failLogins(server, 'vera', LOGIN_LIMIT.maxFailures)).toEqual(Array(LOGIN_LIMIT.maxFailures).fill(401));
    const locked = await loginAs(server, 'VERA', VIEWER_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBe(LOGIN_LIMIT.windowMs / 1000);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toBe('Too many failed logins for this user. Try again in 15 minutes.');
  });

  it("keeps the admin locked out through 10,001 failed logins with other usernames", async () => {
    await failLogins(server, 'admin', LOGIN_LIMIT.maxFailures);
    expect((await loginAs(server, 'admin', ADMIN_PASSWORD)).status).toBe(429);

    // The flood goes through the limiter the route uses, on the server's own database: 10,001
    // logins over HTTP would cost 10,001 scrypt hashes (minutes) and check nothing more.
    for (let i = 0; i <= 10_000; i++) {
      await claimLoginAttempt(server.deps.db, `flood-${i}`);
      // SQLite answers synchronously, so the loop would otherwise hold the event loop for seconds
      // and the server's keep-alive timer would close the client's idle socket under its next request.
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect((await loginAs(server, 'someone-else', 'wrong password')).status).toBe(401);

    const res = await loginAs(server, 'admin', ADMIN_PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 60_000);

  it('holds a burst of parallel wrong guesses to the limit', async () => {
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => loginAs(server, 'walt', `wrong password ${i}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMIT.maxFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - LOGIN_LIMIT.maxFailures);
    expect((await loginAs(server, 'walt', VIEWER_PASSWORD)).status).toBe(429);
  }, 60_000);

  it('keeps a lockout across a restart of the server', async () => {
    await server.close();
    server = await startServer(config);
    expect((await loginAs(server, 'admin', ADMIN_PASSWORD)).status).toBe(429);
    expect((await loginAs(server, 'vera', VIEWER_PASSWORD)).status).toBe(429);
  });

  it('forgets old attempts by age, never by count', async () => {
    const db = server.deps.db;
    const hourAgo = Date.now() - 60 * 60 * 1000;
    await claimLoginAttempt(db, 'long-gone', hourAgo);
    const count = async () => Number((await db.selectFrom('login_attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await claimLoginAttempt(db, 'right-now');
    // Only the hour-old row went; the flood of a minute ago and the lockouts stay.
    expect(await count()).toBe(before);
    expect(await db.selectFrom('login_attempts').select('username').where('username', '=', 'long-gone').executeTakeFirst()).toBeUndefined();
    expect((await loginAs(server, 'admin', ADMIN_PASSWORD)).status).toBe(429);
  });
});
