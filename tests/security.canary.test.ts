import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestApp, createTestDb, tempDir } from './harness.ts';
import { registeredRoutes, builtWeb } from './security.harness.ts';

// A token-shaped canary, unique per run, used as the GitHub token from start to finish.
const CANARY = `ghp_${randomBytes(24).toString('hex').slice(0, 36)}`;
// A leak may be partial (a prefix cut off, a token split across lines): look for a middle slice too.
const NEEDLES = [CANARY, CANARY.slice(8, 28)];

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/guidepost.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function leaks(haystack: Buffer | string): boolean {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return NEEDLES.some((n) => buf.includes(n) || buf.includes(Buffer.from(n, 'utf16le')));
}

describe('a canary GitHub token, given through the dashboard and used through a whole sync', () => {
  let sim: RunningSimulator;
  let dir: { dir: string; cleanup: () => void };
  const logs: string[] = [];
  const responses: string[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dir = tempDir();
    dataDir = join(dir.dir, 'data');
    sim = await startSimulator({ seed: 5, scale: 'small', token: CANARY });
    const org = sim.org.truth.org;
    // The server knows no token from its environment: the canary arrives the way a user gives it,
    // through the dashboard's connect form, and from then on lives only in the server.
    const env = { GUIDEPOST_LOG_LEVEL: 'trace', GUIDEPOST_DATA_DIR: dataDir, GUIDEPOST_DB: join(dataDir, 'guidepost.db'), GUIDEPOST_BACKFILL_DAYS: '3650', GITHUB_TOKEN: '' };
    const server = spawn(process.execPath, ['bin/guidepost.js', 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m?.[1]) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 50);
      server.on('close', () => reject(new Error(`serve exited: ${out.slice(-1000)}`)));
    });
    const get = async (path: string) => {
      // One retry: under load a kept-alive socket can close just as it is reused.
      const res = await fetch(url + path, { headers: { cookie } }).catch(() => fetch(url + path, { headers: { cookie } }));
      const text = await res.text();
      responses.push(`${res.status} ${path}\n${JSON.stringify([...res.headers])}\n${text}`);
      return { status: res.status, text };
    };
    let cookie = '';
    try {
      const me = await fetch(`${url}/api/auth/me`);
      const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
      cookie = `gp_csrf=${csrf}`;
      const connect = await fetch(`${url}/api/connections`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ org, apiUrl: sim.url, token: CANARY }),
      });
      const connectText = await connect.text();
      responses.push(`${connect.status} POST /api/connections\n${JSON.stringify([...connect.headers])}\n${connectText}`);
      expect(connect.status, connectText).toBe(201);

      // The server's own job runner does the whole sync, git clones included.
      const deadline = Date.now() + 240_000;
      for (;;) {
        const status = JSON.parse((await get('/api/sync')).text) as { running: boolean; queued: number; repos: { status: string }[] };
        if (!status.running && status.queued === 0 && status.repos.length > 0) break;
        if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify(status).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 500));
      }

      const db = new SQLite(env.GUIDEPOST_DB, { readonly: true });
      const person = (db.prepare('select login from people where is_bot = 0 limit 1').get() as { login: string } | undefined)?.login ?? 'x';
      const team = (db.prepare('select slug from teams limit 1').get() as { slug: string } | undefined)?.slug ?? 'x';
      const repo = (db.prepare('select name from repos limit 1').get() as { name: string } | undefined)?.name ?? 'x';
      db.close();
      const fill: Record<string, string> = { login: person, person, slug: team, team, owner: org, org, repo, name: repo };
      const t = await createTestDb();
      const routes = registeredRoutes(createTestApp(t)).filter((r) => r.method === 'GET' && r.pattern.startsWith('/api') && !r.pattern.includes('*'));
      await t.close();
      for (const r of routes) {
        const path = r.pattern.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, (_, p: string) => encodeURIComponent(fill[p] ?? 'x'));
        for (const q of ['', '?weeks=52', `?weeks=12&team=${team}&repo=${org}/${repo}`]) await get(path + q);
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('close', r));
      logs.push(out);
    }
  });
  afterAll(async () => {
    await sim?.close();
    dir?.cleanup();
  });

  it('really went through the product: the sync stored data and the API answered with it', () => {
    expect(sim.stats().total).toBeGreaterThan(5);
    expect(filesUnder(dataDir).some((f) => f.includes('.git') || f.includes('clones') || f.includes('repos'))).toBe(true);
    expect(responses.filter((r) => r.startsWith('200 ')).length).toBeGreaterThan(5);
    expect(logs.join('').length).toBeGreaterThan(100);
    // The token was stored (encrypted): its row is there, known only by its last four characters.
    const db = new SQLite(join(dataDir, 'guidepost.db'), { readonly: true });
    const rows = db.prepare('select secret_ciphertext, secret_last4 from connections').all() as { secret_ciphertext: string; secret_last4: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_last4).toBe(CANARY.slice(-4));
    expect(rows[0]!.secret_ciphertext.length).toBeGreaterThan(CANARY.length);
  });

  it('is in no log line', () => {
    expect(logs.filter(leaks)).toEqual([]);
  });

  it('is in no API response (bodies or headers)', () => {
    expect(responses.filter(leaks).map((r) => r.split('\n')[0])).toEqual([]);
  });

  it('is nowhere in the data folder: database, WAL, clones, keys', () => {
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('guidepost.db'))).toBe(true);
    expect(files.filter((f) => leaks(readFileSync(f)))).toEqual([]);
  });

  it('is not in the built dashboard', async () => {
    const files = filesUnder(await builtWeb(join(dir.dir, 'web')));
    expect(files.length).toBeGreaterThan(1);
    expect(files.filter((f) => leaks(readFileSync(f)))).toEqual([]);
  });
});
