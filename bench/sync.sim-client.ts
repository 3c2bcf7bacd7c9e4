// The benchmarks' side of bench/sync.sim.ts: starts the simulated GitHub in a child process (so
// the benchmark's own CPU and memory hold only Guidepost) and calls its /_sim controls.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Db } from '../server/db/connect.ts';
import { createLogger } from '../server/logger.ts';
import { createGithubClient } from '../jobs/github/client.ts';
import { syncNow } from '../jobs/github/sync-now.ts';

export interface SimInfo {
  url: string;
  token: string;
  org: string;
  repos: number;
  pulls: number;
  now: string;
}

export async function startSim(scale: string, latencyMs: number, concurrency: number) {
  // NODE_ENV=production turns off graphql-js's development-only checks, as a server runs it.
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sync.sim.ts'), scale, String(latencyMs), String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  // Not left behind when the benchmark ends early (an error, Ctrl-C).
  const orphaned = () => child.kill('SIGTERM');
  process.once('exit', orphaned);
  return {
    info: JSON.parse(line) as SimInfo,
    pid: child.pid!,
    stop: () => {
      process.off('exit', orphaned);
      child.kill('SIGTERM');
    },
  };
}

/** The simulator's control routes, retried: a kept-alive socket may be closed under us between runs. */
export async function simCall(url: string, init?: RequestInit): Promise<Response> {
  for (let i = 0; ; i++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (i >= 3) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function simStats(url: string) {
  return (await (await simCall(`${url}/_sim/stats`)).json()) as { total: number; pointsCharged: number; notModified: number; overLimit: number; cpuMs: number };
}

/** POST /_sim/evolve: new activity, and the webhooks for it when hooks are set. */
export async function simEvolve(url: string, req: { newPulls?: number; newReviewsOnOldPulls?: number; lateMerges?: number; days?: number }): Promise<void> {
  const res = await simCall(`${url}/_sim/evolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
  if (!res.ok) throw new Error(`evolve failed: ${res.status} ${await res.text()}`);
}

/**
 * The CLI's sync of the simulated org into `db`, in this process, a year back from the org's
 * "now" (no git: the simulator serves none). `sync()` runs it (again) and returns the failed jobs.
 */
export function simSync(db: Db, info: SimInfo, o: { concurrency: number; dataDir: string }) {
  const logger = createLogger('silent');
  const gh = createGithubClient({ baseUrl: info.url, auth: { kind: 'token', token: info.token }, logger, concurrency: o.concurrency });
  const services = { clientFor: async () => gh, dataDir: o.dataDir, backfillDays: 365, onRepoSynced: [], knowledge: false };
  const since = new Date(Date.parse(info.now) - 365 * 86_400_000).toISOString();
  return { gh, sync: () => syncNow(db, logger, services, { org: info.org, since, concurrency: o.concurrency }) };
}
