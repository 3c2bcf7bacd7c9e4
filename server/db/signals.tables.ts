// Tables added by the signals stage (migrations/0004_signals.ts, 0006_signal_packs.ts). Merged into Database in database.ts.
// Written only by jobs/derive; read by routes and the report CLI.

export interface SignalPrFactsTable {
  pr_id: number;
  repo_id: number;
  author_id: number;
  created_at: string;
  clock_start: string;
  clock_source: 'requested' | 'ready' | 'created';
  first_review_at: string | null;
  merged_at: string | null;
  closed_at: string | null;
  reviewed_before_merge: number;
  size: number;
}

export interface SignalReviewFactsTable {
  review_id: number;
  pr_id: number;
  repo_id: number;
  reviewer_id: number;
  author_id: number;
  submitted_at: string;
  state: string;
  is_approval: number;
  is_substantive: number;
  is_silent_approval: number;
  is_rubber_stamp: number;
  inline_comments: number;
  cross_team: number | null;
}

export interface SignalPeopleTable {
  person_id: number;
  login: string;
  first_activity_at: string | null;
  last_activity_at: string | null;
  first_pr_at: string | null;
  first_review_received_at: string | null;
  first_review_given_at: string | null;
  first_approval_given_at: string | null;
}

export interface SignalTeamsTable {
  slug: string;
  name: string;
  source: 'github' | 'settings';
}

export interface SignalTeamMembersTable {
  slug: string;
  person_id: number;
}

export interface SignalWeeklyTable {
  week: string;
  scope: 'org' | 'team' | 'repo';
  scope_key: string;
  prs_opened: number;
  prs_merged: number;
  merged_without_review: number;
  coverage: number | null;
  ttfr_median_hours: number | null;
  ttfr_p90_hours: number | null;
  waiting: number;
  reviews: number;
  substantive_reviews: number;
  rubber_stamps: number;
  approvals: number;
  active_reviewers: number;
  gini: number | null;
  sharing_index: number | null;
  cross_team_share: number | null;
}

export interface SignalPersonWeeklyTable {
  week: string;
  person_id: number;
  prs_opened: number;
  reviews_given: number;
  reviews_received: number;
  substantive_given: number;
  rubber_stamps: number;
  approvals: number;
}

export interface MentoringEdgesTable {
  mentor_id: number;
  mentee_id: number;
  weight: number;
  substantive_reviews: number;
  inline_comments: number;
  first_at: string;
  last_at: string;
  tenure_gap_days: number;
}

/** Each week's facts packed column by column (migrations/0006_signal_packs.ts, jobs/derive/packs.ts). */
export interface SignalWeekPacksTable {
  week: string;
  prs: number;
  reviews: number;
  pr_pack: Uint8Array;
  review_pack: Uint8Array;
  generation: number;
}

/** Reports made ahead by the derive job (jobs/derive/reports.prepare.ts), by cache key. */
export interface SignalReportsTable {
  key: string;
  run: string;
  body: Uint8Array;
}

export interface SignalStateTable {
  key: string;
  value: string;
}

export interface SignalTables {
  signal_pr_facts: SignalPrFactsTable;
  signal_review_facts: SignalReviewFactsTable;
  signal_people: SignalPeopleTable;
  signal_teams: SignalTeamsTable;
  signal_team_members: SignalTeamMembersTable;
  signal_weekly: SignalWeeklyTable;
  signal_person_weekly: SignalPersonWeeklyTable;
  signal_state: SignalStateTable;
  signal_week_packs: SignalWeekPacksTable;
  signal_reports: SignalReportsTable;
}
