import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SelectQueryNode, SqliteAdapter, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';
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
 * WAL mode (only an OS crash can lose the last commits). Two connections: one writes (and runs
 * every transaction), the other answers the selects made outside a transaction, so a read never
 * waits behind this process's transactions or for another process's write. A write that finds
 * another process (the worker, the CLI beside a running server) writing waits for it, up to
 * BUSY_WAIT_MS, but with the event loop free (SqliteDriver below): better-sqlite3's calls hold
 * the event loop, and SQLite's own busy_timeout waits inside the call.
 */
export function openDatabase(path: string): { db: Db; sqlite: SQLite.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_SPIN_MS}`);
  // Checkpoint every 64 MiB of WAL instead of 4 MiB: a page rewritten by many commits (index
  // leaves during a sync) is copied into the database once per checkpoint, not once per 4 MiB.
  sqlite.pragma('wal_autocheckpoint = 16384');
  // A second connection to ':memory:' would be another, empty database: there, one does all.
  let reader: SQLite.Database | null = null;
  if (path !== ':memory:') {
    reader = new SQLite(path);
    reader.pragma(`busy_timeout = ${BUSY_SPIN_MS}`);
    reader.pragma('query_only = ON');
  }
  const db = new Kysely<Database>({ dialect: new TwoConnectionSqliteDialect(withStatementCache(sqlite), reader && withStatementCache(reader)) });
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

class TwoConnectionSqliteDialect extends SqliteDialect {
  constructor(
    private readonly writer: SqliteDatabase,
    private readonly reader: SqliteDatabase | null,
  ) {
    super({ database: writer });
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }

  override createDriver(): Driver {
    return new SqliteDriver(this.writer, this.reader);
  }
}

/** How long SQLite itself waits for a lock inside one call (the event loop waits with it). */
const BUSY_SPIN_MS = 20;
/** How long a statement waits, in all, for another process's write to end before it fails. */
export const BUSY_WAIT_MS = 5000;

/**
 * Kysely's SQLite driver with two connections. Transactions and writes take the writing
 * connection, one at a time (a mutex, as Kysely's own driver has); a select outside a
 * transaction goes to the reading one at once, and sees what was committed when it runs (WAL:
 * readers never wait for the writer). Statements that find the database locked by another
 * process (SQLITE_BUSY) are run again after a pause, until BUSY_WAIT_MS. Only plain SQLITE_BUSY:
 * SQLite says a statement or COMMIT so refused can be run again as it is, while
 * SQLITE_BUSY_SNAPSHOT means the transaction must start over, which waiting cannot fix.
 */
class SqliteDriver implements Driver {
  private readonly lock = new Mutex();
  constructor(
    private readonly writer: SqliteDatabase,
    private readonly reader: SqliteDatabase | null,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this.writer, this.reader, this.lock);
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Lease).begin();
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Lease).end('commit');
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as Lease).end('rollback');
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    (c as Lease).release();
  }

  async destroy(): Promise<void> {
    this.reader?.close();
    this.writer.close();
  }
}

/** What Kysely holds for one query, or for one transaction: the writer stays its own from begin to commit. */
class Lease implements DatabaseConnection {
  private inTransaction = false;
  constructor(
    private readonly writer: SqliteDatabase,
    private readonly reader: SqliteDatabase | null,
    private readonly lock: Mutex,
  ) {}

  async begin(): Promise<void> {
    await this.lock.acquire();
    this.inTransaction = true;
    try {
      await whenNotBusy(() => run(this.writer, CompiledQuery.raw('begin')));
    } catch (err) {
      this.release();
      throw err;
    }
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    // A failed COMMIT keeps the writer: Kysely rolls back next, and that ends the transaction.
    if (how === 'commit') {
      await whenNotBusy(() => run(this.writer, CompiledQuery.raw('commit')));
      this.release();
      return;
    }
    try {
      await whenNotBusy(() => run(this.writer, CompiledQuery.raw('rollback')));
    } finally {
      this.release();
    }
  }

  release(): void {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    this.lock.release();
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return whenNotBusy(() => run<R>(this.writer, q));
    if (this.reader && SelectQueryNode.is(q.query)) return whenNotBusy(() => run<R>(this.reader!, q));
    await this.lock.acquire();
    try {
      return await whenNotBusy(() => run<R>(this.writer, q));
    } finally {
      this.lock.release();
    }
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(q.query)) throw new Error('SQLite streams only select queries');
    const on = this.inTransaction || !this.reader ? this.writer : this.reader;
    for (const row of on.prepare(q.sql).iterate(q.parameters as unknown[])) yield { rows: [row as R] };
  }
}

function run<R>(db: SqliteDatabase, q: CompiledQuery): Promise<QueryResult<R>> {
  const stmt = db.prepare(q.sql);
  if (stmt.reader) return Promise.resolve({ rows: stmt.all(q.parameters as unknown[]) as R[] });
  const { changes, lastInsertRowid } = stmt.run(q.parameters as unknown[]);
  return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid), rows: [] });
}

async function whenNotBusy<R>(attempt: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
  const until = Date.now() + BUSY_WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      return await attempt();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() + pause > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** One holder at a time, the others in arrival order. */
class Mutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // handed straight on: still held
    else this.held = false;
  }
}
