import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours. Later changes go in new files.
// Domain tables are a public contract (docs/schema.md); timestamps are ISO-8601 UTC text.
// One schema for SQLite and PostgreSQL (there `integer` is bigint, autoIncrement an identity;
// server/db/postgres.ts). Where the engines differ, `pg` says which step runs.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // Raw layer: every API response verbatim, so extraction can be re-run without API calls.
  await db.schema
    .createTable('raw_responses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('source', 'text', (c) => c.notNull()) // 'rest' | 'graphql'
    .addColumn('kind', 'text', (c) => c.notNull()) // what the payload holds, e.g. 'pulls_page'
    .addColumn('scope', 'text', (c) => c.notNull()) // e.g. 'org:acme', 'repo:acme/api'
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('request', 'text') // GraphQL query variables or REST params, JSON
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('etag', 'text')
    // gzip bytes: SQLite stores them in any column, PostgreSQL needs bytea.
    .addColumn('body', pg ? 'bytea' : 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('raw_responses_scope').on('raw_responses').columns(['scope', 'kind', 'id']).execute();

  await db.schema
    .createTable('repos')
    .addColumn('id', 'integer', (c) => c.primaryKey()) // GitHub database id
    .addColumn('node_id', 'text')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull().unique())
    .addColumn('is_private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_branch', 'text')
    .addColumn('clone_url', 'text')
    .addColumn('created_at', 'text')
    .addColumn('pushed_at', 'text')
    .addColumn('raw_id', 'integer')
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('github_id', 'integer', (c) => c.unique())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('is_bot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_ghost', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('raw_id', 'integer')
    .execute();

  await db.schema
    .createTable('person_aliases')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'email' | 'name' | 'login'
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // 'git' | 'github' | 'settings'
    .addPrimaryKeyConstraint('person_aliases_pk', ['kind', 'value'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('github_id', 'integer', (c) => c.unique())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // 'github' | 'settings'
    .addColumn('raw_id', 'integer')
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('raw_id', 'integer')
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('pull_requests')
    .addColumn('id', 'integer', (c) => c.primaryKey()) // GitHub database id
    .addColumn('node_id', 'text')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('head_ref', 'text')
    .addColumn('author_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // 'open' | 'closed' | 'merged'
    .addColumn('is_draft', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('merged_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('merged_by_id', 'integer', (c) => c.references('people.id'))
    .addColumn('merge_commit_sha', 'text') // links a merged PR to its commit on the default branch
    .addColumn('additions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deletions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_files', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('raw_id', 'integer')
    .addUniqueConstraint('pull_requests_repo_number', ['repo_id', 'number'])
    .execute();
  await db.schema.createIndex('pull_requests_author').on('pull_requests').columns(['author_id', 'created_at']).execute();
  await db.schema.createIndex('pull_requests_created').on('pull_requests').columns(['created_at']).execute();

  await db.schema
    .createTable('review_requests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('pull_request_id', 'integer', (c) => c.notNull().references('pull_requests.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'integer', (c) => c.references('people.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('raw_id', 'integer')
    .execute();
  await db.schema.createIndex('review_requests_pr').on('review_requests').columns(['pull_request_id']).execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('pull_request_id', 'integer', (c) => c.notNull().references('pull_requests.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('body_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('raw_id', 'integer')
    .execute();
  await db.schema.createIndex('reviews_pr').on('reviews').columns(['pull_request_id', 'submitted_at']).execute();
  await db.schema.createIndex('reviews_reviewer').on('reviews').columns(['reviewer_id', 'submitted_at']).execute();

  await db.schema
    .createTable('review_comments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('pull_request_id', 'integer', (c) => c.notNull().references('pull_requests.id').onDelete('cascade'))
    .addColumn('review_id', 'integer')
    .addColumn('author_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('path', 'text')
    .addColumn('body_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('raw_id', 'integer')
    .execute();
  await db.schema.createIndex('review_comments_pr').on('review_comments').columns(['pull_request_id', 'created_at']).execute();

  await db.schema
    .createTable('issue_comments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('pull_request_id', 'integer', (c) => c.notNull().references('pull_requests.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('body_length', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('raw_id', 'integer')
    .execute();
  await db.schema.createIndex('issue_comments_pr').on('issue_comments').columns(['pull_request_id', 'created_at']).execute();

  await db.schema
    .createTable('commits')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('repos.id'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('authored_at', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text', (c) => c.notNull())
    .addColumn('parent_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('commits_pk', ['repo_id', 'sha'])
    .execute();

  await db.schema
    .createTable('file_changes')
    .addColumn('repo_id', 'integer', (c) => c.notNull())
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // A | M | D | R
    .addColumn('old_path', 'text')
    // The order changes were stored in (SQLite's implicit rowid), which the knowledge stage replays.
    .$call((t) => (pg ? t.addColumn('rowid', 'bigint', (c) => c.generatedAlwaysAsIdentity()) : t))
    .addForeignKeyConstraint('file_changes_commit', ['repo_id', 'sha'], 'commits', ['repo_id', 'sha'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('file_changes_commit').on('file_changes').columns(['repo_id', 'sha']).execute();
  await db.schema.createIndex('file_changes_path').on('file_changes').columns(['repo_id', 'path']).execute();

  // Bookmarks and progress per scope ('org:acme', 'repo:acme/api', 'git:acme/api').
  await db.schema
    .createTable('sync_state')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('bookmark', 'text')
    .addColumn('cursor', 'text')
    .addColumn('etag', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('idle')) // idle | running | done | failed
    .addColumn('progress', 'text') // JSON: { done, total, ... }
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Jobs are rows (graphile-worker style): a task name, a JSON payload, retries with backoff.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('last_error', 'text')
    .addColumn('locked_at', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_run_at').on('jobs').columns(['run_at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull()) // JSON
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A connected organisation. The secret is encrypted with a key kept outside the database.
  await db.schema
    .createTable('connections')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org', 'text', (c) => c.notNull().unique())
    .addColumn('api_url', 'text', (c) => c.notNull())
    .addColumn('auth_kind', 'text', (c) => c.notNull()) // 'token' | 'app'
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('secret_last4', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text')
    .addColumn('installation_id', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['connections', 'settings', 'jobs', 'sync_state', 'file_changes', 'commits', 'issue_comments', 'review_comments', 'reviews', 'review_requests', 'pull_requests', 'team_members', 'teams', 'person_aliases', 'people', 'repos', 'raw_responses']) {
    await db.schema.dropTable(t).execute();
  }
}
