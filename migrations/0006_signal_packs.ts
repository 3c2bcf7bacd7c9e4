import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Week packs: each ISO week's signal facts packed column by column (jobs/derive/packs.ts), so a
// window report reads one row per week instead of one per PR and review. Written with the facts
// by every derive; the derive repacks the fact tables when signal_state has no 'packs' row.
// raw_id indexes: the derive after a sync finds the rows the sync wrote by raw response id.

const RAW_ID_TABLES = ['pull_requests', 'reviews', 'review_comments', 'issue_comments', 'review_requests'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('signal_week_packs')
    .addColumn('week', 'text', (c) => c.primaryKey()) // the Monday, YYYY-MM-DD
    .addColumn('prs', 'integer', (c) => c.notNull()) // PR facts packed (a PR is in up to 3 weeks)
    .addColumn('reviews', 'integer', (c) => c.notNull())
    .addColumn('pr_pack', bytes, (c) => c.notNull())
    .addColumn('review_pack', bytes, (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull()) // new on every write: readers keep decoded packs until it changes
    .execute();
  for (const t of RAW_ID_TABLES) await db.schema.createIndex(`signal_src_${t}_raw`).on(t).columns(['raw_id']).execute();
  // A repository's PRs and their authors (GET /api/people?repo=) without reading every fact.
  await db.schema.createIndex('signal_pr_facts_repo_author').on('signal_pr_facts').columns(['repo_id', 'author_id']).execute();
  // PRs still waiting for a first review (their weeks' figures change as time passes), found
  // from the index alone.
  await db.schema.createIndex('signal_pr_facts_first_review').on('signal_pr_facts').columns(['first_review_at', 'merged_at', 'closed_at', 'clock_start']).execute();
  // Open PRs (pending review requests) without reading every pull request.
  await db.schema.createIndex('signal_src_pull_requests_state').on('pull_requests').columns(['state']).execute();
  // A person's review requests (pending requests on their page).
  await db.schema.createIndex('signal_src_review_requests_reviewer').on('review_requests').columns(['reviewer_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signal_src_review_requests_reviewer').execute();
  await db.schema.dropIndex('signal_src_pull_requests_state').execute();
  await db.schema.dropIndex('signal_pr_facts_first_review').execute();
  await db.schema.dropIndex('signal_pr_facts_repo_author').execute();
  for (const t of RAW_ID_TABLES) await db.schema.dropIndex(`signal_src_${t}_raw`).execute();
  await db.schema.dropTable('signal_week_packs').execute();
}
