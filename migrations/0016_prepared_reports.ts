import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Reports made ahead: after each derive, the job makes the report of every window the period
// picker opens, for the org and every team, and stores it here under the key the read model
// caches it by (a hash that includes the derive's run id), so a page opened after a derive is a
// row read, not a window analysis in the serving process.

export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('signal_reports')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('run', 'text', (c) => c.notNull()) // the derive run the report was made for
    .addColumn('body', bytes, (c) => c.notNull()) // the report, v8-serialized (it holds Maps)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signal_reports').execute();
}
