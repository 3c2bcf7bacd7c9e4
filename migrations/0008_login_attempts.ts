import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Failed logins per username, kept in the database rather than in memory, so a flood of made-up
// usernames cannot push a real user's lockout out of a bounded map, and a restart does not
// clear it. Rows are pruned by age (updated_at), never by count.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('username', 'text', (c) => c.primaryKey()) // lowercased, as typed; unknown users too
    .addColumn('failures', 'integer', (c) => c.notNull()) // attempts since window_started_at not ended by a success
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text') // null while not locked out
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_updated').on('login_attempts').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_attempts').execute();
}
