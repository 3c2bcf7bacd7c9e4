import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';

export interface BackupResult {
  file: string;
  bytes: number;
}

/**
 * Copies the live database to `file` with SQLite's online backup API: consistent even while
 * the server writes, since the copy restarts if the source changes under it. Written to a
 * temporary name first, so a crash never leaves a half backup under the real name.
 */
export async function backupDatabase(dbPath: string, file: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  if (!existsSync(dbPath)) throw new AppError('not_found', `There is no database at ${dbPath} to back up. Pass --db PATH.`);
  if (existsSync(file) && !options.overwrite) throw new AppError('conflict', `${file} exists already. Choose another name or pass --force.`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    const source = new SQLite(dbPath, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(partial);
    } finally {
      source.close();
    }
    toSingleFile(partial);
    checkGuidepostDatabase(partial);
    renameSync(partial, file);
  } catch (err) {
    removeDatabaseFiles(partial);
    throw err;
  }
  return { file, bytes: statSync(file).size };
}

/**
 * The copy carries the live database's WAL flag in its header, so whoever opened it next would
 * leave `-wal` and `-shm` files beside it (a read-only opener cannot remove them). In rollback
 * mode the backup is one self-contained file.
 */
function toSingleFile(file: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Throws unless `file` is an intact SQLite database made by Guidepost: integrity_check passes,
 * it has the migrations table with the first migration, and no migration this version does not know.
 */
export function checkGuidepostDatabase(file: string): void {
  if (!existsSync(file)) throw new AppError('not_found', `There is no file at ${file}.`);
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') throw new Error('integrity_check failed');
    const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!table) throw new Error('no migrations table');
    const names = (db.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name);
    if (!names.includes('0001_init')) throw new Error('first migration missing');
    const unknown = names.filter((n) => !(n in migrations));
    if (unknown.length) throw new AppError('bad_request', `${file} was written by a newer Guidepost (migrations ${unknown.join(', ')}). Upgrade Guidepost before restoring it.`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_request', `${file} is not an intact Guidepost database (${err instanceof Error ? err.message : String(err)}). Nothing was changed.`);
  } finally {
    db?.close();
  }
}

export interface RestoreResult {
  /** Where the database that was replaced now lives, if there was one. */
  previous: string | undefined;
}

/**
 * Replaces the database at `dbPath` with the backup `file`, after checking the backup. The
 * current database is first copied to `dbPath.bak`. The copy goes through the backup API into
 * the live file, so SQLite's locks keep any open connection consistent.
 */
export async function restoreDatabase(dbPath: string, file: string): Promise<RestoreResult> {
  checkGuidepostDatabase(file);
  let previous: string | undefined;
  if (existsSync(dbPath)) {
    previous = `${dbPath}.bak`;
    await backupDatabase(dbPath, previous, { overwrite: true });
  }
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(dbPath);
  } finally {
    source.close();
  }
  checkGuidepostDatabase(dbPath);
  return { previous };
}
