import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './database.ts';
import { isPostgres } from './postgres.ts';

// Bulk writes: one statement per chunk reads the rows from one JSON parameter, which is far
// cheaper than one INSERT per row or binding thousands of parameters. SQLite reads it with
// json_each (rows as arrays); PostgreSQL with json_populate_recordset, which types each field
// by the table's own column (rows as objects).

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
  const source = jsonRows(db, table, cols);
  // "WHERE true" lets SQLite tell the upsert clause from a join on the SELECT.
  const upsert = o.upsertOn
    ? sql` where true on conflict (${sql.ref(o.upsertOn)}) do update set ${sql.join(
        cols.filter((c) => c !== o.upsertOn).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
      )}`
    : sql``;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await sql`insert into ${sql.table(table)} (${list}) select ${source.columns} from ${source.from(rows.slice(i, i + CHUNK) as readonly Row[])}${upsert}`.execute(db);
  }
}

/**
 * Rows given as one JSON parameter, read as a table: `select ${columns} from ${from(rows)}` yields
 * `cols` of each row, typed as `table`'s columns of the same names (booleans become 1 and 0).
 */
export function jsonRows(db: Kysely<any>, table: string, cols: readonly string[]): { columns: RawBuilder<unknown>; from: (rows: readonly Row[]) => RawBuilder<unknown> } {
  const cell = (v: unknown) => (v === true ? 1 : v === false ? 0 : (v ?? null));
  if (isPostgres(db)) {
    return {
      columns: sql.join(cols.map((c) => sql`r.${sql.ref(c)}`)),
      from: (rows) => sql`json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((c) => [c, cell(r[c])]))))}::json) as r`,
    };
  }
  // Rows travel as arrays (smaller JSON, one lookup per column).
  return {
    columns: sql.join(cols.map((_, j) => sql.raw(`value ->> ${j}`))),
    from: (rows) => sql`json_each(${JSON.stringify(rows.map((r) => cols.map((c) => cell(r[c]))))})`,
  };
}

/**
 * `ref in values` for a long list, as one parameter: SQLite reads a JSON array with json_each,
 * PostgreSQL takes an array (`= any($1)`, typed by the column).
 */
export function inList(db: Kysely<any>, ref: string, values: readonly (string | number)[]): RawBuilder<boolean> {
  if (isPostgres(db)) return sql<boolean>`${sql.ref(ref)} = any(${values})`;
  return sql<boolean>`${sql.ref(ref)} in (select value from json_each(${JSON.stringify(values)}))`;
}

/** Splits a list into lists of at most `size` (SQLite caps the parameters of one statement). */
export function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
