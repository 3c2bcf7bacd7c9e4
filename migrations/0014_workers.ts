import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// The job workers that run, one row each, kept fresh by a heartbeat: a serving process that runs
// no jobs (`guidepost serve --no-jobs`) reads the API budget and the next re-sync from here, and
// tells the lead when no worker is running.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workers')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the job runner's worker id, host:pid:random
    .addColumn('version', 'text', (c) => c.notNull()) // Guidepost's version the worker runs
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull()) // ISO; renewed every few seconds
    .addColumn('budget', 'text', (c) => c.notNull()) // JSON: [{ org, limits: [...] }] as its API clients last saw
    .addColumn('next_sync_at', 'text') // when its scheduler next enqueues a re-sync; null when off
    .execute();
  await db.schema.createIndex('workers_heartbeat').on('workers').column('heartbeat_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workers').execute();
}
