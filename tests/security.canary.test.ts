import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import SQLite from 'better-sqlite3';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestApp, createTestDb, tempDir } from './harness.ts';
import { registeredRoutes } from './security.harness.ts';

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

describe('a canary GitHub token, used through a whole sync and a dashboard session', () => {
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
    const since = new Date(Date.parse(sim.org.truth.now) - 365 * 86_400_000).toISOString();
    const env = { GITHUB_TOKEN: CANARY, GUIDEPOST_LOG_LEVEL: 'trace', GUIDEPOST_DATA_DIR: dataDir, GUIDEPOST_DB: join(dataDir, 'guidepost.db') };

    // The whole sync, knowledge (git clones) included, with every log line kept.
    const sync = await run(['sync', '--org', org, '--api-url', sim.url, '--since', since], env);
    logs.push(sync.out);
    expect(sync.code, sync.out.slice(-2000)).toBe(0);

    // A dashboard session: the server (same token in its environment) answers every GET route.
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
    try {
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
        for (const q of ['', '?weeks=52', `?weeks=12&team=${team}&repo=${org}/${repo}`]) {
          const res = await fetch(url + path + q);
          responses.push(`${res.status} ${path}${q}\n${JSON.stringify([...res.headers])}\n${await res.text()}`);
        }
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
    expect(responses.filter((r) => r.startsWith('200 ')).length).toBeGreaterThan(5);
    expect(logs.join('').length).toBeGreaterThan(100);
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
    const out = join(dir.dir, 'web');
    await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(1);
    expect(files.filter((f) => leaks(readFileSync(f)))).toEqual([]);
  });
});
