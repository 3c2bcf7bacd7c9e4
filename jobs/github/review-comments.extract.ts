import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import { personOf, type ActorLike } from './people.extract.ts';
import { parsedBody, type ExtractContext, type RawRow } from './org.extract.ts';
import { insertRows } from '../../server/db/bulk.ts';
import { repoIdOfScope } from './pulls.extract.ts';
import { isolated } from '../../server/db/dialect.ts';

// REST /repos/{o}/{r}/pulls/comments pages → review_comments (upsert by id). Comments on PRs
// outside the stored window are skipped; their PR has no row to hang them on.

export interface RestReviewComment {
  id: number;
  pull_request_review_id: number | null;
  pull_request_url: string;
  user: ActorLike | null;
  path?: string | null;
  body?: string | null;
  created_at: string;
}

export async function extractReviewCommentsPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const repoId = await repoIdOfScope(db, raw.scope);
  if (!repoId) {
    ctx.onRowError(raw.id, 'review comments page', new Error(`repo of ${raw.scope} is unknown`));
    return;
  }
  const items = parsedBody<RestReviewComment[]>(raw);
  if (!Array.isArray(items)) throw new Error('expected a JSON array');
  // The page's PRs by number, in one query.
  const numbers = new Set(items.map((c) => Number(c?.pull_request_url?.slice(c.pull_request_url.lastIndexOf('/') + 1))).filter(Number.isInteger));
  const prIds = new Map(
    (await db.selectFrom('pull_requests').select(['id', 'number']).where('repo_id', '=', repoId).where('number', 'in', numbers.size ? [...numbers] : [-1]).execute()).map((p) => [p.number, p.id]),
  );
  const rows = [];
  for (const c of items) {
    try {
      const number = Number(c.pull_request_url.slice(c.pull_request_url.lastIndexOf('/') + 1));
      if (!Number.isInteger(number)) throw new Error('comment without a pull request number');
      const prId = prIds.get(number);
      if (!prId) continue;
      rows.push(await isolated(db, () => reviewCommentRow(c, prId, raw.id, ctx)));
    } catch (err) {
      ctx.onRowError(raw.id, `review comment ${c?.id}`, err);
    }
  }
  await insertRows(db, 'review_comments', rows, { upsertOn: 'id' });
}

/** The review_comments row of one REST review comment (a page's item, or a webhook's `comment`). */
export async function reviewCommentRow(c: RestReviewComment, prId: number, rawId: number, ctx: ExtractContext) {
  return {
    id: c.id,
    pull_request_id: prId,
    review_id: c.pull_request_review_id ?? null,
    author_id: await ctx.people(personOf(c.user, ctx.botLogins), rawId),
    path: c.path ?? null,
    body_length: (c.body ?? '').length,
    created_at: c.created_at,
    raw_id: rawId,
  };
}

/** reviews.comment_count = the review's inline comments (GitHub counts them the same way). */
export async function refreshReviewCommentCounts(db: Db, repoId?: number): Promise<void> {
  // Grouped once and joined (UPDATE … FROM), since review_comments has no index on review_id:
  // a correlated count per review would scan every comment once per review.
  const prs = repoId === undefined ? sql`1 = 1` : sql`pull_request_id IN (SELECT id FROM pull_requests WHERE repo_id = ${repoId})`;
  await sql`UPDATE reviews SET comment_count = 0 WHERE ${prs} AND comment_count <> 0`.execute(db);
  await sql`UPDATE reviews SET comment_count = c.n
    FROM (SELECT review_id, count(*) AS n FROM review_comments WHERE review_id IS NOT NULL AND ${prs} GROUP BY review_id) AS c
    WHERE c.review_id = reviews.id`.execute(db);
}
