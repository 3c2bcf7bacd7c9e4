import { hours, listOf, num, pct, plural } from './format.ts';

// Findings are data until the last moment: what kind of thing was found, how urgent, about
// whom, the numbers, and the evidence behind it. renderFinding is the one place a finding
// becomes a sentence; the dashboard links from `kind`, never from the words.

export type FindingKind =
  | 'newcomers_without_mentor'
  | 'slow_first_review'
  | 'mentor_over_limit'
  | 'review_load_piles_up'
  | 'rubber_stamps'
  | 'merged_without_review'
  | 'time_to_first_review'
  | 'load_concentrated'
  | 'all_clear';

/** attention: act this week; watch: keep an eye on it; good: going well. */
export type Severity = 'attention' | 'watch' | 'good';

export interface FindingSubject {
  type: 'person' | 'team' | 'repo' | 'org';
  id: string;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  subjects: FindingSubject[];
  figures: Record<string, number | null>;
  /** What the finding rests on, one item per subject or fact, in words. */
  evidence: { subject: string; detail: string }[];
  /** renderFinding(this), so that every client shows the same sentence. */
  text: string;
}

export type FindingData = Omit<Finding, 'text'>;

/** The input findings are made from: the report's numbers, before any sentence. */
export interface FindingInput {
  group: string;
  rubberStampLines: number;
  newcomers: { login: string; mentors: string[]; gaps: { kind: string; reason: string }[] }[];
  gaps: { kind: string; login: string; reason: string; figures: Record<string, number | undefined> }[];
  reviews: {
    merged: number;
    mergedWithoutReview: number;
    reviews: number;
    activeReviewers: number;
    waiting: number;
    gini: number | null;
    timeToFirstReviewHours: { median: number | null; p90: number | null };
    loadCarriers: string[];
    rubberStampers: string[];
  };
}

const person = (login: string): FindingSubject => ({ type: 'person', id: login });

/** The handful of findings a leader should act on, most urgent first. */
export function findingsOf(r: FindingInput): Finding[] {
  const out: FindingData[] = [];
  const lonely = r.newcomers.filter((n) => n.mentors.length === 0);
  if (lonely.length) {
    out.push({
      kind: 'newcomers_without_mentor',
      severity: 'attention',
      subjects: lonely.map((n) => person(n.login)),
      figures: { newcomersWithoutMentor: lonely.length, newcomers: r.newcomers.length },
      evidence: lonely.map((n) => ({ subject: n.login, detail: n.gaps.find((g) => g.kind === 'no_mentor')?.reason ?? 'no mentor' })),
    });
  }
  const slow = r.gaps.filter((g) => g.kind === 'slow_first_review');
  if (slow.length) {
    out.push({
      kind: 'slow_first_review',
      severity: 'attention',
      subjects: slow.map((g) => person(g.login)),
      figures: { newcomers: slow.length, groupP75Hours: slow[0]!.figures.groupP75Hours ?? null },
      // The group's p75 is said once, in the sentence; each newcomer's own wait beside their name.
      evidence: slow.map((g) => ({ subject: g.login, detail: `median ${hours(g.figures.medianHours)} over ${plural(g.figures.prs ?? 0, 'PR')}${g.figures.stillWaiting ? `, ${g.figures.stillWaiting} still waiting` : ''}` })),
    });
  }
  for (const m of r.gaps.filter((g) => g.kind === 'mentor_over_limit')) {
    out.push({ kind: 'mentor_over_limit', severity: 'attention', subjects: [person(m.login)], figures: { mentees: m.figures.mentees ?? 0, limit: m.figures.limit ?? 0 }, evidence: [{ subject: m.login, detail: m.reason }] });
  }
  const rv = r.reviews;
  if (rv.loadCarriers.length) {
    const mean = rv.activeReviewers ? rv.reviews / rv.activeReviewers : 0;
    out.push({ kind: 'review_load_piles_up', severity: 'attention', subjects: rv.loadCarriers.map(person), figures: { meanReviews: mean, activeReviewers: rv.activeReviewers, reviews: rv.reviews }, evidence: [] });
  }
  if (rv.rubberStampers.length) {
    out.push({ kind: 'rubber_stamps', severity: 'watch', subjects: rv.rubberStampers.map(person), figures: { lines: r.rubberStampLines }, evidence: [] });
  }
  if (rv.merged && rv.mergedWithoutReview) {
    out.push({ kind: 'merged_without_review', severity: 'watch', subjects: [], figures: { mergedWithoutReview: rv.mergedWithoutReview, merged: rv.merged, share: rv.mergedWithoutReview / rv.merged }, evidence: [] });
  }
  const t = rv.timeToFirstReviewHours;
  if (t.median !== null && t.p90 !== null) {
    // A day is what a reviewer in another time zone can reasonably take.
    out.push({ kind: 'time_to_first_review', severity: t.median <= 24 ? 'good' : 'watch', subjects: [], figures: { medianHours: t.median, p90Hours: t.p90, waiting: rv.waiting }, evidence: [] });
  }
  if (rv.gini !== null && rv.gini > 0.5 && !rv.loadCarriers.length) {
    out.push({ kind: 'load_concentrated', severity: 'watch', subjects: [], figures: { gini: rv.gini }, evidence: [] });
  }
  if (!out.some((f) => f.severity !== 'good')) out.unshift({ kind: 'all_clear', severity: 'good', subjects: [], figures: {}, evidence: [] });
  return out.map((f) => ({ ...f, text: renderFinding(f, r.group) }));
}

const n = (f: FindingData, k: string) => f.figures[k] ?? 0;
const logins = (f: FindingData, max = 5) => listOf(f.subjects.map((s) => s.id), max);

/** The sentence for a finding, as the dashboard and `guidepost report` show it. */
export function renderFinding(f: FindingData, group: string): string {
  switch (f.kind) {
    case 'newcomers_without_mentor':
      return `${n(f, 'newcomersWithoutMentor')} of ${plural(n(f, 'newcomers'), 'newcomer')} ${n(f, 'newcomersWithoutMentor') === 1 ? 'has' : 'have'} no mentor: ${listOf(f.evidence.map((e) => `${e.subject} (${e.detail})`), 5)}. Pair each with someone experienced who reviews their next PRs in depth.`;
    case 'slow_first_review':
      return `${plural(n(f, 'newcomers'), 'newcomer')} ${n(f, 'newcomers') === 1 ? 'waits' : 'wait'} longer for a first review than 3 in 4 PRs of ${group} do (${hours(f.figures.groupP75Hours)}): ${listOf(f.evidence.map((e) => `${e.subject} (${e.detail})`), 3)}.`;
    case 'mentor_over_limit':
      return `${f.subjects[0]?.id ?? 'A mentor'} mentors ${plural(n(f, 'mentees'), 'person', 'people')} in this period, over the limit of ${n(f, 'limit')}; spread mentoring to others before they burn out.`;
    case 'review_load_piles_up':
      return `Review work piles up on ${logins(f)}: each gave at least 3× the average of ${num(n(f, 'meanReviews'))} reviews per active reviewer.`;
    case 'rubber_stamps':
      return `${logins(f)} approved PRs over ${n(f, 'lines')} changed lines without a single comment, for at least half of their approvals.`;
    case 'merged_without_review':
      return `${n(f, 'mergedWithoutReview')} of ${plural(n(f, 'merged'), 'merged PR')} (${pct(f.figures.share)}) ${n(f, 'mergedWithoutReview') === 1 ? 'was' : 'were'} merged without a review.`;
    case 'time_to_first_review': {
      const w = n(f, 'waiting');
      return `A PR waits a median of ${hours(f.figures.medianHours)} for its first review (p90 ${hours(f.figures.p90Hours)})${w ? `; ${plural(w, 'PR')} ${w === 1 ? 'is' : 'are'} still waiting` : ''}.`;
    }
    case 'load_concentrated':
      return `Review load is concentrated (Gini ${num(f.figures.gini, 2)}): a few people give most reviews.`;
    case 'all_clear':
      return 'Nothing needs your attention in this period: no newcomer without a mentor, no overloaded reviewer, no unreviewed merges.';
  }
}
