// Compile-time checks that the route-derived types have the fields the pages read (tsc does
// not look inside .svelte files; this file does, through the same types).
import type {
  OverviewReport, MentoringResponse, ReviewsResponse, TrendWeek, KnowledgeList, KnowledgeDetail,
  PersonResponse, TeamsList, TeamResponse, ReposList, RepoResponse, SettingsResponse, SettingsSaved,
} from './types.ts';
export const _checks = (o: OverviewReport, m: MentoringResponse, r: ReviewsResponse, w: TrendWeek, kl: KnowledgeList, kd: KnowledgeDetail,
  p: PersonResponse, tl: TeamsList, t: TeamResponse, rl: ReposList, rr: RepoResponse, s: SettingsResponse, ss: SettingsSaved) => [
  o.reviews.timeToFirstReviewHours.median, o.findings[0], o.mentoring.newcomersWithoutMentor.length,
  m.edges[0]?.weight, m.gaps[0]?.reason, r.distribution, w.ttfr_median_hours,
  kl.repos[0]?.truckFactor, kl.repos[0]?.repo, kd.directories[0]?.reviewers, kd.trend[0]?.month, kd.islands[0]?.owner, kd.orphanedAreas[0]?.authors,
  p.stats?.reviewsGiven, p.weekly[0]?.reviews_given, p.newcomer?.firstPrAt, tl.teams[0]?.slug, t.members[0], t.reviews?.coverage,
  rl.repos[0]?.name, rr.reviews.coverage, s.menteeLimit, ss.settings.menteeLimit,
];
