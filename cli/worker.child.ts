import { spawn, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from '../server/config.ts';
import type { Logger } from '../server/logger.ts';
import { WORKER_STOP_WAIT_MS } from './worker.command.ts';

// Plain `guidepost serve` runs its jobs in one child `guidepost worker` on the same database, so
// sync, extract and derive use another core and reads never wait behind them. The child's log
// lines go to the same stdout and stderr; a child that dies is started again, later each time.

const BIN = fileURLToPath(new URL('../bin/guidepost.js', import.meta.url));
const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 60_000;
/** A child that ran this long before dying starts again after the first delay, not a grown one. */
const HEALTHY_RUN_MS = 60_000;
/**
 * How much lower the child's CPU priority is than this process's (a nice value, as `nice -n`):
 * sync work is background work, so when both want a core the reads a person waits for go first.
 * The child still has a core to itself whenever the server is idle.
 */
const WORKER_NICE_STEP = 10;

export interface WorkerChild {
  /** The child's pid now, or null while it waits to be started again. */
  pid(): number | null;
  /** SIGTERM, and SIGKILL if it has not stopped after its own bounded wait. */
  stop(): Promise<void>;
}

/** The environment that names the same database and folder as this server's config (the URL stays out of the command line, where ps shows it). */
function workerEnv(config: Config): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GUIDEPOST_DB: config.dbPath, GUIDEPOST_DATA_DIR: config.dataDir };
  if (config.databaseUrl) env.GUIDEPOST_DATABASE_URL = config.databaseUrl;
  else delete env.GUIDEPOST_DATABASE_URL;
  return env;
}

export function startWorkerChild(config: Config, logger: Logger): WorkerChild {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let restart: ReturnType<typeof setTimeout> | null = null;
  let delay = FIRST_RESTART_MS;
  let stopping = false;

  const launch = () => {
    restart = null;
    const startedAt = Date.now();
    // The IPC channel is how the child learns that this process died (worker.command.ts).
    const c = spawn(process.execPath, [BIN, 'worker'], { env: workerEnv(config), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = c;
    if (c.pid !== undefined) lowerPriority(c.pid, logger);
    exited = new Promise((resolve) => {
      c.once('exit', (code, signal) => {
        child = null;
        resolve();
        if (stopping) return;
        if (Date.now() - startedAt >= HEALTHY_RUN_MS) delay = FIRST_RESTART_MS;
        logger.error({ workerPid: c.pid, code, signal, restartInSeconds: delay / 1000 }, 'the worker process exited; sync jobs wait until it is started again');
        restart = setTimeout(launch, delay);
        delay = Math.min(delay * 2, MAX_RESTART_MS);
      });
    });
    c.once('error', (err) => logger.error({ err: String(err) }, 'could not start the worker process'));
    logger.info({ workerPid: c.pid }, 'worker process started');
  };
  launch();

  return {
    pid: () => child?.pid ?? null,
    async stop() {
      stopping = true;
      if (restart) clearTimeout(restart);
      const c = child;
      if (!c) return;
      c.kill('SIGTERM');
      const killer = setTimeout(() => c.kill('SIGKILL'), WORKER_STOP_WAIT_MS + 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Lowering a child's own priority needs no privilege; where the OS refuses, the child runs as is. */
function lowerPriority(pid: number, logger: Logger): void {
  try {
    setPriority(pid, Math.min(19, getPriority() + WORKER_NICE_STEP));
  } catch (err) {
    logger.warn({ workerPid: pid, err: String(err) }, 'could not lower the worker process priority; reads may slow down while it syncs');
  }
}
