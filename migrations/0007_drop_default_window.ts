import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// The default window's stored results (mentoring_edges, newcomers, mentoring_gaps,
// contributor_tiers) go: every window, the default one too, is computed by the read model from
// the week packs, so these tables held a second, older answer that disagreed with the screens.

const TABLES = ['mentoring_edges', 'newcomers', 'mentoring_gaps', 'contributor_tiers'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await db.schema.dropTable(t).ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mentoring_edges')
    .addColumn('mentor_id', 'integer', (c) => c.notNull())
    .addColumn('mentee_id', 'integer', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('substantive_reviews', 'integer', (c) => c.notNull())
    .addColumn('inline_comments', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('tenure_gap_days', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mentoring_edges_pk', ['mentor_id', 'mentee_id'])
    .execute();
  await db.schema
    .createTable('newcomers')
    .addColumn('person_id', 'integer', (c) => c.primaryKey())
    .addColumn('first_pr_at', 'text', (c) => c.notNull())
    .addColumn('first_review_received_at', 'text')
    .addColumn('distinct_reviewers_90d', 'integer', (c) => c.notNull())
    .addColumn('first_review_given_at', 'text')
    .addColumn('first_approval_given_at', 'text')
    .addColumn('mentor_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mentoring_gaps')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('contributor_tiers')
    .addColumn('person_id', 'integer', (c) => c.primaryKey())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('previous_tier', 'text')
    .addColumn('activity', 'integer', (c) => c.notNull())
    .execute();
}
