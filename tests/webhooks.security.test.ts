import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { tempDir } from './harness.ts';
import { openedPull, signed } from './webhooks.fixture.ts';

// The webhook secret, unique per run, given to `guidepost serve` as a user gives it: it signs
// deliveries good and bad, and must never come back in an API answer, a log line (at trace
// level) or the database. A secret too short is refused at start without being echoed.

const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const NEEDLES = [SECRET, SECRET.slice(6, 26)];
const leaks = (text: string) => NEEDLES.some((n) => text.includes(n));

function serve(env: Record<string, string>): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/guidepost.js', 'serve', '--port', '0'], { env: { ...process.env, GITHUB_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out: () => out, exited };
}

let dir: ReturnType<typeof tempDir>;
let server: ReturnType<typeof serve>;
let url: string;
beforeAll(async () => {
  dir = tempDir('guidepost-webhooks-security-');
  server = serve({ GUIDEPOST_LOG_LEVEL: 'trace', GUIDEPOST_DATA_DIR: dir.dir, GUIDEPOST_DB: join(dir.dir, 'guidepost.db'), GUIDEPOST_WEBHOOK_SECRET: SECRET });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /running at (http:\/\/\S+)/.exec(server.out());
      if (m?.[1]) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 50);
    void server.exited.then(() => reject(new Error(`serve exited: ${server.out().slice(-1000)}`)));
    setTimeout(() => reject(new Error(`serve did not start in 60 s: ${server.out().slice(-1000)}`)), 60_000).unref();
  });
}, 90_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  dir?.cleanup();
});

it('the secret is in no API answer, log line or database row, whatever the deliveries', { timeout: 120_000 }, async () => {
  // A repository as a sync would have stored it, so deliveries get applied.
  const db = new SQLite(join(dir.dir, 'guidepost.db'));
  db.prepare("insert into repos (id, owner, name, full_name) values (77, 'acme', 'web', 'acme/web')").run();
  db.close();
  const answers: string[] = [];
  const send = async (path: string, init?: RequestInit) => {
    const res = await fetch(url + path, init);
    answers.push(`${res.status} ${path}\n${JSON.stringify([...res.headers])}\n${await res.text()}`);
    return res.status;
  };
  const p = openedPull({ id: 77, owner: 'acme', name: 'web', full_name: 'acme/web' }, { id: 5_000_001, number: 3, title: 'webhook', author: 'lee', at: '2026-11-30T10:00:00Z' });
  const good = await signed('pull_request', p, { secret: SECRET });
  const wrong = await signed('pull_request', p, { secret: `${SECRET}-not` });
  const notJson = await signed('pull_request', null, { secret: SECRET, body: `secret=${SECRET}` });
  const badShape = await signed('pull_request', { action: 'opened', repository: { full_name: 'acme/web' }, pull_request: {} }, { secret: SECRET });
  const statuses = [
    await send('/api/webhooks/github', { method: 'POST', headers: good.headers, body: good.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: good.headers, body: good.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: wrong.headers, body: wrong.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: { ...good.headers, 'x-hub-signature-256': SECRET }, body: good.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: notJson.headers, body: notJson.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: badShape.headers, body: badShape.body }),
    await send('/api/webhooks/github', { method: 'POST', headers: { ...good.headers, 'x-github-event': 'star', 'x-github-delivery': 'another-delivery' }, body: good.body }),
  ];
  expect(statuses).toEqual([200, 200, 401, 401, 400, 400, 202]);
  for (const path of ['/api/webhooks/deliveries', '/api/health', '/api/sync', '/api/settings', '/api/connections', '/api/overview', '/api/auth/me']) await send(path);
  expect(answers.join('\n')).toMatch(/secretConfigured":true/);
  server.child.kill('SIGTERM');
  await server.exited;

  expect(server.out()).toMatch(/webhook delivery/); // the deliveries were logged…
  for (const [i, a] of answers.entries()) expect(leaks(a), `answer ${i}: ${a.slice(0, 300)}`).toBe(false);
  const leakingLines = server.out().split('\n').filter(leaks);
  expect(leakingLines).toEqual([]); // …without the secret
  // The signed body that named it was refused as not JSON, so not kept either.
  const file = readFileSync(join(dir.dir, 'guidepost.db'));
  expect(NEEDLES.some((n) => file.includes(n))).toBe(false);
});

it('a secret shorter than 16 characters stops `guidepost serve` at start, naming the variable and not the value', { timeout: 60_000 }, async () => {
  const short = serve({ GUIDEPOST_DATA_DIR: dir.dir, GUIDEPOST_DB: join(dir.dir, 'short.db'), GUIDEPOST_WEBHOOK_SECRET: 'tiny-secret-15c' });
  const code = await short.exited;
  expect(code).not.toBe(0);
  expect(short.out()).toMatch(/GUIDEPOST_WEBHOOK_SECRET: must be at least 16 characters/);
  expect(short.out()).not.toContain('tiny-secret-15c');
  expect(short.out()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
});
