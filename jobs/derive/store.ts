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
  const values = sql.join(cols.map((c) => sql`value ->> ${`$.${c}`}`));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c] = (r as unknown as Record<string, unknown>)[c];
      return o;
    });
    await sql`insert or replace into ${sql.table(table)} (${list}) select ${values} from json_each(${JSON.stringify(chunk)})`.execute(db);
  }
}
