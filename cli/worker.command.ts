import { prepareMissingReports, prepareReportsOrWarn } from '../jobs/derive/reports.prepare.ts';
import type { Command } from 'commander';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { describeUrl } from '../server/db/postgres.ts';
import { createLogger } from '../server/logger.ts';
import { createSyncRuntime } from '../jobs/background-jobs.ts';
import { removeWorker } from '../jobs/worker.status.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';

/** How long a stopping worker waits for the jobs in hand; then it frees their locks for another worker, which resumes them from their bookmarks. */
export const WORKER_STOP_WAIT_MS = 15_000;

export function registerWorker(program: Command): void {
  withDbOptions(program.command('worker'))
    .description('run the sync, extract and derive jobs and the re-sync schedule, without serving; several may share one database')
    .action(
      action(async (opts: DbOptions) => {
        const config = loadConfig(opts);
        const logger = createLogger(config.logLevel);
        const db = await connectDatabase(config);
        try {
          await migrateToLatest(db);
        } catch (err) {
          await db.destroy();
          throw err;
        }
        const runtime = createSyncRuntime(db, config, logger, { mode: 'worker' });
        runtime.start();
        // Beside the jobs: the period picker's reports, when the current derive has none yet.
        void prepareReportsOrWarn(db, (err, message) => logger.warn({ err }, message), prepareMissingReports);
        const id = runtime.runner.workerId;
        logger.info({ worker: id, db: config.databaseUrl ? describeUrl(config.databaseUrl).shown : config.dbPath }, 'guidepost worker is running jobs');
        process.stdout.write(`Guidepost worker ${id} is running jobs\n`);

        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          logger.info({ worker: id, signal }, 'guidepost worker is stopping: finishing the jobs in hand');
          const finished = await Promise.race([runtime.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), WORKER_STOP_WAIT_MS).unref())]);
          if (!finished) {
            // Long jobs keep running until the process ends: their locks go now, so another worker takes them at once.
            const freed = await db.updateTable('jobs').set({ locked_at: null, locked_by: null }).where('locked_by', '=', id).executeTakeFirst();
            await removeWorker(db, id);
            logger.warn({ worker: id, jobs: Number(freed.numUpdatedRows) }, 'jobs still running at the stop were released for another worker');
          }
          await db.destroy();
          process.exit(0);
        };
        process.on('SIGINT', () => void stop('SIGINT'));
        process.on('SIGTERM', () => void stop('SIGTERM'));
        // Started by `guidepost serve`: when that process dies without stopping this one (SIGKILL),
        // this one goes too, as it would have in the same process; its locks are freed by the next worker.
        if (process.send) process.once('disconnect', () => process.exit(1));
      }),
    );
}
