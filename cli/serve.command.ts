import type { Command } from 'commander';
import { startServer } from '../server/main.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';

export function registerServe(program: Command): void {
  withDbOptions(program.command('serve'))
    .description('serve the dashboard and run sync jobs (http://127.0.0.1:8787 by default)')
    .option('--host <host>', 'address to listen on (env GUIDEPOST_HOST)')
    .option('--port <port>', 'port to listen on, 0 for any free port (env GUIDEPOST_PORT)')
    .action(
      action(async (opts: DbOptions & { host?: string; port?: string }) => {
        const config = loadConfig(opts, { GUIDEPOST_HOST: opts.host, GUIDEPOST_PORT: opts.port });
        const server = await startServer(config);
        process.stdout.write(`Guidepost is running at ${server.url}\n`);
        const stop = () => {
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
