// Shapes of the API answers the dashboard reads. Where a route file exports its response type
// the alias below points at it (`import type` only: no server code enters the bundle).

export interface Connection {
  id: number | string;
  org: string;
  kind: 'pat' | 'app' | 'demo' | string;
  createdAt?: string;
}
export interface ConnectionsResponse {
  connections: Connection[];
}

export interface SyncError {
  message: string;
  action?: string;
  at?: string;
  scope?: string;
}
export interface SyncStatus {
  state: 'idle' | 'queued' | 'running' | 'failed' | 'done' | string;
  phase?: string;
  progress?: { done: number; total: number; label?: string } | null;
  lastSyncAt?: string | null;
  startedAt?: string | null;
  dataEnd?: string | null;
  budget?: { remaining: number; limit: number; resetAt: string | null } | null;
  errors?: SyncError[];
}

export interface AuthMe {
  user: { username: string; role: string } | null;
  authRequired: boolean;
  setupNeeded: boolean;
  csrfToken?: string;
}

export type { Report as OverviewResponse } from '../../../server/report.ts';

export interface TeamsList {
  teams: { slug: string; name: string }[];
}
export interface ReposList {
  repos: { owner: string; name: string; fullName: string }[];
}
export interface KnowledgeRepo {
  owner: string;
  name: string;
  truckFactor: number | null;
}
export interface KnowledgeList {
  repos: KnowledgeRepo[];
}

export interface TrendWeek {
  week: string;
  prsOpened: number;
  prsMerged: number;
  mergedWithoutReview: number;
  coverage: number | null;
  ttfrMedianHours: number | null;
  ttfrP90Hours: number | null;
  waiting: number;
  reviews: number;
  substantiveReviews: number;
  rubberStamps: number;
  approvals: number;
  activeReviewers: number;
  gini: number | null;
  sharingIndex: number | null;
  crossTeamShare: number | null;
}
export interface TrendsResponse {
  weeks: TrendWeek[];
}

type ReportT = import('../../../server/report.ts').Report;
export type MentoringEdge = ReportT['mentoring']['edges'][number];
export type Newcomer = ReportT['mentoring']['newcomers'][number];
export interface MentoringGap {
  kind: string;
  login: string;
  reason: string;
  suggestedMentors?: string[];
}
export interface MentoringResponse {
  edges: MentoringEdge[];
  newcomers: Newcomer[];
  newcomersWithoutMentor: string[];
  overloadedMentors: string[];
  gaps: MentoringGap[];
  menteeLimit?: number;
}
