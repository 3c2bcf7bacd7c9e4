import type { ExtractSchema } from 'hono/types';
import type { overviewRoutes } from '../../../server/routes/overview.routes.ts';
import type { mentoringRoutes } from '../../../server/routes/mentoring.routes.ts';
import type { reviewsRoutes } from '../../../server/routes/reviews.routes.ts';
import type { reviewMatrixRoutes } from '../../../server/routes/review-matrix.routes.ts';
import type { trendsRoutes } from '../../../server/routes/trends.routes.ts';
import type { knowledgeRoutes } from '../../../server/routes/knowledge.routes.ts';
import type { codeownersRoutes } from '../../../server/routes/codeowners.routes.ts';
import type { peopleRoutes } from '../../../server/routes/people.routes.ts';
import type { reposRoutes } from '../../../server/routes/repos.routes.ts';
import type { teamsRoutes } from '../../../server/routes/teams.routes.ts';
import type { settingsRoutes } from '../../../server/routes/settings.routes.ts';
import type { connectionsRoutes } from '../../../server/routes/connections.routes.ts';
import type { syncRoutes } from '../../../server/routes/sync.routes.ts';
import type { demoRoutes } from '../../../server/routes/demo.routes.ts';
import type { formulasRoutes } from '../../../server/routes/formulas.routes.ts';
import type { briefRoutes } from '../../../server/routes/brief.routes.ts';
import type { webhooksRoutes } from '../../../server/routes/webhooks.routes.ts';

// Shapes of the API answers the dashboard reads. Where a route file exports its response type
// the alias below points at it (`import type` only: no server code enters the bundle).


export interface AuthMe {
  user: { username: string; role: string } | null;
  authRequired: boolean;
  setupNeeded: boolean;
  csrfToken?: string;
}

/** The JSON a route file answers with for `method` on `path`, read from its Hono sub-app type. */
type Output<R extends (...args: never[]) => unknown, P extends string, M extends string = '$get'> =
  ExtractSchema<ReturnType<R>> extends { [K in P]: { [N in M]: infer G } } ? (G extends { output: infer O } ? O : never) : never;

export type OverviewResponse = Output<typeof overviewRoutes, '/'>;
/** The overview when it is not suppressed: a whole report without the per-person list. */
export type OverviewReport = Extract<OverviewResponse, { reviews: object }>;
/** One finding: data (kind, severity, subjects, figures, evidence) and its sentence, `text`. */
export type Finding = OverviewReport['findings'][number];
export type FindingKind = Finding['kind'];
/** One working agreement on the overview: target, actual, met / drifting / no data, formula. */
export type Agreement = OverviewReport['agreements'][number];
export type MentoringResponse = Output<typeof mentoringRoutes, '/'>;
export type MentoringEdge = MentoringResponse['edges'][number];
export type Newcomer = MentoringResponse['newcomers'][number];
export type MentoringGap = MentoringResponse['gaps'][number];
export type ReviewsResponse = Output<typeof reviewsRoutes, '/'>;
export type ReviewMatrixResponse = Output<typeof reviewMatrixRoutes, '/'>;
export type TrendsResponse = Output<typeof trendsRoutes, '/'>;
export type TrendWeek = TrendsResponse['weeks'][number];
export type KnowledgeList = Output<typeof knowledgeRoutes, '/'>;
export type KnowledgeRepoSummary = KnowledgeList['repos'][number];
export type KnowledgeDetail = Output<typeof knowledgeRoutes, '/:owner/:repo'>;
export type KnowledgeDirectory = KnowledgeDetail['directories'][number];
export type CodeownersDrift = Output<typeof codeownersRoutes, '/:owner/:repo/codeowners'>;
export type PeopleList = Output<typeof peopleRoutes, '/'>;
export type PersonResponse = Output<typeof peopleRoutes, '/:login'>;
export type ReposList = Output<typeof reposRoutes, '/'>;
export type RepoResponse = Output<typeof reposRoutes, '/:owner/:name'>;
export type TeamsList = Output<typeof teamsRoutes, '/'>;
export type TeamResponse = Output<typeof teamsRoutes, '/:slug'>;
export type SettingsResponse = Output<typeof settingsRoutes, '/'>;
export type SettingsSaved = Output<typeof settingsRoutes, '/', '$put'>;
export type ConnectionsResponse = Output<typeof connectionsRoutes, '/'>;
export type Connection = ConnectionsResponse['connections'][number];
export type SyncStatus = Output<typeof syncRoutes, '/'>;
export type SyncRepo = SyncStatus['repos'][number];
export type DemoStatus = Output<typeof demoRoutes, '/'>;
export type FormulasResponse = Output<typeof formulasRoutes, '/'>;
export type FormulaKey = keyof FormulasResponse['formulas'];
export type BriefResponse = Output<typeof briefRoutes, '/'>;
/** The settings page's webhook section: the URL to paste, whether a secret is set, the last deliveries. */
export type WebhooksResponse = Output<typeof webhooksRoutes, '/deliveries'>;
export type ConnectionSaved = Output<typeof connectionsRoutes, '/', '$post'>;
