import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './database.ts';
import { checkPostgres, isPostgres, openPostgres } from './postgres.ts';

export type Db = Kysely<Database>;

export type Engine = 'sqlite' | 'postgres';

/** Which engine a database runs on (for the few places whose SQL differs; see server/db/dialect.ts). */
export function engineOf(db: Kysely<any>): Engine {
  return isPostgres(db) ? 'postgres' : 'sqlite';
}

/**
 * Opens the database the configuration names: PostgreSQL when `databaseUrl` is set (checked with
 * one query, so a wrong URL fails here in one line), else the SQLite file at `dbPath`.
 */
export async function connectDatabase(config: { dbPath: string; databaseUrl?: string | undefined }): Promise<Db> {
  if (config.databaseUrl) {
    const db = openPostgres(config.databaseUrl);
    await checkPostgres(db, config.databaseUrl);
    return db;
  }
  return openDatabase(config.dbPath).db;
}

/**
 * Opens the SQLite file in WAL mode (SQLite only; connectDatabase picks the engine). synchronous=NORMAL is durable across process crashes in
 * WAL mode (only an OS crash can lose the last commits), and busy_timeout lets a second
 * process (the CLI beside a running server) wait instead of failing.
 */
export function openDatabase(path: string): { db: Db; sqlite: SQLite.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoint every 64 MiB of WAL instead of 4 MiB: a page rewritten by many commits (index
  // leaves during a sync) is copied into the database once per checkpoint, not once per 4 MiB.
  sqlite.pragma('wal_autocheckpoint = 16384');
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; with many small statements (a sync extracts tens of
 * thousands of rows) preparing costs as much as running. Statements are reused by their SQL,
 * least recently used dropped first; one busy iterating (a streamed query) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      if (!hit) {
        cache.set(text, stmt);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

// SQLite runs DDL inside transactions, but Kysely's adapter says it does not; saying so lets the
// migrator wrap migrations in a transaction, so a failed migration leaves no half-made schema.
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}
