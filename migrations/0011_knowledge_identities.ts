import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// What the knowledge stage keeps of identities between its steps: the `.mailmap` the history
// update read at the head, and the merged identities of the last compute (for the knowledge
// page). Rows of a repository go with it. They were kept in sync_state rows before; those move.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_mailmaps')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull()) // the head the .mailmap was read at
    .addColumn('mailmap', 'text') // its text; null when that revision has none
    .execute();
  await db.schema
    .createTable('knowledge_identities')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('merged', 'text', (c) => c.notNull()) // JSON: the merged identities, each with its members and the merges that made it
    .execute();
  const mailmapText = db.getExecutor().adapter instanceof PostgresAdapter ? sql`cast(progress as json) ->> 'text'` : sql`json_extract(progress, '$.text')`;
  const moved = (prefix: string) => sql`cast(substr(scope, ${prefix.length + 1}) as integer)`;
  await sql`insert into knowledge_mailmaps (repo_id, sha, mailmap)
    select ${moved('knowledge-mailmap:')}, coalesce(bookmark, ''), ${mailmapText} from sync_state
    where scope like 'knowledge-mailmap:%' and ${moved('knowledge-mailmap:')} in (select id from repos)`.execute(db);
  await sql`insert into knowledge_identities (repo_id, sha, merged)
    select ${moved('knowledge-identities:')}, coalesce(bookmark, ''), progress from sync_state
    where scope like 'knowledge-identities:%' and progress is not null and ${moved('knowledge-identities:')} in (select id from repos)`.execute(db);
  await sql`delete from sync_state where scope like 'knowledge-mailmap:%' or scope like 'knowledge-identities:%'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_identities').execute();
  await db.schema.dropTable('knowledge_mailmaps').execute();
}
