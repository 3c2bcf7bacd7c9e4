import type { Db } from './db/connect.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

// What routes and middleware are handed, in a file of its own so that they need not import
// server/app.ts (which imports them). The background jobs are described by what routes use of
// them; jobs/background-jobs.ts implements it and only server/main.ts wires the two together.

/** Budget left of one GitHub API resource, as its last answer reported it. */
export interface ApiBudget {
  resource: string;
  limit: number | null;
  remaining: number | null;
  /** Epoch ms. */
  resetAt: number | null;
  /** Epoch ms this resource's requests wait until for the spent limit to reset; null while none waits. */
  waitingUntil?: number | null;
}

/** The simulated GitHub the demo syncs from, running in this process. */
export interface DemoSimulator {
  url: string;
  token: string;
  org: { org: { login: string }; now: string };
  close(): Promise<void>;
}

/** Starts the demo's simulator (always the same org); `port` asks for the earlier run's port, any port when it is taken. */
export type DemoStarter = (o?: { port?: number }) => Promise<DemoSimulator>;

/**
 * What routes use of the background jobs: run by this process (jobs/background-jobs.ts
 * createSyncRuntime), or by workers elsewhere, known through their heartbeats (jobsElsewhere).
 */
export interface BackgroundJobs {
  /** Budget left per org and resource. */
  budget(): Promise<{ org: string; limits: ApiBudget[] }[]>;
  /** When a scheduler next enqueues a sync of every connection (ISO), or null when re-syncs are off or none runs. */
  nextSyncAt(): Promise<string | null>;
  /** Forgets a cached API client (after a connection changed); workers elsewhere see the stored change themselves. */
  forget(org: string): void;
  /** Rows were written outside a sync (a webhook delivery): the signals catch up soon, once for a burst. */
  dataChanged(): Promise<void>;
  /** The demo simulator, once POST /api/demo started it (or the server's start did, for a stored demo connection); closed when the server stops. */
  demo: { url: string; org: string; close(): Promise<void> } | null;
}

/** What every route may use; wired once in server/main.ts (or a test) and passed down. */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** The background jobs, here or in worker processes (server/main.ts); absent in a bare app (tests). */
  sync?: BackgroundJobs;
  /** Starts the demo's simulated GitHub; wired by server/main.ts, absent where no demo may run. */
  startDemo?: DemoStarter;
}

export type AppEnv = { Variables: { deps: AppDeps } };
