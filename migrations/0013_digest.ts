import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Every attempt to send the weekly digest, one row per destination, so Sync status can tell
// the lead that the last digest did not reach Slack (and why) instead of failing in silence.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_sends')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull()) // ISO time the attempt ended
    .addColumn('trigger', 'text', (c) => c.notNull()) // scheduled | manual | test
    .addColumn('destination', 'text', (c) => c.notNull()) // email | slack | teams
    .addColumn('ok', 'integer', (c) => c.notNull()) // 1 sent, 0 failed
    .addColumn('error', 'text') // why it failed, in words without any secret; null when sent
    .execute();
  await db.schema.createIndex('digest_sends_destination_at').on('digest_sends').columns(['destination', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_sends').execute();
}
