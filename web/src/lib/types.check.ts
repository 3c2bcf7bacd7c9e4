// Compile-time checks that the route-derived types have the fields the pages read (tsc does
// not look inside .svelte files; this file does, through the same types).
import type {
  OverviewReport, MentoringResponse, ReviewsResponse, TrendWeek, KnowledgeList, KnowledgeDetail,
  PersonResponse, TeamsList, TeamResponse, ReposList, RepoResponse, SettingsResponse, SettingsSaved,
  FormulasResponse, BriefResponse, Finding,
} from './types.ts';
import type { WebhooksResponse } from './types.ts';
import type { FormulaKey as ServerFormulaKey } from '../../../server/signals/formulas.ts';
import type { FindingKind as ServerFindingKind } from '../../../server/signals/findings.ts';

export const _checks = (o: OverviewReport, m: MentoringResponse, r: ReviewsResponse, w: TrendWeek, kl: KnowledgeList, kd: KnowledgeDetail,
  p: PersonResponse, tl: TeamsList, t: TeamResponse, rl: ReposList, rr: RepoResponse, s: SettingsResponse, ss: SettingsSaved,
  fm: FormulasResponse, b: BriefResponse, f: Finding) => [
  o.reviews.timeToFirstReviewHours.median, o.findings[0]?.text, o.mentoring.newcomersWithoutMentor.length, o.group, o.teamName, o.asOf,
  o.reviews.crossTeam.share, o.reviews.pendingRequests, f.kind, f.severity, f.text, o.agreements[0]?.status, o.agreements[0]?.formula, o.reviews.prSizeP75Lines,
  m.edges[0]?.weight, m.edges[0]?.tenureGapDays, m.gaps[0]?.reason, m.gaps[0]?.figures, r.distribution, r.reviews?.crossTeam.of, r.pendingRequests, w.ttfr_median_hours,
  kl.repos[0]?.truckFactor, kl.repos[0]?.repo, kd.directories[0]?.reviewers, kd.trend[0]?.month, kd.islands[0]?.owner, kd.orphanedAreas[0]?.authors,
  p.stats?.reviewsGiven, p.weekly[0]?.reviews_given, p.newcomer?.firstPrAt, tl.teams[0]?.slug, t.members[0], t.reviews?.coverage, t.slug, t.name,
  rl.repos[0]?.name, rr.reviews.coverage, rr.findings[0]?.text, rr.teamName, s.menteeLimit, s.briefNames, s.agreements.timeToFirstReview?.percentile, ss.settings.menteeLimit,
  fm.formulas.ttfr, b.goingWell[0], b.needsGuidance[0], b.changes[0]?.direction, b.footer, b.previousFrom, b.group, b.suppressed,
];

// The dashboard's keys are the server's: a formula or finding kind added there is known here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const _sameFormulaKeys: Same<keyof FormulasResponse['formulas'], ServerFormulaKey> = true;
export const _sameFindingKinds: Same<Finding['kind'], ServerFindingKind> = true;

// The settings page's webhook section (WebhookSettings.svelte).
export const _webhookChecks = (wh: WebhooksResponse) => [
  wh.url, wh.secretConfigured, wh.events[0], wh.deliveries[0]?.deliveryId, wh.deliveries[0]?.receivedAt, wh.deliveries[0]?.event,
  wh.deliveries[0]?.action, wh.deliveries[0]?.repo, wh.deliveries[0]?.org, wh.deliveries[0]?.outcome, wh.deliveries[0]?.error,
];
