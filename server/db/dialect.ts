import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isPostgres } from './postgres.ts';

// The few places where SQLite and PostgreSQL need different SQL, each as one small helper.
// Bulk JSON reads are in bulk.ts (jsonRows, inList).

/**
 * ` FOR UPDATE SKIP LOCKED` on PostgreSQL, for a subquery that picks a row to claim: two workers
 * on separate connections then never wait for, nor take, the same row. SQLite has one writer at a
 * time, so its UPDATE … WHERE id = (SELECT …) is atomic already.
 */
export function skipLocked(db: Kysely<any>): RawBuilder<unknown> {
  return isPostgres(db) ? sql` FOR UPDATE SKIP LOCKED` : sql``;
}

/** True when `err` is a failed UNIQUE, FOREIGN KEY, NOT NULL or CHECK constraint, on either engine. */
export function isConstraintViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code); // PostgreSQL class 23: integrity constraint violation
}

/**
 * Makes the transaction `trx` the only one at a time holding `key` until it ends (PostgreSQL
 * transaction advisory lock). SQLite needs none: Kysely runs its transactions on its one
 * connection, one after another. Take it first in the transaction, before any row lock.
 */
export async function serializeTransactions(trx: Kysely<any>, key: string = SYNC_WRITER): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/**
 * The lock the sync's writing transactions take on PostgreSQL. Repositories sync side by side and
 * each page's transaction updates the people it names: unordered, two such transactions deadlock
 * on shared people. SQLite writes one transaction at a time; this gives PostgreSQL the same order
 * (the API calls still overlap; only the short writes queue).
 */
export const SYNC_WRITER = 'guidepost:sync-writer';

/** `fn` under the sync writer's lock: in `db`'s transaction, or in a new one when `db` is none (PostgreSQL only). */
export async function asSyncWriter<T>(db: Kysely<any>, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return fn(db);
  if (db.isTransaction) {
    await serializeTransactions(db);
    return fn(db);
  }
  return db.transaction().execute(async (trx) => {
    await serializeTransactions(trx);
    return fn(trx);
  });
}

let savepoints = 0;

/**
 * Runs `fn` so that a statement of it that fails leaves the rest of the enclosing transaction
 * usable, as on SQLite, where a failed statement undoes only itself. PostgreSQL aborts the whole
 * transaction at the first error, so there `fn` runs inside a savepoint, rolled back when it
 * throws (then everything `fn` wrote is undone, not only the failed statement). The error is
 * thrown on, for the caller to log and go on.
 */
export async function isolated<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  if (!db.isTransaction || !isPostgres(db)) return fn();
  const name = sql.id(`gp_row_${++savepoints}`);
  await sql`savepoint ${name}`.execute(db);
  try {
    const out = await fn();
    await sql`release savepoint ${name}`.execute(db);
    return out;
  } catch (err) {
    await sql`rollback to savepoint ${name}`.execute(db);
    throw err;
  }
}

/**
 * SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not: code written for
 * SQLite (an org typed in another case, `acme` for `Acme`) gets the same answer from ILIKE.
 */
export function likeOp(db: Kysely<any>): 'like' | 'ilike' {
  return isPostgres(db) ? 'ilike' : 'like';
}
