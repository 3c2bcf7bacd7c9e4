import { sql, type Insertable } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import { inList, insertRows } from '../../server/db/bulk.ts';
import type { PullRequestsTable, PullRequestState, ReviewState } from '../../server/db/database.ts';
import { personOf } from './people.extract.ts';
import { orgOfScope, parsedBody, upsertTeam, type ExtractContext, type RawRow } from './org.extract.ts';
import { dbId, type GqlComment, type GqlPage, type GqlPull, type GqlReview, type GqlTimelineItem, type PullOverflowData, type PullsPageData } from './pulls.query.ts';
import { isolated } from '../../server/db/dialect.ts';

// GraphQL pulls pages → pull_requests, reviews, issue_comments, review_requests. Each PR is
// replaced whole (its reviews, comments and requests deleted and written again), so extracting
// a page twice, or an older page after a newer one was re-fetched, converges on the newest.

const STATES: Record<string, PullRequestState> = { OPEN: 'open', CLOSED: 'closed', MERGED: 'merged' };
export const REVIEW_STATES = new Set<string>(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']);

export async function repoIdOfScope(db: Db, scope: string): Promise<number | undefined> {
  const fullName = scope.replace(/^repo:/, '');
  return (await db.selectFrom('repos').select('id').where('full_name', '=', fullName).executeTakeFirst())?.id;
}

export async function extractPullsPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const body = parsedBody<{ data?: PullsPageData | null }>(raw);
  // The collector records the backfill window beside the page; PRs updated before it stay out.
  const since = (JSON.parse(raw.request ?? '{}') as { since?: string }).since ?? '';
  const nodes = (body.data?.repository?.pullRequests.nodes ?? []).filter((n) => n && n.updatedAt >= since);
  const repoId = body.data?.repository?.databaseId ?? (await repoIdOfScope(db, raw.scope));
  if (!repoId) {
    ctx.onRowError(raw.id, 'pulls page', new Error(`repo of ${raw.scope} is unknown`));
    return;
  }
  const rows = emptyRows();
  for (const pr of nodes) {
    if (!pr) continue;
    // Rows are built per PR, so one malformed PR fails alone; the page is written in bulk.
    const mark = rows.mark();
    try {
      await isolated(db, async () => {
        rows.pulls.push(await pullRow(raw.id, repoId, pr, ctx));
        await nestedRows(db, rows, raw, rows.pulls[rows.pulls.length - 1]!.id, { reviews: pr.reviews, comments: pr.comments, timelineItems: pr.timelineItems }, ctx, false);
      });
    } catch (err) {
      rows.rollback(mark);
      ctx.onRowError(raw.id, `pull request #${pr.number}`, err);
    }
  }
  const ids = rows.pulls.map((p) => p.id);
  await insertRows(db, 'pull_requests', rows.pulls, { upsertOn: 'id' });
  // Each PR is replaced whole: its lists as this page shows them.
  for (const t of ['reviews', 'issue_comments', 'review_requests'] as const) {
    await sql`delete from ${sql.table(t)} where ${inList(db, 'pull_request_id', ids)}`.execute(db);
  }
  await writeRows(db, rows);
}

type PullRow = Insertable<PullRequestsTable> & { id: number };

function emptyRows() {
  const rows = {
    pulls: [] as PullRow[],
    reviews: [] as Record<string, unknown>[],
    comments: [] as Record<string, unknown>[],
    requests: [] as Record<string, unknown>[],
    /** Sizes now, to drop what a failing PR added. */
    mark: () => [rows.pulls.length, rows.reviews.length, rows.comments.length, rows.requests.length] as const,
    rollback(m: readonly [number, number, number, number]) {
      rows.pulls.length = m[0];
      rows.reviews.length = m[1];
      rows.comments.length = m[2];
      rows.requests.length = m[3];
    },
  };
  return rows;
}

async function writeRows(db: Db, rows: ReturnType<typeof emptyRows>): Promise<void> {
  await insertRows(db, 'reviews', rows.reviews, { upsertOn: 'id' });
  await insertRows(db, 'issue_comments', rows.comments, { upsertOn: 'id' });
  await insertRows(db, 'review_requests', rows.requests);
}

async function pullRow(rawId: number, repoId: number, pr: GqlPull, ctx: ExtractContext): Promise<PullRow> {
  const prId = dbId(pr);
  if (prId === null) throw new Error('pull request without a database id');
  const state = STATES[pr.state];
  if (!state) throw new Error(`unknown pull request state ${pr.state}`);
  const person = (a: Parameters<typeof personOf>[0]) => ctx.people(personOf(a, ctx.botLogins), rawId);
  const readyEvents = (pr.timelineItems?.nodes ?? []).filter((n) => n?.__typename === 'ReadyForReviewEvent' && n.createdAt);
  return {
    id: prId,
    node_id: pr.id,
    repo_id: repoId,
    number: pr.number,
    title: pr.title,
    head_ref: pr.headRefName,
    author_id: await person(pr.author),
    state,
    is_draft: pr.isDraft ? 1 : 0,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    // The last time it was marked ready, for PRs opened as drafts (null otherwise).
    ready_at: readyEvents.length > 0 ? (readyEvents[readyEvents.length - 1]!.createdAt ?? null) : null,
    merged_at: pr.mergedAt,
    closed_at: pr.closedAt,
    merged_by_id: pr.mergedBy ? await person(pr.mergedBy) : pr.mergedAt ? await person(null) : null,
    merge_commit_sha: pr.mergeCommit?.oid ?? null,
    additions: pr.additions ?? 0,
    deletions: pr.deletions ?? 0,
    changed_files: pr.changedFiles ?? 0,
    raw_id: rawId,
  };
}

/**
 * Rows for the nested lists of one PR (from its page, or the rest from an overflow query).
 * Review requests have no GitHub id: one already stored (`stored`, for overflow answers) or
 * already listed is not added twice.
 */
async function nestedRows(
  db: Db,
  rows: ReturnType<typeof emptyRows>,
  raw: Pick<RawRow, 'id' | 'scope'>,
  prId: number,
  lists: { reviews?: GqlPage<GqlReview>; comments?: GqlPage<GqlComment>; timelineItems?: GqlPage<GqlTimelineItem> },
  ctx: ExtractContext,
  stored: boolean,
): Promise<void> {
  const rawId = raw.id;
  const person = (a: Parameters<typeof personOf>[0]) => ctx.people(personOf(a, ctx.botLogins), rawId);
  for (const r of lists.reviews?.nodes ?? []) {
    // Pending (unsubmitted) reviews are private drafts of the reviewer: not a review yet.
    const id = r ? dbId(r) : null;
    if (!r || !r.submittedAt || id === null || !REVIEW_STATES.has(r.state)) continue;
    rows.reviews.push({ id, pull_request_id: prId, reviewer_id: await person(r.author), state: r.state as ReviewState, submitted_at: r.submittedAt, body_length: (r.body ?? '').length, raw_id: rawId });
  }
  for (const c of lists.comments?.nodes ?? []) {
    const id = c ? dbId(c) : null;
    if (!c || id === null) continue;
    rows.comments.push({ id, pull_request_id: prId, author_id: await person(c.author), body_length: (c.body ?? '').length, created_at: c.createdAt, raw_id: rawId });
  }
  const key = (reviewerId: unknown, teamId: unknown, at: unknown) => `${reviewerId ?? ''}|${teamId ?? ''}|${at}`;
  const seen = new Set<string>();
  if (stored) {
    const existing = await db.selectFrom('review_requests').select(['reviewer_id', 'team_id', 'requested_at']).where('pull_request_id', '=', prId).execute();
    for (const e of existing) seen.add(key(e.reviewer_id, e.team_id, e.requested_at));
  }
  for (const t of lists.timelineItems?.nodes ?? []) {
    if (!t || t.__typename !== 'ReviewRequestedEvent' || !t.createdAt) continue;
    const who = t.requestedReviewer;
    let reviewerId: number | null = null;
    let teamId: number | null = null;
    if (who?.__typename === 'Team' && who.slug) teamId = await upsertTeamRef(db, { org: orgOfScope(raw.scope), slug: who.slug, name: who.teamName ?? who.slug, githubId: who.databaseId ?? null }, rawId);
    else reviewerId = await person(who && who.login ? { login: who.login, databaseId: who.databaseId ?? null, __typename: who.__typename, name: who.name ?? null } : null);
    const k = key(reviewerId, teamId, t.createdAt);
    if (seen.has(k)) continue;
    seen.add(k);
    rows.requests.push({ pull_request_id: prId, reviewer_id: reviewerId, team_id: teamId, requested_at: t.createdAt, raw_id: rawId });
  }
}

/** A team asked for a review: the PR's org's team of that slug, stored when not listed yet. */
export async function upsertTeamRef(db: Db, t: { org: string; slug: string; name: string; githubId: number | null }, rawId: number): Promise<number> {
  const existing = await db.selectFrom('teams').select('id').where('org', '=', t.org).where('slug', '=', t.slug).executeTakeFirst();
  return existing ? existing.id : upsertTeam(db, t, rawId);
}

/** An overflow answer: the rest of one PR's nested lists. The PR id is in the raw row's request. */
export async function extractPullOverflow(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const body = parsedBody<{ data?: PullOverflowData | null }>(raw);
  const prId = (JSON.parse(raw.request ?? '{}') as { pullRequestId?: number }).pullRequestId;
  const node = body.data?.node;
  if (!node || typeof prId !== 'number') return;
  const exists = await db.selectFrom('pull_requests').select('id').where('id', '=', prId).executeTakeFirst();
  if (!exists) return;
  const rows = emptyRows();
  try {
    await isolated(db, () => nestedRows(db, rows, raw, prId, node, ctx, true));
  } catch (err) {
    ctx.onRowError(raw.id, `overflow of pull request ${prId}`, err);
    return;
  }
  await writeRows(db, rows);
}
