import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { tempDir } from './harness.ts';
import { canonicalDump, counts, seeded } from './soak.harness.ts';

// The server variant of soak.kill: `guidepost serve` runs the sync through its own job runner,
// is SIGKILLed part-way, and restarted on the same database must finish the stored jobs by
// itself (no second connect) and end where an uninterrupted server ended.
// `npm test` kills a few times; `npm run soak` sets GUIDEPOST_SOAK_KILLS=20.
const KILLS = Number(process.env.GUIDEPOST_SOAK_KILLS ?? 2);
const SEED = Number(process.env.GUIDEPOST_SOAK_SEED ?? 7);

interface Serving {
  child: ChildProcess;
  url: string;
  output: () => string;
  closed: Promise<void>;
}

async function startServe(dbPath: string, dataDir: string): Promise<Serving> {
  const env = { ...process.env, GUIDEPOST_SYNC_INTERVAL_MINUTES: '0', GUIDEPOST_LOG_LEVEL: 'warn', GUIDEPOST_BACKFILL_DAYS: '3650', GITHUB_TOKEN: '' };
  const child = spawn(process.execPath, ['bin/guidepost.js', 'serve', '--port', '0', '--db', dbPath, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const timer = setInterval(() => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearInterval(timer);
        resolve(m[1]);
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`serve did not start: ${out.slice(-1000)}`));
      }
    }, 20);
  });
  return { child, url, output: () => out, closed };
}

async function stop(s: Serving, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
  await s.closed;
}

/** Connects the org the way the dashboard does: csrf token from /api/auth/me, then POST /api/connections. */
async function connect(s: Serving, body: { org: string; apiUrl: string; token: string }): Promise<void> {
  const me = await fetch(`${s.url}/api/auth/me`);
  const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  const res = await fetch(`${s.url}/api/connections`, {
    method: 'POST',
    headers: { cookie: `gp_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: s.url },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`connect answered ${res.status}: ${text}`);
}

interface SyncStatus {
  running: boolean;
  queued: number;
  repos: { repo: string; status: string }[];
  errors: string[];
}

/** Polls GET /api/sync until no job is left to run; returns the last status. */
async function waitForSync(s: Serving, timeoutMs: number): Promise<SyncStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await fetch(`${s.url}/api/sync`)).json()) as SyncStatus;
    if (!status.running && status.queued === 0 && status.repos.length > 0) return status;
    if (Date.now() > deadline) throw new Error(`sync did not finish in ${timeoutMs} ms: ${JSON.stringify(status).slice(0, 800)}\n${s.output().slice(-1500)}`);
    if (s.child.exitCode !== null || s.child.signalCode !== null) throw new Error(`serve exited during the sync: ${s.output().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`the server killed with SIGKILL during a sync at ${KILLS} random points`, () => {
  let sim: RunningSimulator;
  let dir: { dir: string; cleanup: () => void };
  let body: { org: string; apiUrl: string; token: string };

  beforeAll(async () => {
    dir = tempDir();
    // Git on: the server's sync always goes on to clone each repo (commits, file_changes).
    sim = await startSimulator({ seed: 11, scale: 'small' });
    body = { org: sim.org.truth.org, apiUrl: sim.url, token: sim.token };
  });
  afterAll(async () => {
    await sim?.close();
    dir?.cleanup();
  });

  it('resumes the stored jobs on restart and ends with the same database as an uninterrupted run', { timeout: 60_000 + KILLS * 30_000 }, async () => {
    const place = (name: string) => {
      const d = join(dir.dir, name);
      mkdirSync(d, { recursive: true });
      return { db: join(d, 'guidepost.db'), data: d };
    };

    const clean = place('clean');
    const first = await startServe(clean.db, clean.data);
    let requestsPerSync: number;
    try {
      await connect(first, body);
      const before = sim.stats().total;
      const status = await waitForSync(first, 60_000);
      requestsPerSync = sim.stats().total - before;
      expect(status.errors).toEqual([]);
    } finally {
      await stop(first, 'SIGTERM');
    }
    expect(requestsPerSync).toBeGreaterThan(3);
    const expected = canonicalDump(clean.db);
    expect(counts(expected).pull_requests).toBeGreaterThan(0);
    expect(counts(expected).commits).toBeGreaterThan(0);

    // Episodes: each starts from an empty database, connects once, and is killed at random
    // request counts inside what is left of the sync; each restart must carry on by itself.
    const random = seeded(SEED);
    const kills: string[] = [];
    for (let episode = 0; kills.length < KILLS && episode < KILLS * 3; episode++) {
      const at = place(`killed-${episode}`);
      let server = await startServe(at.db, at.data);
      try {
        await connect(server, body);
        let used = 0;
        while (kills.length < KILLS && requestsPerSync - used > 2) {
          const after = 1 + Math.floor(random() * (requestsPerSync - used - 1));
          const start = sim.stats().total;
          const deadline = Date.now() + 30_000;
          let done = false;
          for (let tick = 1; sim.stats().total - start < after && Date.now() < deadline; tick++) {
            await new Promise((r) => setTimeout(r, 5));
            // Finished before the kill point: the rest of the sync needed fewer requests.
            if (tick % 40 === 0 && sim.stats().total - start < after) {
              const s = (await (await fetch(`${server.url}/api/sync`)).json()) as SyncStatus;
              if (!s.running && s.queued === 0 && s.repos.length > 0) {
                done = true;
                break;
              }
            }
          }
          if (done) break;
          await stop(server, 'SIGKILL');
          kills.push(`episode ${episode}: after ${after} requests`);
          used += sim.stats().total - start;
          server = await startServe(at.db, at.data);
        }
        const status = await waitForSync(server, 60_000);
        expect(status.errors, kills.join('; ')).toEqual([]);
      } finally {
        await stop(server, 'SIGTERM');
      }
      const actual = canonicalDump(at.db);
      expect(counts(actual), `${kills.join('; ')} (seed ${SEED})`).toEqual(counts(expected));
      expect(actual, `${kills.join('; ')} (seed ${SEED})`).toEqual(expected);
    }
    expect(kills).toHaveLength(KILLS);
  });
});
