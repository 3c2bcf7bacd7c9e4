import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { SignalTables } from '../../server/db/signals.tables.ts';

// Bulk writes for signal rows. One statement per chunk reads the rows from a JSON array with
// json_each, which is far cheaper than binding thousands of parameters per insert.

const CHUNK = 5000;

export async function insertRows<T extends keyof SignalTables>(db: Db, table: T, rows: readonly SignalTables[T][]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0] as object).filter((c) => c !== 'id');
  const list = sql.join(cols.map((c) => sql.ref(c)));
  // Rows travel as arrays (smaller JSON, one index lookup per column).
  const values = sql.join(cols.map((_, j) => sql.raw(`value ->> ${j}`)));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => cols.map((c) => (r as unknown as Record<string, unknown>)[c] ?? null));
    await sql`insert into ${sql.table(table)} (${list}) select ${values} from json_each(${JSON.stringify(chunk)})`.execute(db);
  }
}
