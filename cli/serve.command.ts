import type { Command } from 'commander';
import { startServer } from '../server/main.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';
import { startWorkerChild, type WorkerChild } from './worker.child.ts';

export function registerServe(program: Command): void {
  withDbOptions(program.command('serve'))
    .description('serve the dashboard and run sync jobs in a child worker process (http://127.0.0.1:8787 by default)')
    .option('--host <host>', 'address to listen on (env GUIDEPOST_HOST)')
    .option('--port <port>', 'port to listen on, 0 for any free port (env GUIDEPOST_PORT)')
    .option('--no-jobs', 'serve only: run no sync jobs here; run them with guidepost worker (one or more)')
    .action(
      action(async (opts: DbOptions & { host?: string; port?: string; jobs: boolean }) => {
        const config = loadConfig(opts, { GUIDEPOST_HOST: opts.host, GUIDEPOST_PORT: opts.port });
        // An in-memory database cannot be shared with another process: its jobs run in this one.
        const jobs = opts.jobs && config.dbPath === ':memory:' && !config.databaseUrl ? 'here' : 'elsewhere';
        const server = await startServer(config, { jobs });
        process.stdout.write(`Guidepost is running at ${server.url}${opts.jobs ? '' : ' (no jobs: start guidepost worker to sync)'}\n`);
        let worker: WorkerChild | null = null;
        let stopping = false;
        // The demo's simulator is bound first: a worker started before it would sync from the old one.
        if (opts.jobs && jobs === 'elsewhere') void server.ready.then(() => void (stopping || (worker = startWorkerChild(config, server.deps.logger))));
        const stop = () => {
          stopping = true;
          void Promise.all([worker?.stop(), server.close()]).then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
