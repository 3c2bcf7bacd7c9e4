import type { SignalReviewFactsTable } from '../db/signals.tables.ts';
import { gini, quantiles, sharingIndex } from './gini.ts';
import { isSubmitted, type PrRow, type ReviewCommentRow, type ReviewRow } from './review-clock.ts';

// Review participation: one fact row per counted review, and the summary of any window from
// its PR and review totals (the weekly rollups and window reports both end in summaryOf()).

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
  /** Reviews where reviewer and author share no team, of `teamReviews` where both are in a team. */
  crossTeamReviews: number;
  teamReviews: number;
  crossTeamShare: number | null;
}

const HOUR = 3_600_000;

/**
 * Time to first review of one PR as seen at asOf (epoch ms; NaN = never): hours to the first
 * review, or — for a PR still waiting — hours waited so far (waiting PRs count as waiting, not
 * as missing). Null for a PR closed without any review before asOf (it waits for no one).
 * `closed` is when it was merged, else closed.
 */
export function ttfrMs(clockStart: number, firstReview: number, closed: number, asOf: number): { hours: number; waiting: boolean } | null {
  const stop = clockStop(firstReview, closed, asOf);
  return Number.isNaN(stop) ? null : { hours: Math.max(0, (stop - clockStart) / HOUR), waiting: stop !== firstReview };
}

/** ttfrMs added to PR totals without making an object per PR (scans add many). */
export function addTtfrMs(t: PrTotals, clockStart: number, firstReview: number, closed: number, asOf: number): void {
  const stop = clockStop(firstReview, closed, asOf);
  if (Number.isNaN(stop)) return;
  t.hours.push(Math.max(0, (stop - clockStart) / HOUR));
  if (stop !== firstReview) t.waiting++;
}

/** Where the review clock stops as seen at asOf: the first review, else asOf while still waiting, else NaN (closed unreviewed). */
function clockStop(firstReview: number, closed: number, asOf: number): number {
  if (firstReview <= asOf) return firstReview;
  if (closed <= asOf) return NaN;
  return asOf;
}


/** Per-reviewer totals of the reviews in a window. */
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

/** The PR side of a window summary: PRs opened (and by whom), merged, review clocks. */
export interface PrTotals {
  prs: number;
  openers: Set<number>;
  merged: number;
  mergedWithoutReview: number;
  /** Time to first review of each PR whose clock started in the window (any order). */
  hours: number[];
  waiting: number;
}

export function emptyPrTotals(): PrTotals {
  return { prs: 0, openers: new Set(), merged: 0, mergedWithoutReview: 0, hours: [], waiting: 0 };
}

/** The summary of a window from its PR totals and review totals, however they were counted. */
export function summaryOf(t: PrTotals, agg: ReviewAggregates): Summary {
  const [median = null, p75 = null, p90 = null] = quantiles(t.hours, [0.5, 0.75, 0.9]);
  const authors = new Map<number, number>();
  const available = new Set<number>();
  for (const author of t.openers) {
    authors.set(author, 0);
    available.add(author);
  }
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
    prs: t.prs,
    merged: t.merged,
    mergedWithoutReview: t.mergedWithoutReview,
    coverage: t.merged ? (t.merged - t.mergedWithoutReview) / t.merged : null,
    ttfrMedianHours: median,
    ttfrP90Hours: p90,
    ttfrP75Hours: p75,
    waiting: t.waiting,
    reviews: reviewCount,
    substantiveReviews: substantive,
    rubberStamps: stamps,
    approvals,
    activeReviewers: given.length,
    availableReviewers: available.size,
    gini: gini(given),
    sharingIndex: sharingIndex([...authors.values()], given.length, available.size),
    crossTeamReviews: cross,
    teamReviews: crossKnown,
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
