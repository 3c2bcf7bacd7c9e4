import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

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
    await checkGuidepostDatabase(partial);
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
 * Throws unless `file` is an intact SQLite database made by this Guidepost or an older one:
 * integrity_check passes, its kysely_migration table names the first migrations this code
 * knows, in order, and it has every table and column those migrations make. Messages name
 * `shownAs`, the file the user gave, when `file` is a copy of it.
 */
export async function checkGuidepostDatabase(file: string, shownAs = file): Promise<void> {
  if (!existsSync(file)) throw new AppError('not_found', `There is no file at ${shownAs}.`);
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    let integrity: string;
    try {
      integrity = String(db.pragma('integrity_check', { simple: true }));
    } catch (err) {
      throw refused(shownAs, `is not an intact SQLite database (${err instanceof Error ? err.message : String(err)})`);
    }
    if (integrity !== 'ok') throw refused(shownAs, `is not an intact SQLite database (integrity_check: ${integrity.split('\n')[0]})`);
    const applied = checkMigrations(db, shownAs);
    const missing = missingSchema(db, await referenceSchema(applied.at(-1)!));
    if (missing.tables.length) throw refused(shownAs, `is not a Guidepost database: it lacks Guidepost's tables (${listSome(missing.tables)})`);
    if (missing.columns.length) throw refused(shownAs, `is not a Guidepost database: it lacks Guidepost's columns (${listSome(missing.columns)})`);
  } finally {
    db.close();
  }
}

function refused(file: string, why: string): AppError {
  return new AppError('bad_request', `${file} ${why}. Nothing was changed.`);
}

function listSome(names: string[], most = 6): string {
  return names.length > most ? `${names.slice(0, most).join(', ')} and ${names.length - most} more` : names.join(', ');
}

/** The migrations `db` has run, checked to be the first of ours in order; throws otherwise. */
function checkMigrations(db: SQLite.Database, shownAs: string): string[] {
  if (!db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get()) {
    throw refused(shownAs, 'is not a Guidepost database (it has no kysely_migration table)');
  }
  const applied = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
  const known = Object.keys(migrations);
  const unknown = applied.filter((n) => !(n in migrations));
  if (unknown.length) {
    // A newer Guidepost has run every migration this one knows, and its own after them.
    const newer = known.every((n) => applied.includes(n)) && unknown.every((n) => n > known.at(-1)!);
    if (newer) throw refused(shownAs, `was written by a newer Guidepost (migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}). Upgrade Guidepost, then restore it`);
    throw refused(shownAs, `is not a Guidepost database: its migrations (${listSome(unknown)}) are not Guidepost's`);
  }
  if (applied.length === 0 || applied.some((n, i) => n !== known[i])) {
    throw refused(shownAs, `is not a Guidepost database: its migrations (${listSome(applied) || 'none'}) are not the first of Guidepost's (${listSome(known)})`);
  }
  return applied;
}

type Schema = Map<string, string[]>;

/** Tables and columns as the migrations up to `last` make them, on an empty database. */
async function referenceSchema(last: string): Promise<Schema> {
  const { db, sqlite } = openDatabase(':memory:');
  try {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(last);
    if (error) throw error;
    return schemaOf(sqlite);
  } finally {
    await db.destroy();
  }
}

function schemaOf(db: SQLite.Database): Schema {
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by rowid").all() as { name: string }[]).map((r) => r.name);
  return new Map(tables.map((t) => [t, (db.pragma(`table_info("${t}")`) as { name: string }[]).map((c) => c.name)]));
}

function missingSchema(db: SQLite.Database, want: Schema): { tables: string[]; columns: string[] } {
  const have = schemaOf(db);
  const tables = [...want.keys()].filter((t) => !have.has(t));
  const columns = [...want].flatMap(([t, cols]) => (have.has(t) ? cols.filter((c) => !have.get(t)!.includes(c)).map((c) => `${t}.${c}`) : []));
  return { tables, columns };
}

export const DEFAULT_KEEP = 10;

/** Where restore keeps the databases it replaced. */
export function keptCopiesDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

export interface KeptCopy {
  file: string;
  takenAt: Date;
  bytes: number;
}

const KEPT_NAME = /^guidepost-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?\.db$/;

/** The copies restore kept in `dir`, newest first. */
export function listKeptCopies(dir: string): KeptCopy[] {
  if (!existsSync(dir)) return [];
  const copies = readdirSync(dir).flatMap((name) => {
    const m = KEPT_NAME.exec(name);
    if (!m) return [];
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    return [{ file: join(dir, name), takenAt: new Date(Date.UTC(y, mo - 1, d, h, mi, s)), bytes: statSync(join(dir, name)).size, n: Number(m[7] ?? 1) }];
  });
  // Two copies in the same second are told apart by their -2, -3 suffix.
  copies.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.n - a.n);
  return copies.map(({ file, takenAt, bytes }) => ({ file, takenAt, bytes }));
}

export interface RestoreResult {
  /** Where the database that was replaced is kept, if there was one. */
  kept: string | undefined;
  /** Older kept copies removed to stay within the retention count. */
  removed: string[];
}

/**
 * Replaces the database at `dbPath` with `file`. The file is read whole into a copy beside the
 * live database, and that copy is checked and migrated to this version's schema; only then is
 * the live database kept as a new timestamped file in `keptDir` and the copy renamed over it.
 * Any failure before the rename leaves the live database as it was. Nobody else may have the
 * database open: a server holding it would keep writing to the file it had opened.
 */
export async function restoreDatabase(dbPath: string, file: string, o: { keptDir: string; keep?: number }): Promise<RestoreResult> {
  if (!existsSync(file)) throw new AppError('not_found', `There is no file at ${file}. Pass a backup made by guidepost backup, or one of those guidepost restore --list shows.`);
  const keep = o.keep ?? DEFAULT_KEEP;
  mkdirSync(dirname(dbPath), { recursive: true });
  const copy = `${dbPath}.restoring-${process.pid}`;
  removeDatabaseFiles(copy);
  try {
    readWhole(file, copy);
    await prepareCopy(copy, file);
    const kept = existsSync(dbPath) ? await keepAndSwap(dbPath, copy, o.keptDir) : swapIntoEmpty(dbPath, copy);
    // The copy just kept stays even when a clock set back makes older ones look newer.
    const removed = listKeptCopies(o.keptDir).slice(keep).map((c) => c.file).filter((f) => f !== kept);
    for (const f of removed) removeDatabaseFiles(f);
    return { kept, removed };
  } finally {
    removeDatabaseFiles(copy);
  }
}

/** Reads the source before anything else happens, so it may be a file this restore is about to keep or remove. */
function readWhole(file: string, copy: string): void {
  copyFileSync(file, copy);
  // Commits still in the source's write-ahead log are part of it.
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
}

async function prepareCopy(copy: string, shownAs: string): Promise<void> {
  try {
    toSingleFile(copy);
  } catch (err) {
    throw refused(shownAs, `is not an intact SQLite database (${err instanceof Error ? err.message : String(err)})`);
  }
  await checkGuidepostDatabase(copy, shownAs);
  const { db } = openDatabase(copy);
  try {
    await migrateToLatest(db);
  } catch (err) {
    throw refused(shownAs, `could not be brought up to this version's schema (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    await db.destroy();
  }
  toSingleFile(copy);
}

/** Keeps the live database in `keptDir` and renames `copy` over it; returns the kept file. */
async function keepAndSwap(dbPath: string, copy: string, keptDir: string): Promise<string> {
  const partial = join(keptDir, `.keeping-${process.pid}.db`);
  const live = claim(dbPath);
  try {
    mkdirSync(keptDir, { recursive: true });
    removeDatabaseFiles(partial);
    if (!(live && (await copyThroughSqlite(live, partial)))) {
      // A live file SQLite cannot read is kept as it is, with its log: restoring is how one
      // recovers from that, and whoever can mend it may want it.
      removeDatabaseFiles(partial);
      copyFileSync(dbPath, partial);
      if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${partial}-wal`);
    }
    const kept = claimKeptName(partial, keptDir);
    // Leaving WAL mode removed the live -wal and -shm; if SQLite could not, they belong to the
    // kept copy and would corrupt the restored one.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
    renameSync(copy, dbPath);
    return kept;
  } finally {
    live?.close();
    removeDatabaseFiles(partial);
  }
}

/** False when the live database is too damaged for SQLite to copy. */
async function copyThroughSqlite(live: SQLite.Database, partial: string): Promise<boolean> {
  // An exclusive lock held until the connection closes after the rename, so nobody writes to the
  // live file between its copy and the swap (an open transaction would make the backup API copy
  // nothing).
  live.pragma('locking_mode = EXCLUSIVE');
  live.exec('begin exclusive; commit');
  try {
    await live.backup(partial);
    return true;
  } catch (err) {
    if (isDamaged(err)) return false;
    throw err;
  }
}

function isDamaged(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/**
 * Opens the live database and takes it out of WAL mode, which SQLite allows only to the sole
 * connection: that both proves nobody else has it open and folds its -wal into the file.
 * Undefined when the file is not a database SQLite can read.
 */
function claim(dbPath: string): SQLite.Database | undefined {
  let live: SQLite.Database | undefined;
  try {
    live = new SQLite(dbPath, { fileMustExist: true });
    live.pragma('busy_timeout = 2000');
    if (live.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
    return live;
  } catch (err) {
    live?.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new AppError('conflict', `${dbPath} is in use by another process (is guidepost serve running?). Stop it, then restore again. Nothing was changed.`);
    }
    if (isDamaged(err)) return undefined;
    throw err;
  }
}

/** Gives `partial` a timestamped name in `dir` that no other copy has: a kept copy is never overwritten. */
function claimKeptName(partial: string, dir: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let n = 1; ; n++) {
    const kept = join(dir, `guidepost-${stamp}${n > 1 ? `-${n}` : ''}.db`);
    try {
      // link, unlike rename, fails when the name is taken.
      linkSync(partial, kept);
      if (existsSync(`${partial}-wal`)) renameSync(`${partial}-wal`, `${kept}-wal`);
      return kept;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
}

function swapIntoEmpty(dbPath: string, copy: string): undefined {
  // A log left without its database would be replayed into the restored one.
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(copy, dbPath);
  return undefined;
}
