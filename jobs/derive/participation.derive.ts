import type { SignalPrFactsTable, SignalReviewFactsTable } from '../../server/db/signals.tables.ts';
import { gini, hoursBetween, quantile, sharingIndex } from './gini.ts';
import { isSubmitted, type PrRow, type ReviewCommentRow, type ReviewRow } from './review-clock.derive.ts';

// Review participation: one fact row per counted review, and the summary of any window
// (the weekly rollups and the report use the same summarise()).

/** Substantive review (DESIGN.md): changes requested, or at least one inline comment or a body. */
export function isSubstantive(state: string, inlineComments: number, bodyLength: number): boolean {
  return state === 'CHANGES_REQUESTED' || inlineComments > 0 || bodyLength > 0;
}

/** Rubber stamp (DESIGN.md): an approval with no comments and no body on a PR over N changed lines. */
export function isRubberStamp(state: string, inlineComments: number, bodyLength: number, prSize: number, rubberStampLines: number): boolean {
  return state === 'APPROVED' && inlineComments === 0 && bodyLength === 0 && prSize > rubberStampLines;
}

export function deriveReviewFacts(
  reviews: readonly ReviewRow[],
  prsById: ReadonlyMap<number, PrRow>,
  inlineByReview: ReadonlyMap<number, number>,
  teamsOf: ReadonlyMap<number, ReadonlySet<string>>,
  counted: ReadonlySet<number>,
  rubberStampLines: number,
): SignalReviewFactsTable[] {
  const out: SignalReviewFactsTable[] = [];
  for (const r of reviews) {
    const pr = prsById.get(r.pull_request_id);
    // Reviews by the author (replies to comments show up as reviews) are not reviews given.
    if (!pr || !isSubmitted(r) || r.reviewer_id === pr.author_id) continue;
    if (!counted.has(r.reviewer_id) || !counted.has(pr.author_id)) continue;
    const inline = Math.max(r.comment_count, inlineByReview.get(r.id) ?? 0);
    const silent = r.state === 'APPROVED' && inline === 0 && r.body_length === 0;
    out.push({
      review_id: r.id,
      pr_id: pr.id,
      repo_id: pr.repo_id,
      reviewer_id: r.reviewer_id,
      author_id: pr.author_id,
      submitted_at: r.submitted_at,
      state: r.state,
      is_approval: r.state === 'APPROVED' ? 1 : 0,
      is_substantive: isSubstantive(r.state, inline, r.body_length) ? 1 : 0,
      is_silent_approval: silent ? 1 : 0,
      is_rubber_stamp: isRubberStamp(r.state, inline, r.body_length, pr.additions + pr.deletions, rubberStampLines) ? 1 : 0,
      inline_comments: inline,
      cross_team: crossTeam(teamsOf.get(r.reviewer_id), teamsOf.get(pr.author_id)),
    });
  }
  return out;
}

function crossTeam(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): number | null {
  if (!a?.size || !b?.size) return null;
  for (const t of a) if (b.has(t)) return 0;
  return 1;
}

export function inlineCountsByReview(comments: readonly ReviewCommentRow[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of comments) if (c.review_id !== null) m.set(c.review_id, (m.get(c.review_id) ?? 0) + 1);
  return m;
}

export type PrFact = Pick<SignalPrFactsTable, 'pr_id' | 'author_id' | 'created_at' | 'clock_start' | 'first_review_at' | 'merged_at' | 'closed_at' | 'reviewed_before_merge'>;
export type ReviewFact = Pick<SignalReviewFactsTable, 'reviewer_id' | 'author_id' | 'submitted_at' | 'is_approval' | 'is_substantive' | 'is_rubber_stamp' | 'cross_team'>;

export interface Summary {
  prs: number;
  merged: number;
  mergedWithoutReview: number;
  /** Merged PRs with a non-author review before merge ÷ merged PRs (null when none merged). */
  coverage: number | null;
  ttfrMedianHours: number | null;
  ttfrP90Hours: number | null;
  ttfrP75Hours: number | null;
  /** PRs whose clock started in the window and still had no review at asOf. */
  waiting: number;
  reviews: number;
  substantiveReviews: number;
  rubberStamps: number;
  approvals: number;
  activeReviewers: number;
  availableReviewers: number;
  gini: number | null;
  sharingIndex: number | null;
  crossTeamShare: number | null;
}

/**
 * Time to first review of one PR as seen at asOf: hours to the first review, or — for a PR
 * still waiting — hours waited so far (waiting PRs count as waiting, not as missing). Null
 * for a PR closed without any review before asOf (it no longer waits for anyone).
 */
export function ttfrAt(pr: PrFact, asOf: string): { hours: number; waiting: boolean } | null {
  if (pr.first_review_at !== null && pr.first_review_at <= asOf) return { hours: Math.max(0, hoursBetween(pr.clock_start, pr.first_review_at)), waiting: false };
  const closed = pr.merged_at ?? pr.closed_at;
  if (closed !== null && closed <= asOf) return null;
  return { hours: Math.max(0, hoursBetween(pr.clock_start, asOf)), waiting: true };
}

/** Per-reviewer totals of the reviews in a window; SQL or JS can produce them. */
export interface ReviewerAggregate {
  reviews: number;
  substantive: number;
  rubberStamps: number;
  approvals: number;
  crossKnown: number;
  cross: number;
}

export interface ReviewAggregates {
  byReviewer: Map<number, ReviewerAggregate>;
  /** Reviews received per PR author. */
  receivedByAuthor: Map<number, number>;
}

export function aggregateReviews(reviews: readonly ReviewFact[], from: string, to: string): ReviewAggregates {
  const byReviewer = new Map<number, ReviewerAggregate>();
  const receivedByAuthor = new Map<number, number>();
  for (const r of reviews) {
    if (r.submitted_at < from || r.submitted_at >= to) continue;
    let a = byReviewer.get(r.reviewer_id);
    if (!a) byReviewer.set(r.reviewer_id, (a = { reviews: 0, substantive: 0, rubberStamps: 0, approvals: 0, crossKnown: 0, cross: 0 }));
    a.reviews++;
    a.substantive += r.is_substantive;
    a.rubberStamps += r.is_rubber_stamp;
    a.approvals += r.is_approval;
    if (r.cross_team !== null) {
      a.crossKnown++;
      a.cross += r.cross_team;
    }
    receivedByAuthor.set(r.author_id, (receivedByAuthor.get(r.author_id) ?? 0) + 1);
  }
  return { byReviewer, receivedByAuthor };
}

/**
 * Summary of a window [from, to): PRs by creation, merges by merge time, review clocks by clock
 * start (seen at asOf), reviews by submission. `prs` may hold facts outside the window.
 */
export function summarise(
  prs: readonly PrFact[],
  reviews: readonly ReviewFact[],
  from: string,
  to: string,
  asOf: string,
  /** Precomputed ttfrAt(pr, asOf) per PR, when the caller summarises the same PRs many times. */
  ttfr?: ReadonlyMap<PrFact, ReturnType<typeof ttfrAt>>,
): Summary {
  return summaryFrom(prs, aggregateReviews(reviews, from, to), from, to, asOf, ttfr);
}

/** The same summary from review totals already aggregated (the window report gets them from SQL). */
export function summaryFrom(
  prs: readonly PrFact[],
  agg: ReviewAggregates,
  from: string,
  to: string,
  asOf: string,
  ttfr?: ReadonlyMap<PrFact, ReturnType<typeof ttfrAt>>,
): Summary {
  let opened = 0;
  let merged = 0;
  let unreviewed = 0;
  let waiting = 0;
  const hours: number[] = [];
  const authors = new Map<number, number>();
  const available = new Set<number>();
  for (const pr of prs) {
    if (pr.created_at >= from && pr.created_at < to) {
      opened++;
      authors.set(pr.author_id, 0);
      available.add(pr.author_id);
    }
    if (pr.merged_at !== null && pr.merged_at >= from && pr.merged_at < to) {
      merged++;
      if (!pr.reviewed_before_merge) unreviewed++;
    }
    if (pr.clock_start >= from && pr.clock_start < to) {
      const t = ttfr ? (ttfr.get(pr) ?? null) : ttfrAt(pr, asOf);
      if (t) {
        hours.push(t.hours);
        if (t.waiting) waiting++;
      }
    }
  }
  hours.sort((a, b) => a - b);
  for (const [author, n] of agg.receivedByAuthor) {
    authors.set(author, n);
    available.add(author);
  }
  let reviewCount = 0;
  let substantive = 0;
  let stamps = 0;
  let approvals = 0;
  let crossKnown = 0;
  let cross = 0;
  const given: number[] = [];
  for (const [reviewer, a] of agg.byReviewer) {
    available.add(reviewer);
    given.push(a.reviews);
    reviewCount += a.reviews;
    substantive += a.substantive;
    stamps += a.rubberStamps;
    approvals += a.approvals;
    crossKnown += a.crossKnown;
    cross += a.cross;
  }
  return {
    prs: opened,
    merged,
    mergedWithoutReview: unreviewed,
    coverage: merged ? (merged - unreviewed) / merged : null,
    ttfrMedianHours: quantile(hours, 0.5),
    ttfrP90Hours: quantile(hours, 0.9),
    ttfrP75Hours: quantile(hours, 0.75),
    waiting,
    reviews: reviewCount,
    substantiveReviews: substantive,
    rubberStamps: stamps,
    approvals,
    activeReviewers: given.length,
    availableReviewers: available.size,
    gini: gini(given),
    sharingIndex: sharingIndex([...authors.values()], given.length, available.size),
    crossTeamShare: crossKnown ? cross / crossKnown : null,
  };
}

/** Reviewers whose reviews given are ≥ factor × the mean over active reviewers (shared defs). */
export function loadCarriers(givenByReviewer: ReadonlyMap<number, number>, factor = 3): number[] {
  if (givenByReviewer.size === 0) return [];
  const mean = [...givenByReviewer.values()].reduce((a, b) => a + b, 0) / givenByReviewer.size;
  return [...givenByReviewer].filter(([, n]) => n >= factor * mean).map(([id]) => id);
}

/** ≥ 3 rubber stamps making up ≥ 50% of their approvals in the window (shared defs). */
export function rubberStampers(stats: ReadonlyMap<number, { approvals: number; rubberStamps: number }>): number[] {
  return [...stats].filter(([, s]) => s.rubberStamps >= 3 && s.rubberStamps >= 0.5 * s.approvals).map(([id]) => id);
}
