import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Signal tables are written only by jobs/derive and read by routes and the report CLI.
// Facts (one row per counted PR / review / person) let any window be aggregated in SQL;
// weekly rollups feed the trend charts; the "current" tables hold the default 90-day window.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signal_pr_facts')
    .addColumn('pr_id', 'integer', (c) => c.primaryKey())
    .addColumn('repo_id', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('clock_start', 'text', (c) => c.notNull()) // first review request, else ready, else created
    .addColumn('clock_source', 'text', (c) => c.notNull()) // 'requested' | 'ready' | 'created'
    .addColumn('first_review_at', 'text')
    .addColumn('merged_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('reviewed_before_merge', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('signal_pr_facts_clock').on('signal_pr_facts').columns(['clock_start']).execute();
  await db.schema.createIndex('signal_pr_facts_created').on('signal_pr_facts').columns(['created_at']).execute();
  await db.schema.createIndex('signal_pr_facts_merged').on('signal_pr_facts').columns(['merged_at']).execute();

  await db.schema
    .createTable('signal_review_facts')
    .addColumn('review_id', 'integer', (c) => c.primaryKey())
    .addColumn('pr_id', 'integer', (c) => c.notNull())
    .addColumn('repo_id', 'integer', (c) => c.notNull())
    .addColumn('reviewer_id', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('is_approval', 'integer', (c) => c.notNull())
    .addColumn('is_substantive', 'integer', (c) => c.notNull())
    .addColumn('is_silent_approval', 'integer', (c) => c.notNull()) // approved, no comment, no body
    .addColumn('is_rubber_stamp', 'integer', (c) => c.notNull()) // silent approval on a large PR
    .addColumn('inline_comments', 'integer', (c) => c.notNull())
    .addColumn('cross_team', 'integer') // 1 no shared team, 0 shared team, null when either has no team
    .execute();
  await db.schema.createIndex('signal_review_facts_time').on('signal_review_facts').columns(['submitted_at']).execute();
  // Few indexes on purpose: every fact row is rewritten by a full recompute.
  await db.schema.createIndex('signal_review_facts_pr').on('signal_review_facts').columns(['pr_id']).execute();

  await db.schema
    .createTable('signal_people')
    .addColumn('person_id', 'integer', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('first_activity_at', 'text')
    .addColumn('last_activity_at', 'text')
    .addColumn('first_pr_at', 'text')
    .addColumn('first_review_received_at', 'text')
    .addColumn('first_review_given_at', 'text')
    .addColumn('first_approval_given_at', 'text')
    .execute();

  await db.schema
    .createTable('signal_teams')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // 'github' | 'settings'
    .execute();
  await db.schema
    .createTable('signal_team_members')
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('signal_team_members_pk', ['slug', 'person_id'])
    .execute();
  await db.schema.createIndex('signal_team_members_person').on('signal_team_members').columns(['person_id']).execute();

  // Weekly rollups (ISO weeks, UTC; week = the Monday's date) per org, team and repo.
  await db.schema
    .createTable('signal_weekly')
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull()) // 'org' | 'team' | 'repo'
    .addColumn('scope_key', 'text', (c) => c.notNull()) // '' | team slug | repo full name
    .addColumn('prs_opened', 'integer', (c) => c.notNull())
    .addColumn('prs_merged', 'integer', (c) => c.notNull())
    .addColumn('merged_without_review', 'integer', (c) => c.notNull())
    .addColumn('coverage', 'real')
    .addColumn('ttfr_median_hours', 'real')
    .addColumn('ttfr_p90_hours', 'real')
    .addColumn('waiting', 'integer', (c) => c.notNull())
    .addColumn('reviews', 'integer', (c) => c.notNull())
    .addColumn('substantive_reviews', 'integer', (c) => c.notNull())
    .addColumn('rubber_stamps', 'integer', (c) => c.notNull())
    .addColumn('approvals', 'integer', (c) => c.notNull())
    .addColumn('active_reviewers', 'integer', (c) => c.notNull())
    .addColumn('gini', 'real')
    .addColumn('sharing_index', 'real')
    .addColumn('cross_team_share', 'real')
    .addPrimaryKeyConstraint('signal_weekly_pk', ['scope', 'scope_key', 'week'])
    .execute();
  await db.schema.createIndex('signal_weekly_week').on('signal_weekly').columns(['week']).execute();

  await db.schema
    .createTable('signal_person_weekly')
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('prs_opened', 'integer', (c) => c.notNull())
    .addColumn('reviews_given', 'integer', (c) => c.notNull())
    .addColumn('reviews_received', 'integer', (c) => c.notNull())
    .addColumn('substantive_given', 'integer', (c) => c.notNull())
    .addColumn('rubber_stamps', 'integer', (c) => c.notNull())
    .addColumn('approvals', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('signal_person_weekly_pk', ['person_id', 'week'])
    .execute();
  await db.schema.createIndex('signal_person_weekly_week').on('signal_person_weekly').columns(['week']).execute();

  // The default window (90 days ending at the last derive), kept ready for the dashboard.
  await db.schema
    .createTable('mentoring_edges')
    .addColumn('mentor_id', 'integer', (c) => c.notNull())
    .addColumn('mentee_id', 'integer', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('substantive_reviews', 'integer', (c) => c.notNull())
    .addColumn('inline_comments', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('tenure_gap_days', 'real', (c) => c.notNull())
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
    .addColumn('kind', 'text', (c) => c.notNull()) // no_mentor | slow_first_review | rubber_stamped | mentor_over_limit
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('contributor_tiers')
    .addColumn('person_id', 'integer', (c) => c.primaryKey())
    .addColumn('tier', 'text', (c) => c.notNull()) // core | regular | casual
    .addColumn('previous_tier', 'text') // same-length window before; null when inactive then
    .addColumn('activity', 'integer', (c) => c.notNull())
    .execute();
  // Incremental derive finds rows created or updated since a bookmark through these.
  await db.schema.createIndex('signal_src_pulls_updated').on('pull_requests').columns(['updated_at']).execute();
  await db.schema.createIndex('signal_src_reviews_submitted').on('reviews').columns(['submitted_at']).execute();
  await db.schema.createIndex('signal_src_review_comments_created').on('review_comments').columns(['created_at']).execute();
  await db.schema.createIndex('signal_src_issue_comments_created').on('issue_comments').columns(['created_at']).execute();
  await db.schema.createIndex('signal_src_review_requests_requested').on('review_requests').columns(['requested_at']).execute();

  // Cached reports for the default window, keyed by team/repo filter; replaced by each derive.
  await db.schema
    .createTable('signal_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of ['signal_src_pulls_updated', 'signal_src_reviews_submitted', 'signal_src_review_comments_created', 'signal_src_issue_comments_created', 'signal_src_review_requests_requested']) {
    await db.schema.dropIndex(i).execute();
  }
  for (const t of ['signal_state', 'contributor_tiers', 'mentoring_gaps', 'newcomers', 'mentoring_edges', 'signal_person_weekly', 'signal_weekly', 'signal_team_members', 'signal_teams', 'signal_people', 'signal_review_facts', 'signal_pr_facts']) {
    await db.schema.dropTable(t).execute();
  }
}
