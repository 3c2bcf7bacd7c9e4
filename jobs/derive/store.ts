import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { SignalTables } from '../../server/db/signals.tables.ts';
import { insertRows as insertBulk, jsonRows } from '../../server/db/bulk.ts';

// Bulk writes for signal rows (one JSON parameter per chunk, server/db/bulk.ts), and rewriting only what changed.

const CHUNK = 5000;

/** Inserts signal rows; an `id` they carry is left out, since signal tables number their rows. */
export async function insertRows<T extends keyof SignalTables>(db: Db, table: T, rows: readonly SignalTables[T][]): Promise<void> {
  await insertBulk(db, table, rows as unknown as readonly Record<string, unknown>[], { without: ['id'] });
}

/**
 * Brings the rows of `table` that were `before` to `after`, writing only what changed: rows
 * gone or different are deleted by their key, rows new or different inserted. Each write
 * touches pages SQLite must copy to the WAL and back; most rows of a recomputed week are
 * the same as before.
 */
export async function replaceChanged<T extends keyof SignalTables>(
  db: Db,
  table: T,
  key: readonly (keyof SignalTables[T] & string)[],
  before: readonly SignalTables[T][],
  after: readonly SignalTables[T][],
): Promise<{ deleted: number; inserted: number }> {
  const { gone, added } = changedRows(key, before, after);
  const keys = sql.join(key.map((k) => sql.ref(k)));
  const source = jsonRows(db, table, key);
  for (let i = 0; i < gone.length; i += CHUNK) {
    const chunk = gone.slice(i, i + CHUNK) as unknown as readonly Record<string, unknown>[];
    await sql`delete from ${sql.table(table)} where (${keys}) in (select ${source.columns} from ${source.from(chunk)})`.execute(db);
  }
  await insertRows(db, table, added);
  return { deleted: gone.length, inserted: added.length };
}

/** Rows of `before` that are gone or different in `after`, and rows of `after` that are new or different (rows matched by key). */
export function changedRows<R>(key: readonly (keyof R & string)[], before: readonly R[], after: readonly R[]): { gone: R[]; added: R[] } {
  const cols = Object.keys((after[0] ?? before[0] ?? {}) as object) as (keyof R)[];
  // One numeric key is its own map key; others are joined into one string.
  const id = key.length === 1 ? (r: R) => r[key[0]!] as unknown : (r: R) => key.map((k) => String(r[k])).join('\u0000');
  const same = (a: R, b: R) => {
    for (const c of cols) if ((a[c] ?? null) !== (b[c] ?? null)) return false;
    return true;
  };
  const old = new Map<unknown, R>();
  for (const r of before) old.set(id(r), r);
  const fresh = new Map<unknown, R>();
  const added: R[] = [];
  for (const r of after) {
    const k = id(r);
    fresh.set(k, r);
    const o = old.get(k);
    if (!o || !same(o, r)) added.push(r);
  }
  const gone = before.filter((r) => {
    const n = fresh.get(id(r));
    return !n || !same(r, n);
  });
  return { gone, added };
}
