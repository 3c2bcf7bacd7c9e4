import { sql } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './database.ts';

// Bulk writes: one statement per chunk reads the rows from a JSON array with json_each, which
// is far cheaper than one INSERT per row or binding thousands of parameters.

const CHUNK = 5000;

type Row = Record<string, unknown>;

/**
 * Inserts rows (every row has the first row's columns, less `without`). With `upsertOn`, a row
 * whose key exists replaces that row's other columns, as `INSERT … ON CONFLICT DO UPDATE` would.
 */
export async function insertRows<T extends keyof Database>(
  db: Db,
  table: T,
  rows: readonly Database[T][] | readonly Row[],
  o: { upsertOn?: string; without?: readonly string[] } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0] as object).filter((c) => !o.without?.includes(c));
  const list = sql.join(cols.map((c) => sql.ref(c)));
  // Rows travel as arrays (smaller JSON, one lookup per column).
  const values = sql.join(cols.map((_, j) => sql.raw(`value ->> ${j}`)));
  // "WHERE true" lets SQLite tell the upsert clause from a join on the SELECT.
  const upsert = o.upsertOn
    ? sql` where true on conflict (${sql.ref(o.upsertOn)}) do update set ${sql.join(
        cols.filter((c) => c !== o.upsertOn).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
      )}`
    : sql``;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => cols.map((c) => (r as Row)[c] ?? null));
    await sql`insert into ${sql.table(table)} (${list}) select ${values} from json_each(${JSON.stringify(chunk)})${upsert}`.execute(db);
  }
}

/** Splits a list into lists of at most `size` (SQLite caps the parameters of one statement). */
export function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
