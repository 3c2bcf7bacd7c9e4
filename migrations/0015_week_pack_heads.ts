import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Every report first asks which weeks have packs and at what generation (server/signals/
// packs.read.ts). In SQLite the generation column comes after the two pack blobs, so reading it
// from the table walks each row's overflow pages: a year of a large org's packs, megabytes, for
// a few numbers. The index answers that question alone.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('signal_week_packs_heads').on('signal_week_packs').columns(['week', 'generation']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signal_week_packs_heads').execute();
}
