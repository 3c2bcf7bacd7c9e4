import type { Command } from 'commander';
import { resolve } from 'node:path';
import { backupDatabase, restoreDatabase } from '../server/db/backup.ts';
import { openDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';

export function registerBackup(program: Command): void {
  withDbOptions(program.command('backup'))
    .description('copy the database to FILE while Guidepost keeps running (SQLite online backup)')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'overwrite FILE if it exists')
    .action(
      action(async (file: string, opts: DbOptions & { force?: boolean }) => {
        const config = loadConfig(opts);
        const result = await backupDatabase(config.dbPath, resolve(file), { overwrite: opts.force === true });
        process.stdout.write(`Backed up ${config.dbPath} to ${result.file} (${result.bytes} bytes).\n`);
      }),
    );

  withDbOptions(program.command('restore'))
    .description('replace the database with a backup made by `guidepost backup`; the old one is kept as DB.bak')
    .argument('<file>', 'the backup to restore')
    .action(
      action(async (file: string, opts: DbOptions) => {
        const config = loadConfig(opts);
        const { previous } = await restoreDatabase(config.dbPath, resolve(file));
        // An older backup is brought up to this version's schema straight away.
        const { db } = openDatabase(config.dbPath);
        try {
          await migrateToLatest(db);
        } finally {
          await db.destroy();
        }
        process.stdout.write(`Restored ${resolve(file)} into ${config.dbPath}.${previous ? ` The database it replaced is at ${previous}.` : ''}\n`);
      }),
    );
}
