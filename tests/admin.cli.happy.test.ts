import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, dbArgsOf, type TestDb } from './harness.ts';
import { login } from './security.harness.ts';

function cli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/guidepost.js', ...args], { env: { ...process.env, GUIDEPOST_LOG_LEVEL: 'silent' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('guidepost admin', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('sets the admin password from piped stdin, and that password logs in', async () => {
    t = await createTestDb({ GUIDEPOST_REQUIRE_AUTH: 'true' });
    const password = 'piped admin password 99';
    const res = await cli(['admin', 'set-password', ...dbArgsOf(t.config)], `${password}\n`);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Password set for admin admin/);
    expect(res.stdout).not.toContain(password);
    const { cookie } = await login(createTestApp(t), 'admin', password);
    expect(cookie).toMatch(/gp_session=/);
  });
});
