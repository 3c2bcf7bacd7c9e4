// Compile-time checks that the route-derived types have the fields the pages read.
import type { OverviewReport, MentoringResponse, ReviewsResponse, TrendWeek } from './types.ts';
export const _checks = (o: OverviewReport, m: MentoringResponse, r: ReviewsResponse, w: TrendWeek) => [
  o.reviews.timeToFirstReviewHours.median, o.findings[0], o.mentoring.newcomersWithoutMentor.length,
  m.edges[0]?.weight, m.gaps[0]?.reason, r.distribution, w.ttfr_median_hours,
];
