import type { ExtractSchema } from 'hono/types';
import type { overviewRoutes } from '../../../server/routes/overview.routes.ts';
import type { mentoringRoutes } from '../../../server/routes/mentoring.routes.ts';
import type { reviewsRoutes } from '../../../server/routes/reviews.routes.ts';
import type { trendsRoutes } from '../../../server/routes/trends.routes.ts';

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

/** The JSON a route file's GET / answers with, read from its Hono sub-app type. */
type GetOutput<R extends (...args: never[]) => unknown> = ExtractSchema<ReturnType<R>> extends { '/': { $get: infer G } } ? (G extends { output: infer O } ? O : never) : never;

export type OverviewResponse = GetOutput<typeof overviewRoutes>;
/** The overview when it is not suppressed: a whole report without the per-person list. */
export type OverviewReport = Extract<OverviewResponse, { findings: string[]; reviews: object }>;
export type MentoringResponse = GetOutput<typeof mentoringRoutes>;
export type ReviewsResponse = GetOutput<typeof reviewsRoutes>;
export type TrendsResponse = GetOutput<typeof trendsRoutes>;
export type TrendWeek = TrendsResponse['weeks'][number];

export interface TeamsList {
  teams: { slug: string; name: string; members?: string[] }[];
}
export interface ReposList {
  repos: { owner: string; name: string; fullName: string }[];
}
export interface KnowledgeList {
  repos: KnowledgeRepoSummary[];
}


type ReportT = import('../../../server/report.ts').Report;
export type MentoringEdge = ReportT['mentoring']['edges'][number];
export type Newcomer = ReportT['mentoring']['newcomers'][number];
export type MentoringGap = MentoringResponse['gaps'][number];

export type PersonRow = ReportT['people'][number];

export type DirectoryOwnership = import('../../../jobs/git/ownership.ts').DirectoryOwnership;
export interface KnowledgeRepoSummary {
  owner: string;
  name: string;
  fullName?: string;
  files: number | null;
  authors?: number | null;
  truckFactor: number | null;
  truckFactorWithoutDeparted?: number | null;
  islands?: number;
  orphanedFiles?: number;
  analysedAt?: string | null;
}
export interface KnowledgeDetail {
  owner: string;
  name: string;
  files: number;
  truckFactor: number | null;
  truckFactorWithoutDeparted?: number | null;
  truckFactorAuthors?: { name: string; login: string | null; files: number; departed: boolean }[];
  history?: { at: string; truckFactor: number | null; truckFactorWithoutDeparted?: number | null }[];
  directories: DirectoryOwnership[];
  orphanedFiles?: string[];
  analysedAt?: string | null;
}

export interface CrossTeamMatrix {
  teams: string[];
  /** values[i][j] = reviews by members of teams[i] on pull requests by members of teams[j]. */
  values: number[][];
}
