import { chunk } from '../../server/db/bulk.ts';
import type { Db } from '../../server/db/connect.ts';
import type { SignalPrFactsTable, SignalReviewFactsTable } from '../../server/db/signals.tables.ts';
import { derivePrFacts, type PrRow, type RequestRow, type ReviewCommentRow, type ReviewRow } from '../../server/signals/review-clock.ts';
import { deriveReviewFacts, inlineCountsByReview } from '../../server/signals/participation.ts';

// Reads the domain rows of some (or all) pull requests once and turns them into fact rows.

export interface FactsContext {
  counted: ReadonlySet<number>;
  /** Only PRs of these repositories (the shown org's, server/signals/scope.ts); all when absent. */
  repoIds?: readonly number[] | undefined;
  teamsOf: ReadonlyMap<number, ReadonlySet<string>>;
  rubberStampLines: number;
}

export interface Facts {
  prFacts: SignalPrFactsTable[];
  reviewFacts: SignalReviewFactsTable[];
  /** Raw activity instants of the loaded rows, for first/last activity (tenure). */
  activity: { person_id: number; at: string }[];
}

const IN_CHUNK = 900;

/** prIds undefined = every pull request. */
export async function loadFacts(db: Db, ctx: FactsContext, prIds?: readonly number[]): Promise<Facts> {
  const prs: PrRow[] = [];
  const reviews: ReviewRow[] = [];
  const comments: ReviewCommentRow[] = [];
  const requests: RequestRow[] = [];
  const issueComments: { author_id: number; created_at: string }[] = [];
  const chunks = prIds === undefined ? [undefined] : chunk(prIds, IN_CHUNK);
  for (const ids of chunks) {
    if (ids && ids.length === 0) continue;
    let qp = db.selectFrom('pull_requests').select(['id', 'repo_id', 'author_id', 'created_at', 'ready_at', 'merged_at', 'closed_at', 'additions', 'deletions']);
    let qr = db.selectFrom('reviews').select(['id', 'pull_request_id', 'reviewer_id', 'state', 'submitted_at', 'body_length', 'comment_count']);
    let qc = db.selectFrom('review_comments').select(['pull_request_id', 'review_id', 'author_id', 'created_at']);
    let qq = db.selectFrom('review_requests').select(['pull_request_id', (eb) => eb.fn.min('requested_at').as('requested_at')]).groupBy('pull_request_id');
    let qi = db.selectFrom('issue_comments').select(['author_id', 'created_at']);
    const repoIds = ctx.repoIds;
    if (repoIds) {
      const inScope = db.selectFrom('pull_requests').select('id').where('repo_id', 'in', repoIds.length ? [...repoIds] : [-1]);
      qp = qp.where('repo_id', 'in', repoIds.length ? [...repoIds] : [-1]);
      qr = qr.where('pull_request_id', 'in', inScope);
      qc = qc.where('pull_request_id', 'in', inScope);
      qq = qq.where('pull_request_id', 'in', inScope);
      qi = qi.where('pull_request_id', 'in', inScope);
    }
    if (ids) {
      qp = qp.where('id', 'in', ids);
      qr = qr.where('pull_request_id', 'in', ids);
      qc = qc.where('pull_request_id', 'in', ids);
      qq = qq.where('pull_request_id', 'in', ids);
      qi = qi.where('pull_request_id', 'in', ids);
    }
    // Appended one by one: spreading a large result into push() overflows the call stack.
    append(prs, await qp.execute());
    append(reviews, await qr.execute());
    append(comments, await qc.execute());
    append(requests, await qq.execute());
    append(issueComments, await qi.execute());
  }
  // In id order whatever the engine or chunking: the week packs store facts in this order, so
  // SQLite (which scans by rowid) and PostgreSQL (heap order) write the same bytes, and every sum
  // over a pack adds in the same order.
  prs.sort((a, b) => a.id - b.id);
  reviews.sort((a, b) => a.id - b.id);
  return factsFromRows(ctx, prs, reviews, comments, requests, issueComments);
}

/** Pure: domain rows of a set of PRs → fact rows and activity instants. */
export function factsFromRows(
  ctx: FactsContext,
  prs: readonly PrRow[],
  reviews: readonly ReviewRow[],
  comments: readonly ReviewCommentRow[],
  requests: readonly RequestRow[],
  issueComments: readonly { author_id: number; created_at: string }[],
): Facts {
  const reviewsByPr = groupBy(reviews, (r) => r.pull_request_id);
  const commentsByPr = groupBy(comments, (c) => c.pull_request_id);
  const firstRequest = new Map(requests.map((r) => [r.pull_request_id, r.requested_at]));
  const prFacts = derivePrFacts(prs, reviewsByPr, commentsByPr, firstRequest, ctx.counted);
  const prsById = new Map(prs.map((p) => [p.id, p]));
  const reviewFacts = deriveReviewFacts(reviews, prsById, inlineCountsByReview(comments), ctx.teamsOf, ctx.counted, ctx.rubberStampLines);
  const activity: { person_id: number; at: string }[] = [];
  for (const p of prs) activity.push({ person_id: p.author_id, at: p.created_at });
  for (const r of reviews) if (r.state !== 'PENDING') activity.push({ person_id: r.reviewer_id, at: r.submitted_at });
  for (const c of comments) activity.push({ person_id: c.author_id, at: c.created_at });
  for (const c of issueComments) activity.push({ person_id: c.author_id, at: c.created_at });
  return { prFacts, reviewFacts, activity };
}

export function append<T>(into: T[], rows: readonly T[]): void {
  for (const r of rows) into.push(r);
}

export function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

