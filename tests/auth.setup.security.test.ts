import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { tempDir } from './harness.ts';

// Issue 13, Auth: "Concurrent POST /api/auth/setup calls all answer 201". Whoever answers the
// first-run page first becomes the admin; a second caller at the same moment must not replace
// that admin's password with theirs.

function post(server: RunningServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...csrfHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('first-run setup', () => {
  let dir: { dir: string; cleanup: () => void };
  let server: RunningServer;

  beforeAll(async () => {
    dir = tempDir();
    const config = parseConfig({ GUIDEPOST_DB: join(dir.dir, 'guidepost.db'), GUIDEPOST_HOST: '127.0.0.1', GUIDEPOST_PORT: '0', GUIDEPOST_LOG_LEVEL: 'silent', GUIDEPOST_SYNC_INTERVAL_MINUTES: '0' });
    server = await startServer(config);
  });
  afterAll(async () => {
    await server?.close();
    dir?.cleanup();
  });

  it('makes exactly one admin out of 10 setups at once: one 201, nine 409, and only the winner’s password works', async () => {
    const passwords = Array.from({ length: 10 }, (_, i) => `setup password number ${i}`);
    const answers = await Promise.all(passwords.map((password) => post(server, '/api/auth/setup', { password })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const r of answers.filter((a) => a.status === 409)) {
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('conflict');
    }

    const users = await server.deps.db.selectFrom('users').select(['username', 'role']).execute();
    expect(users).toEqual([{ username: 'admin', role: 'admin' }]);

    const winner = passwords[statuses.indexOf(201)]!;
    const logins = await Promise.all(passwords.map((password) => post(server, '/api/auth/login', { username: 'admin', password }).then((r) => r.status)));
    expect(logins).toEqual(passwords.map((p) => (p === winner ? 200 : 401)));
  }, 60_000);

  it('answers 409 to a setup once the admin exists', async () => {
    const res = await post(server, '/api/auth/setup', { password: 'one more setup password' });
    expect(res.status).toBe(409);
  });
});
