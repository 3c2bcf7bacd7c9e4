import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { createApp } from './app.ts';
import type { AppDeps, DemoSimulator } from './deps.ts';
import { prepareAccess } from './auth/startup.ts';
import { createSyncRuntime, prepareSignals } from '../jobs/background-jobs.ts';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  close(): Promise<void>;
}

/** Composition root: opens the database, migrates it, and serves the API and dashboard. */
export async function startServer(config: Config, options: { webRoot?: string } = {}): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const { db } = openDatabase(config.dbPath);
  await migrateToLatest(db);
  // Packs in an older layout are rebuilt here, before any request: reads never write.
  await prepareSignals(db);
  await prepareAccess(db, config, logger).catch(async (err: unknown) => {
    await db.destroy();
    throw err;
  }); // refuses a non-loopback host with no admin
  // The server runs the sync jobs and the hourly re-sync (jobs/background-jobs.ts).
  const sync = createSyncRuntime(db, config, logger);
  const deps: AppDeps = { db, config, logger, sync, startDemo: demoStarter() };
  const app = createApp(deps, options);

  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, db: config.dbPath }, 'guidepost is serving');
  sync.start();

  return {
    url,
    deps,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sync.stop();
      await db.destroy();
    },
  };
}

/**
 * The demo's simulated GitHub, loaded only when someone asks for the demo so the server does not
 * carry the generator otherwise. Callers at the same moment share one simulator; a failed start
 * may be tried again. It is closed with the background jobs (SyncRuntime.stop).
 */
function demoStarter(): () => Promise<DemoSimulator> {
  let started: Promise<DemoSimulator> | null = null;
  return () => {
    started ??= import('../simulator/start.ts')
      .then((m) => m.startSimulator({ seed: 1, scale: 'small', port: 0, host: '127.0.0.1' }))
      .catch((err: unknown) => {
        started = null;
        throw err;
      });
    return started;
  };
}
