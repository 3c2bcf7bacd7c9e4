import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentServer } from './network.fixture.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { postConnection } from './connections.fixture.ts';

// "An unreachable API makes `guidepost sync` wait about 98 s before failing; the web form says
// the same thing in 0.4 s" (issue 13, defect 4). Two addresses where no GitHub answers: a port
// nothing listens on, and a server that accepts connections and never says a word.

const ROOT = join(import.meta.dirname, '..');
const TOKEN = 'ghp_' + 'u'.repeat(36);
/** The bound the issue sets; the CLI is killed a little after it, so a regression fails in bounded time. */
const LIMIT_MS = 15_000;

/** A port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}


async function syncAgainst(t: TestDb, apiUrl: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/guidepost.js', 'sync', '--org', 'acme', '--api-url', apiUrl, '--db', t.config.dbPath, '--data-dir', t.dir], {
    cwd: ROOT,
    env: { ...process.env, GITHUB_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS + 5_000);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  clearTimeout(kill);
  return { code, stderr, ms: performance.now() - started };
}

/** The one line that tells the user what failed and what to check, and nothing that looks like a crash. */
function expectOneClearLine(stderr: string, apiUrl: string, why: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l.startsWith('guidepost:'));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(apiUrl);
  expect(lines[0]).toMatch(why);
  for (const check of ['API URL', 'network', 'proxy']) expect(lines[0]).toContain(check);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain(TOKEN);
}

describe('guidepost sync against an API that cannot be reached', () => {
  let t: TestDb;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => {
    t = await createTestDb();
    silent = await silentServer();
  });
  afterAll(async () => {
    await silent?.close();
    await t?.close();
  });

  it('a port where nothing listens: fails within 15 s, exit code 1, one line saying what to check', { timeout: 30_000 }, async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const r = await syncAgainst(t, apiUrl);
    expect(r.ms, r.stderr).toBeLessThan(LIMIT_MS);
    expect(r.code).toBe(1);
    expectOneClearLine(r.stderr, apiUrl, /connection refused/);
  });

  it('a server that accepts and never answers: fails within 15 s, exit code 1, one line saying what to check', { timeout: 30_000 }, async () => {
    const apiUrl = `http://127.0.0.1:${silent.port}`;
    const r = await syncAgainst(t, apiUrl);
    expect(r.ms, r.stderr).toBeLessThan(LIMIT_MS);
    expect(r.code).toBe(1);
    expectOneClearLine(r.stderr, apiUrl, /nothing answered within \d+ s/);
  });

  it('the connect form says the same thing about the same address', { timeout: 30_000 }, async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const res = await postConnection(t, { org: 'acme', apiUrl, token: TOKEN });
    expect(performance.now() - started).toBeLessThan(LIMIT_MS);
    expect(res.status).toBe(502);
    const error = (JSON.parse(res.text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('github_unreachable');
    expect(error.message).toContain(apiUrl);
    expect(error.message).toMatch(/connection refused/);
    for (const check of ['API URL', 'network', 'proxy']) expect(error.message).toContain(check);
  });
});
