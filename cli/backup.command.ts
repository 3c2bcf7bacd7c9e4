import type { Command } from 'commander';
import { resolve } from 'node:path';
import { backupDatabase, DEFAULT_KEEP, keptCopiesDir, listKeptCopies, restoreDatabase, type KeptCopy } from '../server/db/backup.ts';
import { AppError } from '../server/errors.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';

export function registerBackup(program: Command): void {
  withDbOptions(program.command('backup'))
    .description('copy the database to FILE while Guidepost keeps running (SQLite online backup)')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'overwrite FILE if it exists')
    .action(
      action(async (file: string, opts: DbOptions & { force?: boolean }) => {
        const config = loadConfig(opts);
        refuseOnPostgres(config.databaseUrl, 'backup');
        const result = await backupDatabase(config.dbPath, resolve(file), { overwrite: opts.force === true });
        process.stdout.write(`Backed up ${config.dbPath} to ${result.file} (${result.bytes} bytes).\n`);
      }),
    );

  withDbOptions(program.command('restore'))
    .description('replace the database with a backup (stop guidepost serve first); the one it replaces is kept in DATA_DIR/backups')
    .argument('[file]', 'the backup to restore: one made by `guidepost backup`, or a copy --list shows')
    .option('--list', 'list the kept copies of replaced databases, newest first')
    .option('--keep <n>', `how many kept copies to leave after restoring; older ones are removed (default ${DEFAULT_KEEP})`)
    .action(
      action(async (file: string | undefined, opts: DbOptions & { list?: boolean; keep?: string }) => {
        const config = loadConfig(opts);
        refuseOnPostgres(config.databaseUrl, 'restore');
        const keptDir = keptCopiesDir(config.dataDir);
        if (opts.list) {
          process.stdout.write(listing(keptDir, listKeptCopies(keptDir)));
          return;
        }
        if (!file) throw new AppError('bad_request', 'Say which backup to restore: guidepost restore FILE (guidepost restore --list shows the copies kept here).');
        const keep = parseKeep(opts.keep);
        const source = resolve(file);
        const { kept, removed } = await restoreDatabase(config.dbPath, source, { keptDir, keep });
        const lines = [`Restored ${source} into ${config.dbPath}.`];
        if (kept) lines.push(`The database it replaced is kept as ${kept}; to undo, run guidepost restore ${kept}`);
        if (removed.length) lines.push(`Removed ${removed.length} older kept ${removed.length === 1 ? 'copy' : 'copies'} (--keep ${keep}).`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

/** backup and restore copy the SQLite file; a PostgreSQL database has its own tools. */
function refuseOnPostgres(databaseUrl: string | undefined, what: 'backup' | 'restore'): void {
  if (!databaseUrl) return;
  throw new AppError(
    'bad_request',
    what === 'backup'
      ? 'guidepost backup copies the SQLite file; this database is PostgreSQL (GUIDEPOST_DATABASE_URL). Use pg_dump, e.g. pg_dump -Fc -f guidepost.dump DBNAME.'
      : 'guidepost restore replaces the SQLite file; this database is PostgreSQL (GUIDEPOST_DATABASE_URL). Use pg_restore, e.g. pg_restore --clean -d DBNAME guidepost.dump (stop guidepost serve first).',
  );
}

function parseKeep(keep: string | undefined): number {
  if (keep === undefined) return DEFAULT_KEEP;
  const n = /^\d+$/.test(keep.trim()) ? Number(keep) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new AppError('bad_request', `--keep must be a whole number of at least 1, like ${DEFAULT_KEEP} (not ${JSON.stringify(keep)}).`);
  return n;
}

function listing(dir: string, copies: KeptCopy[]): string {
  if (copies.length === 0) return `No copies kept in ${dir} yet: restore keeps one each time it replaces the database.\n`;
  const rows = copies.map((c) => `${c.takenAt.toISOString().slice(0, 19).replace('T', ' ')} UTC  ${size(c.bytes).padStart(9)}  ${c.file}`);
  return `${[`Copies kept in ${dir}, newest first (restore one with guidepost restore FILE):`, ...rows].join('\n')}\n`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
