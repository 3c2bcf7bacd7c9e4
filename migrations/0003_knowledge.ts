import type { Kysely } from 'kysely';

// Frozen in time: imports nothing of ours. Knowledge from git (DESIGN.md "Knowledge from git"),
// written by jobs/git, read by server/routes/knowledge.routes.ts. Documented in docs/schema.md.
// Author keys are `person:<people.id>` when a commit maps to a GitHub person, else `git:<email>`.

export async function up(db: Kysely<any>): Promise<void> {
  // What the last history update saw at the head of the default branch (trees only, no blobs).
  await db.schema
    .createTable('knowledge_heads')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text', (c) => c.notNull())
    .addColumn('gitattributes', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{dir, text}]
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('knowledge_head_files')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_head_files_pk', ['repo_id', 'path'])
    .execute();

  // One row per analysed repo: the headline figures.
  await db.schema
    .createTable('knowledge_repos')
    .addColumn('repo_id', 'integer', (c) => c.primaryKey().references('repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull()) // the "now" activity is measured back from
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('commits', 'integer', (c) => c.notNull())
    .addColumn('files', 'integer', (c) => c.notNull()) // code files at sha
    .addColumn('excluded_files', 'integer', (c) => c.notNull())
    .addColumn('authors', 'integer', (c) => c.notNull())
    .addColumn('truck_factor', 'integer', (c) => c.notNull())
    .addColumn('truck_factor_without_departed', 'integer', (c) => c.notNull())
    .addColumn('islands', 'integer', (c) => c.notNull())
    .addColumn('orphaned_files', 'integer', (c) => c.notNull())
    .addColumn('orphaned_directories', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('knowledge_authors')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id').onDelete('cascade'))
    .addColumn('author_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('files', 'integer', (c) => c.notNull()) // code files this author authors (DOA)
    .addColumn('last_activity_at', 'text')
    .addColumn('is_departed', 'integer', (c) => c.notNull())
    .addColumn('tf_rank', 'integer') // 1-based position among the truck-factor people, or null
    .addColumn('tf_rank_without_departed', 'integer')
    .addPrimaryKeyConstraint('knowledge_authors_pk', ['repo_id', 'author_key'])
    .execute();

  await db.schema
    .createTable('knowledge_file_authors')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('author_key', 'text', (c) => c.notNull())
    .addColumn('doa', 'real', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_file_authors_pk', ['repo_id', 'path', 'author_key'])
    .execute();
  await db.schema.createIndex('knowledge_file_authors_author').on('knowledge_file_authors').columns(['repo_id', 'author_key']).execute();

  await db.schema
    .createTable('knowledge_directories')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id').onDelete('cascade'))
    .addColumn('directory', 'text', (c) => c.notNull())
    .addColumn('files', 'integer', (c) => c.notNull())
    .addColumn('authors', 'text', (c) => c.notNull()) // JSON [{author, files, share}]
    .addColumn('reviewers', 'text', (c) => c.notNull()) // JSON [author key]
    .addColumn('fragmentation', 'real', (c) => c.notNull())
    .addColumn('sole_owner', 'text')
    .addColumn('is_island', 'integer', (c) => c.notNull())
    .addColumn('is_orphaned', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_directories_pk', ['repo_id', 'directory'])
    .execute();

  await db.schema
    .createTable('knowledge_trend')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM; the point is the end of that month
    .addColumn('files', 'integer', (c) => c.notNull())
    .addColumn('authors', 'integer', (c) => c.notNull())
    .addColumn('truck_factor', 'integer', (c) => c.notNull())
    .addColumn('truck_factor_without_departed', 'integer', (c) => c.notNull())
    .addColumn('islands', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_trend_pk', ['repo_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['knowledge_trend', 'knowledge_directories', 'knowledge_file_authors', 'knowledge_authors', 'knowledge_repos', 'knowledge_head_files', 'knowledge_heads']) {
    await db.schema.dropTable(t).execute();
  }
}
