import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Declared ownership beside real knowledge: the CODEOWNERS file the history update read at the
// head (raw, as written; path null when the head has none), and the drift report the compute
// step derived from it (JSON), both replaced whole per repository.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_codeowners')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('path', 'text')
    .addColumn('text', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('knowledge_codeowners_drift')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_codeowners_drift').execute();
  await db.schema.dropTable('knowledge_codeowners').execute();
}
