import type { EmitterWebhookEvent } from '@octokit/webhooks';
import type { Db } from '../../server/db/connect.ts';
import type { PullRequestState, ReviewState } from '../../server/db/database.ts';
import { AppError } from '../../server/errors.ts';
import { personOf, type ActorLike } from './people.extract.ts';
import { orgOfScope, parsedBody, upsertTeam, type ExtractContext, type RawRow } from './org.extract.ts';
import { repoIdOfScope, REVIEW_STATES, upsertTeamRef } from './pulls.extract.ts';
import { reviewCommentRow, type RestReviewComment } from './review-comments.extract.ts';

// Webhook deliveries (raw kind webhook_<event>) → the same domain rows the sync writes, with the
// same ids (GitHub database ids) and the same writers. A delivery touches only what it carries:
// a pull_request event updates the PR row and leaves its reviews and comments alone, which the
// GraphQL page extractor replaces whole when the next sync fetches the PR. Payloads are GitHub's
// REST shapes (@octokit/webhooks-examples).

/** The events Guidepost takes; the settings page lists them to tick on GitHub. */
export const WEBHOOK_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'push', 'membership', 'team', 'ping'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(event: string): event is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(event);
}

/** The raw_responses kind a delivery of `event` is stored under. */
export function webhookKind(event: WebhookEvent): string {
  return `webhook_${event}`;
}

type Payload<E extends WebhookEvent> = EmitterWebhookEvent<E>['payload'];
/** What Guidepost reads of the pull request every PR event carries (review events carry fewer fields). */
interface RestPull {
  id: number;
  node_id?: string;
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  user: ActorLike | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head?: { ref: string };
  merged_by?: ActorLike | null;
  additions?: number;
  deletions?: number;
  changed_files?: number;
}

/** Why a delivery could not be applied: it is not in GitHub's shape. */
function malformed(what: string): AppError {
  return new AppError('bad_request', `The delivery is not in GitHub's shape: ${what}.`);
}

const person = (ctx: ExtractContext, raw: RawRow, a: ActorLike | null | undefined) => ctx.people(personOf(a, ctx.botLogins), raw.id);

async function repoOf(db: Db, raw: RawRow): Promise<number> {
  const repoId = await repoIdOfScope(db, raw.scope);
  if (!repoId) throw new AppError('not_found', `${raw.scope.replace(/^repo:/, '')} is not synced by Guidepost.`);
  return repoId;
}

/**
 * The PR row as pulls.extract.ts writes it, from the REST pull request a delivery carries.
 * Review and comment events carry a shorter one (no sizes, no merged_by): what it lacks is left
 * as stored. ready_at is the time of the last ready_for_review, as the sync takes it.
 */
async function upsertPull(db: Db, raw: RawRow, ctx: ExtractContext, repoId: number, pr: RestPull | undefined, readyNow: boolean): Promise<number> {
  if (!pr || typeof pr.id !== 'number' || typeof pr.number !== 'number' || typeof pr.updated_at !== 'string') throw malformed('no pull request with an id, number and updated_at');
  const state: PullRequestState = pr.merged_at ? 'merged' : pr.state === 'closed' ? 'closed' : 'open';
  const full = 'additions' in pr;
  const patch = {
    node_id: pr.node_id ?? null,
    repo_id: repoId,
    number: pr.number,
    title: pr.title,
    head_ref: pr.head?.ref ?? null,
    author_id: await person(ctx, raw, pr.user),
    state,
    is_draft: pr.draft ? 1 : 0,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    merged_at: pr.merged_at ?? null,
    closed_at: pr.closed_at ?? null,
    // REST names a test merge commit on open PRs too; GraphQL's mergeCommit only once merged.
    merge_commit_sha: pr.merged_at ? (pr.merge_commit_sha ?? null) : null,
    raw_id: raw.id,
    ...(full ? { merged_by_id: pr.merged_by ? await person(ctx, raw, pr.merged_by) : pr.merged_at ? await person(ctx, raw, null) : null, additions: pr.additions ?? 0, deletions: pr.deletions ?? 0, changed_files: pr.changed_files ?? 0 } : {}),
    ...(readyNow ? { ready_at: pr.updated_at } : {}),
  };
  // GitHub does not promise order, and a captured body can be sent again: a PR as it stood
  // before what is stored (an older updated_at) never overwrites the newer state.
  await db
    .insertInto('pull_requests')
    .values({ id: pr.id, ready_at: null, ...patch })
    .onConflict((oc) => oc.column('id').doUpdateSet(patch).where('pull_requests.updated_at', '<=', pr.updated_at))
    .execute();
  return pr.id;
}

async function applyPullRequest(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const p = parsedBody<Payload<'pull_request'>>(raw);
  const repoId = await repoOf(db, raw);
  const prId = await upsertPull(db, raw, ctx, repoId, p.pull_request, p.action === 'ready_for_review');
  // A removed request stays, as the sync keeps every ReviewRequestedEvent of the timeline.
  if (p.action !== 'review_requested') return;
  let reviewerId: number | null = null;
  let teamId: number | null = null;
  if ('requested_team' in p && p.requested_team) {
    const t = p.requested_team;
    if (!t.slug) throw malformed('a requested team without a slug');
    teamId = await upsertTeamRef(db, { org: orgOfScope(raw.scope), slug: t.slug, name: t.name ?? t.slug, githubId: t.id ?? null }, raw.id);
  } else if ('requested_reviewer' in p) reviewerId = await person(ctx, raw, p.requested_reviewer);
  else throw malformed('review_requested without requested_reviewer or requested_team');
  const requestedAt = p.pull_request.updated_at;
  const same = await db
    .selectFrom('review_requests')
    .select('id')
    .where('pull_request_id', '=', prId)
    .where('requested_at', '=', requestedAt)
    .where((eb) => (teamId !== null ? eb('team_id', '=', teamId) : eb('reviewer_id', '=', reviewerId)))
    .executeTakeFirst();
  if (!same) await db.insertInto('review_requests').values({ pull_request_id: prId, reviewer_id: reviewerId, team_id: teamId, requested_at: requestedAt, raw_id: raw.id }).execute();
}

async function applyReview(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const p = parsedBody<Payload<'pull_request_review'>>(raw);
  const prId = await upsertPull(db, raw, ctx, await repoOf(db, raw), p.pull_request, false);
  const r = p.review;
  if (!r || typeof r.id !== 'number') throw malformed('no review with an id');
  const state = (p.action === 'dismissed' ? 'DISMISSED' : String(r.state).toUpperCase()) as ReviewState;
  // Pending reviews are the reviewer's private drafts, as on the sync's side.
  if (!r.submitted_at || !REVIEW_STATES.has(state)) return;
  const row = { pull_request_id: prId, reviewer_id: await person(ctx, raw, r.user), state, submitted_at: r.submitted_at, body_length: (r.body ?? '').length, raw_id: raw.id };
  await db.insertInto('reviews').values({ id: r.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  await countReviewComments(db, r.id);
}

async function applyReviewComment(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const p = parsedBody<Payload<'pull_request_review_comment'>>(raw);
  const prId = await upsertPull(db, raw, ctx, await repoOf(db, raw), p.pull_request, false);
  const c = p.comment as unknown as RestReviewComment;
  if (!c || typeof c.id !== 'number' || typeof c.created_at !== 'string') throw malformed('no comment with an id and created_at');
  if (p.action === 'deleted') await db.deleteFrom('review_comments').where('id', '=', c.id).execute();
  else {
    const { id, ...row } = await reviewCommentRow(c, prId, raw.id, ctx);
    await db.insertInto('review_comments').values({ id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  }
  if (c.pull_request_review_id) await countReviewComments(db, c.pull_request_review_id);
}

/** reviews.comment_count of one review, counted as refreshReviewCommentCounts counts them all. */
async function countReviewComments(db: Db, reviewId: number): Promise<void> {
  const n = await db.selectFrom('review_comments').select((eb) => eb.fn.countAll<number>().as('n')).where('review_id', '=', reviewId).executeTakeFirstOrThrow();
  await db.updateTable('reviews').set({ comment_count: Number(n.n) }).where('id', '=', reviewId).execute();
}

/** A conversation comment on a PR (GitHub sends PR and issue comments as one event). */
async function applyIssueComment(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const p = parsedBody<Payload<'issue_comment'>>(raw);
  const c = p.comment;
  if (!p.issue || typeof p.issue.number !== 'number' || !c || typeof c.id !== 'number') throw malformed('no issue number or comment id');
  if (!p.issue.pull_request) throw new AppError('not_found', 'A comment on an issue, not a pull request: Guidepost reads pull requests only.');
  const repoId = await repoOf(db, raw);
  const pr = await db.selectFrom('pull_requests').select('id').where('repo_id', '=', repoId).where('number', '=', p.issue.number).executeTakeFirst();
  // The event names the PR by number only; one not stored yet comes with the next sync.
  if (!pr) throw new AppError('not_found', `Pull request #${p.issue.number} is not stored yet; the next sync brings it with its comments.`);
  if (p.action === 'deleted') return void (await db.deleteFrom('issue_comments').where('id', '=', c.id).execute());
  const row = { pull_request_id: pr.id, author_id: await person(ctx, raw, c.user), body_length: (c.body ?? '').length, created_at: c.created_at, raw_id: raw.id };
  await db.insertInto('issue_comments').values({ id: c.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
}

/** A member added to or removed from a team of the org. */
async function applyMembership(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const p = parsedBody<Payload<'membership'>>(raw);
  if (!p.team || typeof p.team.slug !== 'string' || !p.member) throw malformed('no team slug or member');
  const teamId = await upsertTeam(db, { org: orgOfScope(raw.scope), githubId: p.team.id ?? null, slug: p.team.slug, name: p.team.name ?? p.team.slug }, raw.id);
  const personId = await person(ctx, raw, p.member);
  if (p.action === 'removed') await db.deleteFrom('team_members').where('team_id', '=', teamId).where('person_id', '=', personId).execute();
  else await db.insertInto('team_members').values({ team_id: teamId, person_id: personId, raw_id: raw.id }).onConflict((oc) => oc.columns(['team_id', 'person_id']).doNothing()).execute();
}

/** A team created, renamed or given a repository. A deleted team is kept, as the sync keeps it. */
async function applyTeam(db: Db, raw: RawRow): Promise<void> {
  const p = parsedBody<Payload<'team'>>(raw);
  if (!p.team || typeof p.team.slug !== 'string') throw malformed('no team slug');
  if (p.action === 'deleted') return;
  await upsertTeam(db, { org: orgOfScope(raw.scope), githubId: p.team.id ?? null, slug: p.team.slug, name: p.team.name ?? p.team.slug }, raw.id);
}

/**
 * The extractors of the webhook kinds, registered beside the sync's in extract.ts so that
 * re-extraction replays deliveries in the order they arrived. They throw an AppError when a
 * delivery cannot be applied: bad_request when it is not in GitHub's shape, not_found when what
 * it names is not stored. Push and ping have none: they carry nothing the domain tables hold
 * (commits come from git).
 */
export const WEBHOOK_EXTRACTORS: Record<string, (db: Db, raw: RawRow, ctx: ExtractContext) => Promise<void>> = {
  [webhookKind('pull_request')]: applyPullRequest,
  [webhookKind('pull_request_review')]: applyReview,
  [webhookKind('pull_request_review_comment')]: applyReviewComment,
  [webhookKind('issue_comment')]: applyIssueComment,
  [webhookKind('membership')]: applyMembership,
  [webhookKind('team')]: applyTeam,
};
