// `guidepost serve` and `guidepost worker` as separate processes on one test database (SQLite file,
// or the PostgreSQL database serverTestConfig names), driven over HTTP as the dashboard would.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Config } from '../server/config.ts';
import { dbArgsOf } from './harness.ts';

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Resolves once the process exited and its pipes closed. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

const ENV = { GUIDEPOST_SYNC_INTERVAL_MINUTES: '0', GUIDEPOST_LOG_LEVEL: 'info', GUIDEPOST_BACKFILL_DAYS: '3650', GITHUB_TOKEN: '' };

/** `node bin/guidepost.js COMMAND --db|--database-url … --data-dir …`, its stdout and stderr kept together. */
export function startGuidepost(command: string[], config: Config, env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['bin/guidepost.js', ...command, ...dbArgsOf(config), '--data-dir', config.dataDir], {
    env: { ...process.env, ...ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, closed, alive: () => child.exitCode === null && child.signalCode === null };
}

/**
 * Polls `check` every 50 ms until it returns a value; throws with `what` and the process output
 * after `timeoutMs`. A check still running at the deadline (a request that hangs) fails the wait
 * then too, and a value it gives after the deadline is not taken: the wait is bounded as a whole.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, proc?: Proc): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const late = () => new Error(`${what} did not happen in ${timeoutMs} ms${proc ? `:\n${proc.output().slice(-2000)}` : ''}`);
  const TIMED_OUT = Symbol('timed out');
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const over = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()))));
    try {
      const v = await Promise.race([Promise.resolve().then(check), over]);
      if (v === TIMED_OUT) throw late();
      if (v !== undefined) return v;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > deadline) throw late();
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `guidepost serve` on any free port; resolves with its URL once it serves. */
export async function startServe(config: Config, flags: string[] = [], env: Record<string, string> = {}): Promise<{ proc: Proc; url: string }> {
  const proc = startGuidepost(['serve', '--port', '0', ...flags], config, env);
  const url = await waitUntil('serve starting', () => {
    if (!proc.alive()) throw new Error(`serve exited: ${proc.output().slice(-1500)}`);
    return /running at (http:\/\/\S+)/.exec(proc.output())?.[1];
  }, 30_000, proc);
  return { proc, url };
}

/** SIGTERM (or `signal`), then waits for the exit; SIGKILL after 30 s. */
export async function stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p) return;
  if (p.alive()) p.child.kill(signal);
  const killer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
  await p.closed;
  clearTimeout(killer);
}

/** Connects an org the way the dashboard does: csrf token from /api/auth/me, then POST /api/connections. */
export async function connectOrg(url: string, body: { org: string; apiUrl: string; token: string }): Promise<void> {
  const me = await fetch(`${url}/api/auth/me`);
  const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  const res = await fetch(`${url}/api/connections`, {
    method: 'POST',
    headers: { cookie: `gp_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: url },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`connect answered ${res.status}: ${await res.text()}`);
}

export interface SyncStatus {
  running: boolean;
  queued: number;
  repos: { repo: string; status: string }[];
  errors: string[];
  budget: { org: string; limits: { resource: string; remaining: number | null }[] }[];
  workers: { running: number; lastHeartbeatAt: string | null; message: string | null };
}

export async function syncStatus(url: string): Promise<SyncStatus> {
  return (await (await fetch(`${url}/api/sync`)).json()) as SyncStatus;
}

/** Polls GET /api/sync until every repo is done and no job is left. */
export async function waitForSync(url: string, timeoutMs: number, proc?: Proc): Promise<SyncStatus> {
  return waitUntil(
    'the sync finishing',
    async () => {
      const s = await syncStatus(url);
      return !s.running && s.queued === 0 && s.repos.length > 0 && s.repos.every((r) => r.status === 'done') ? s : undefined;
    },
    timeoutMs,
    proc,
  );
}
