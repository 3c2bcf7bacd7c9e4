import type { SignalPrFactsTable } from '../db/signals.tables.ts';

// One fact row per counted pull request: when its review clock started and when a first
// review came (DESIGN.md "Signals": clock from the first review request, else
// ready-for-review, else creation; first review = first non-author, non-bot review or
// review comment).

export interface PrRow {
  id: number;
  repo_id: number;
  author_id: number;
  created_at: string;
  ready_at: string | null;
  merged_at: string | null;
  closed_at: string | null;
  additions: number;
  deletions: number;
}

export interface ReviewRow {
  id: number;
  pull_request_id: number;
  reviewer_id: number;
  state: string;
  submitted_at: string;
  body_length: number;
  comment_count: number;
}

export interface ReviewCommentRow {
  pull_request_id: number;
  review_id: number | null;
  author_id: number;
  created_at: string;
}

export interface RequestRow {
  pull_request_id: number;
  requested_at: string;
}

/** Reviews that say something: pending (unsubmitted) reviews are not reviews yet. */
export function isSubmitted(r: Pick<ReviewRow, 'state'>): boolean {
  return r.state !== 'PENDING';
}

export function clockStart(pr: Pick<PrRow, 'created_at' | 'ready_at'>, firstRequestAt: string | null): { at: string; source: SignalPrFactsTable['clock_source'] } {
  if (firstRequestAt) return { at: firstRequestAt, source: 'requested' };
  if (pr.ready_at) return { at: pr.ready_at, source: 'ready' };
  return { at: pr.created_at, source: 'created' };
}

export function derivePrFacts(
  prs: readonly PrRow[],
  reviewsByPr: ReadonlyMap<number, readonly ReviewRow[]>,
  commentsByPr: ReadonlyMap<number, readonly ReviewCommentRow[]>,
  firstRequestByPr: ReadonlyMap<number, string>,
  counted: ReadonlySet<number>,
): SignalPrFactsTable[] {
  const out: SignalPrFactsTable[] = [];
  for (const pr of prs) {
    if (!counted.has(pr.author_id)) continue;
    const clock = clockStart(pr, firstRequestByPr.get(pr.id) ?? null);
    let first: string | null = null;
    let reviewedBeforeMerge = 0;
    for (const r of reviewsByPr.get(pr.id) ?? []) {
      if (!isSubmitted(r) || r.reviewer_id === pr.author_id || !counted.has(r.reviewer_id)) continue;
      if (first === null || r.submitted_at < first) first = r.submitted_at;
      if (pr.merged_at && r.submitted_at <= pr.merged_at) reviewedBeforeMerge = 1;
    }
    for (const c of commentsByPr.get(pr.id) ?? []) {
      if (c.author_id === pr.author_id || !counted.has(c.author_id)) continue;
      if (first === null || c.created_at < first) first = c.created_at;
    }
    out.push({
      pr_id: pr.id,
      repo_id: pr.repo_id,
      author_id: pr.author_id,
      created_at: pr.created_at,
      clock_start: clock.at,
      clock_source: clock.source,
      first_review_at: first,
      merged_at: pr.merged_at,
      closed_at: pr.closed_at,
      reviewed_before_merge: reviewedBeforeMerge,
      size: pr.additions + pr.deletions,
    });
  }
  return out;
}
