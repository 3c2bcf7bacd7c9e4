import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// GitHub webhook deliveries as they arrived: one row per X-GitHub-Delivery id (a redelivery is
// applied once) with what became of it. The payload itself is a raw_responses row (raw_id), so
// re-extraction replays it beside the sync's answers.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique()) // X-GitHub-Delivery
    .addColumn('event', 'text', (c) => c.notNull()) // X-GitHub-Event
    .addColumn('action', 'text') // payload.action, when the event has one
    .addColumn('org', 'text')
    .addColumn('repo', 'text') // owner/name
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull()) // applied | ignored | failed
    .addColumn('error', 'text') // why it was ignored or failed, for the settings page
    .addColumn('raw_id', 'integer') // the payload in raw_responses; null when not kept (ignored)
    .execute();
  await db.schema.createIndex('webhook_deliveries_received').on('webhook_deliveries').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
}
