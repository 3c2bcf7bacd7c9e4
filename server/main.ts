import { createServer } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { describeUrl } from './db/postgres.ts';
import { createLogger } from './logger.ts';
import { createApp } from './app.ts';
import type { AppDeps, DemoSimulator, DemoStarter } from './deps.ts';
import { prepareAccess } from './auth/startup.ts';
import { createSyncRuntime, jobsElsewhere, prepareSignals, restartDemo } from '../jobs/background-jobs.ts';
import { startDigestSchedule } from './digest/digest.schedule.ts';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  /** Resolves once a stored demo connection points at this process's simulator again: a worker started before would sync from the dead one. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface ServerOptions {
  webRoot?: string;
  /**
   * Where the sync, extract and derive jobs run: 'here' (the default, for tests and embedding:
   * this process runs the runner and the scheduler) or 'elsewhere' (worker processes; the CLI's
   * `serve` starts one as its child, `serve --no-jobs` none), so reads never wait behind them.
   */
  jobs?: 'here' | 'elsewhere';
}

/** Composition root: opens the database, migrates it, and serves the API and dashboard. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const db = await connectDatabase(config);
  await migrateToLatest(db);
  // Packs in an older layout are rebuilt here, before any request: reads never write.
  await prepareSignals(db);
  await prepareAccess(db, config, logger).catch(async (err: unknown) => {
    await db.destroy();
    throw err;
  }); // refuses a non-loopback host with no admin
  // The sync jobs and the hourly re-sync run here or in workers (jobs/background-jobs.ts). The demo
  // simulator always runs here: a demo connected by an earlier run gets it again before any job
  // runs, and workers reach it through the stored connection's URL.
  const startDemo = demoStarter();
  const runtime = options.jobs === 'elsewhere' ? null : createSyncRuntime(db, config, logger);
  const sync = runtime ?? jobsElsewhere(db);
  const deps: AppDeps = { db, config, logger, sync, startDemo };
  const app = createApp(deps, options);

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, db: config.databaseUrl ? describeUrl(config.databaseUrl).shown : config.dbPath }, 'guidepost is serving');
  let closing = false;
  const ready = restartDemo(db, config, logger, sync, startDemo).then(() => {
    if (!closing) runtime?.start();
  });
  // The weekly digest goes out from the serving process, on the schedule in Settings.
  const digest = startDigestSchedule(db, config.digest, logger);

  return {
    url,
    deps,
    ready,
    async close() {
      closing = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ready;
      await digest.stop();
      await runtime?.stop();
      await sync.demo?.close();
      sync.demo = null;
      await db.destroy();
    },
  };
}

/**
 * The demo's simulated GitHub, loaded only when someone asks for the demo (or a demo connection is
 * stored) so the server does not carry the generator otherwise. Always the same seed and scale, so
 * a restart serves the same org. Callers share one simulator; a failed start may be tried again.
 * It is closed when the server closes.
 */
function demoStarter(): DemoStarter {
  let started: Promise<DemoSimulator> | null = null;
  return ({ port = 0 } = {}) => {
    started ??= import('../simulator/start.ts')
      .then(async (m) => {
        const start = (p: number) => m.startSimulator({ seed: 1, scale: 'small', port: p, host: '127.0.0.1' });
        // The earlier run's port keeps its stored URLs valid; taken by now, any port will do. It is
        // tried first, since a failed start would have generated the org and its git for nothing.
        if (!port || !(await portFree(port))) return start(0);
        return start(port).catch((err: unknown) => ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? start(0) : Promise.reject(err)));
      })
      .catch((err: unknown) => {
        started = null;
        throw err;
      });
    return started;
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
