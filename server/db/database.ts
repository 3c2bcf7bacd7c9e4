import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { KnowledgeTables } from './knowledge.tables.ts';
import type { SignalTables } from './signals.tables.ts';
import type { AuthTables } from './auth.tables.ts';
import type { IdentityTables } from './identity.tables.ts';
import type { WebhookTables } from './webhook.tables.ts';
import type { DigestTables } from './digest.tables.ts';
import type { WorkerTables } from './worker.tables.ts';

// One Database interface for the whole product. Each later migration that adds tables adds
// their interfaces here (or in a sibling file merged into Database below).

export interface RawResponsesTable {
  id: Generated<number>;
  /** webhook: a delivery GitHub pushed (kind webhook_<event>), not an answer we asked for. */
  source: 'rest' | 'graphql' | 'webhook';
  kind: string;
  scope: string;
  url: string;
  request: string | null;
  status: number;
  etag: string | null;
  /** gzip of the answer's bytes (text in rows stored before bodies were compressed). */
  body: Uint8Array | string;
  fetched_at: string;
}

export interface ReposTable {
  id: number;
  node_id: string | null;
  owner: string;
  name: string;
  full_name: string;
  is_private: Generated<number>;
  is_archived: Generated<number>;
  default_branch: string | null;
  clone_url: string | null;
  created_at: string | null;
  pushed_at: string | null;
  raw_id: number | null;
}

export interface PeopleTable {
  id: Generated<number>;
  github_id: number | null;
  login: string;
  name: string | null;
  is_bot: Generated<number>;
  is_ghost: Generated<number>;
  first_seen_at: string | null;
  last_seen_at: string | null;
  raw_id: number | null;
}

export interface PersonAliasesTable {
  person_id: number;
  kind: 'email' | 'name' | 'login';
  value: string;
  source: 'git' | 'github' | 'settings';
}

export interface TeamsTable {
  id: Generated<number>;
  /** The org the team belongs to (a slug is unique within its org only); '' when unknown. */
  org: Generated<string>;
  github_id: number | null;
  slug: string;
  name: string;
  source: 'github' | 'settings';
  raw_id: number | null;
}

export interface TeamMembersTable {
  team_id: number;
  person_id: number;
  raw_id: number | null;
}

export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequestsTable {
  id: number;
  node_id: string | null;
  repo_id: number;
  number: number;
  title: string;
  head_ref: string | null;
  author_id: number;
  state: PullRequestState;
  is_draft: Generated<number>;
  created_at: string;
  updated_at: string;
  ready_at: string | null;
  merged_at: string | null;
  closed_at: string | null;
  merged_by_id: number | null;
  merge_commit_sha: string | null;
  additions: Generated<number>;
  deletions: Generated<number>;
  changed_files: Generated<number>;
  raw_id: number | null;
}

export interface ReviewRequestsTable {
  id: Generated<number>;
  pull_request_id: number;
  reviewer_id: number | null;
  team_id: number | null;
  requested_at: string;
  raw_id: number | null;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewsTable {
  id: number;
  pull_request_id: number;
  reviewer_id: number;
  state: ReviewState;
  submitted_at: string;
  body_length: Generated<number>;
  comment_count: Generated<number>;
  raw_id: number | null;
}

export interface ReviewCommentsTable {
  id: number;
  pull_request_id: number;
  review_id: number | null;
  author_id: number;
  path: string | null;
  body_length: Generated<number>;
  created_at: string;
  raw_id: number | null;
}

export interface IssueCommentsTable {
  id: number;
  pull_request_id: number;
  author_id: number;
  body_length: Generated<number>;
  created_at: string;
  raw_id: number | null;
}

export interface CommitsTable {
  repo_id: number;
  sha: string;
  author_name: string;
  author_email: string;
  person_id: number | null;
  authored_at: string;
  committed_at: string;
  parent_count: Generated<number>;
}

export interface FileChangesTable {
  repo_id: number;
  sha: string;
  path: string;
  status: 'A' | 'M' | 'D' | 'R';
  old_path: string | null;
}

export interface SyncStateTable {
  scope: string;
  bookmark: string | null;
  cursor: string | null;
  etag: string | null;
  status: Generated<'idle' | 'running' | 'done' | 'failed'>;
  progress: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  task: string;
  payload: Generated<string>;
  key: string | null;
  run_at: string;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  locked_at: string | null;
  locked_by: string | null;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ConnectionsTable {
  id: Generated<number>;
  org: string;
  api_url: string;
  auth_kind: 'token' | 'app';
  secret_ciphertext: string;
  secret_last4: string;
  app_id: string | null;
  installation_id: string | null;
  is_demo: Generated<number>;
  created_at: string;
  updated_at: string;
}


/** Tables made by migration 0001 (raw, domain, jobs, settings, connections). */
export interface CoreTables {
  raw_responses: RawResponsesTable;
  repos: ReposTable;
  people: PeopleTable;
  person_aliases: PersonAliasesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  pull_requests: PullRequestsTable;
  review_requests: ReviewRequestsTable;
  reviews: ReviewsTable;
  review_comments: ReviewCommentsTable;
  issue_comments: IssueCommentsTable;
  commits: CommitsTable;
  file_changes: FileChangesTable;
  sync_state: SyncStateTable;
  jobs: JobsTable;
  settings: SettingsTable;
  connections: ConnectionsTable;
}

/** The whole schema: the core tables plus those each later stage adds in its own file. */
export interface Database extends CoreTables, KnowledgeTables, SignalTables, AuthTables, IdentityTables, WebhookTables, DigestTables, WorkerTables {}

export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type Repo = Selectable<ReposTable>;
export type NewRepo = Insertable<ReposTable>;
export type PullRequest = Selectable<PullRequestsTable>;
export type NewPullRequest = Insertable<PullRequestsTable>;
export type Review = Selectable<ReviewsTable>;
export type NewReview = Insertable<ReviewsTable>;
export type Job = Selectable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
export type Connection = Selectable<ConnectionsTable>;
