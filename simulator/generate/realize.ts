// Turns planned PRs into SimPulls: ids, texts, reviews with inline comments on the PR's files,
// conversation comments, review requests (fulfilled and pending) and updatedAt.
import type { SimIssueComment, SimPull, SimReview, SimReviewComment, SimReviewRequest, SimTeam } from '../model.ts';
import type { Actor } from './actors.ts';
import type { GenContext } from './context.ts';
import type { IdAllocator } from './ids.ts';
import { nodeId } from './ids.ts';
import type { PlannedReview } from './review-book.ts';
import type { PullSpec } from './spec.ts';
import { activeAt } from './spec.ts';
import { text } from './text.ts';
import { HOUR, MINUTE, iso } from './time.ts';

const STATE = { approve: 'APPROVED', approveBody: 'APPROVED', comment: 'COMMENTED', changes: 'CHANGES_REQUESTED', dismissed: 'DISMISSED', bot: 'COMMENTED' } as const;

export function realizePulls(ctx: GenContext, ids: IdAllocator, teams: SimTeam[]): SimPull[] {
  const teamOf = new Map<string, string>();
  for (const t of teams) for (const m of t.members) if (!teamOf.has(m)) teamOf.set(m, t.slug);
  const teamMembers = new Map(teams.map((t) => [t.slug, new Set(t.members)]));
  const pulls = ctx.specs.map((s) => realize(ctx, ids, s, teamOf, teamMembers));
  pulls.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : a.number - b.number));
  return pulls;
}

function realize(ctx: GenContext, ids: IdAllocator, s: PullSpec, teamOf: Map<string, string>, teamMembers: Map<string, Set<string>>): SimPull {
  const { rng, now } = ctx;
  const repo = ctx.repos[s.repo]!.repo.name;
  const id = ids.next('pull', rng.int(1, 2000));
  let latest = s.created;
  const seen = (t: number) => { if (t > latest) latest = t; };
  const reviews: SimReview[] = [];
  const comments: SimReviewComment[] = [];
  const targets = s.files.filter((f) => f.kind !== 'delete');
  const planned = [...s.reviews].sort((a, b) => a.at - b.at);
  for (const p of planned) {
    const rid = ids.next('review', rng.int(1, 300));
    reviews.push({ id: rid, nodeId: nodeId('review', rid), author: p.reviewer.login, state: STATE[p.kind], body: reviewBody(ctx, p), submittedAt: iso(p.at) });
    seen(p.at);
    for (let k = 0; k < p.comments; k++) {
      const f = targets.length > 0 ? rng.pick(targets) : s.files[0];
      const cid = ids.next('reviewComment', rng.int(1, 300));
      const at = iso(p.at - (p.comments - k) * MINUTE);
      const replyTo = comments.length > 0 && comments[comments.length - 1]!.author !== p.reviewer.login && rng.chance(0.15) ? comments[comments.length - 1]! : null;
      comments.push({
        id: cid, nodeId: nodeId('reviewComment', cid), reviewId: rid, author: p.reviewer.login,
        body: replyTo ? text.reply(rng) : text.reviewComment(rng),
        path: replyTo ? replyTo.path : (f?.path ?? 'README.md'),
        line: replyTo ? replyTo.line : rng.int(1, Math.max(1, Math.min(f?.additions ?? 1, 400))),
        createdAt: at, updatedAt: at, inReplyTo: replyTo ? replyTo.id : null,
      });
    }
  }
  const issueComments = conversation(ctx, ids, s, seen);
  const requests = reviewRequests(ctx, s, teamOf, teamMembers);
  for (const r of requests) seen(Date.parse(r.requestedAt));
  if (s.readyAt !== null) seen(s.readyAt);
  if (s.end !== null) seen(s.end);
  const merged = s.fate === 'merged';
  const approver = planned.filter((p) => p.kind === 'approve' || p.kind === 'approveBody').map((p) => p.reviewer).find((r) => s.end !== null && activeAt(r, s.end));
  const mergedBy = merged ? (s.mergedBy ?? (approver && rng.chance(0.4) ? approver : s.author)) : null;
  let additions = 0;
  let deletions = 0;
  for (const f of s.files) { additions += f.additions; deletions += f.deletions; }
  return {
    id, nodeId: nodeId('pull', id), repo, number: s.number, title: s.title,
    body: s.author.isBot ? 'Bumps the dependency. See the changelog for details.' : text.prBody(rng),
    author: s.author.login, headRef: headRef(s), baseRef: 'main',
    createdAt: iso(s.created), updatedAt: iso(Math.min(latest, now)),
    closedAt: s.fate === 'open' ? null : iso(s.end as number),
    mergedAt: merged ? iso(s.end as number) : null,
    mergedBy: mergedBy ? mergedBy.login : null,
    isDraft: s.draftNow, readyAt: s.readyAt === null ? null : iso(s.readyAt),
    additions, deletions, changedFiles: s.files.length,
    commitIds: s.commitId ? [s.commitId] : [`pr${s.number}-head`],
    files: s.files,
    reviewRequests: requests, reviews, reviewComments: comments, issueComments,
  };
}

function reviewBody(ctx: GenContext, p: PlannedReview): string {
  switch (p.kind) {
    case 'approve': return '';
    case 'approveBody': return text.reviewBody(ctx.rng);
    case 'comment': return ctx.rng.chance(0.5) ? '' : text.reviewBody(ctx.rng);
    case 'changes': return ctx.rng.chance(0.5) ? text.changesRequested : text.reviewBody(ctx.rng);
    case 'dismissed': return text.dismissed;
    case 'bot': return text.botReviewBody(ctx.rng);
  }
}

function headRef(s: PullSpec): string {
  if (s.author.isBot) return `${s.author.login.replace('[bot]', '')}/deps-${s.number}`;
  const slug = s.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${s.author.login}/${slug || 'change'}`;
}

function conversation(ctx: GenContext, ids: IdAllocator, s: PullSpec, seen: (t: number) => void): SimIssueComment[] {
  const { rng, now } = ctx;
  const out: SimIssueComment[] = [];
  const end = s.end ?? now - HOUR;
  const add = (who: Actor, at: number, body: string) => {
    if (!activeAt(who, at) && !who.isBot) return;
    const cid = ids.next('issueComment', rng.int(1, 200));
    out.push({ id: cid, nodeId: nodeId('issueComment', cid), author: who.login, body, createdAt: iso(at), updatedAt: iso(at) });
    seen(at);
  };
  if (!s.author.isBot && rng.chance(0.3) && end > s.created + HOUR) add(s.author, s.created + Math.floor(rng.next() * (end - s.created)), text.authorComment(rng));
  const r = s.reviews.find((x) => !x.reviewer.isBot);
  if (r && rng.chance(0.2) && r.at + 10 * MINUTE < end) add(r.reviewer, r.at + 10 * MINUTE, text.otherComment(rng));
  if (rng.chance(0.08)) {
    const bot = ctx.byLogin.get(rng.chance(0.5) ? 'dependabot[bot]' : 'renovate[bot]');
    if (bot) add(bot, s.created + 5 * MINUTE, text.botComment(rng));
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
}

function reviewRequests(ctx: GenContext, s: PullSpec, teamOf: Map<string, string>, teamMembers: Map<string, Set<string>>): SimReviewRequest[] {
  const { rng, now } = ctx;
  const out: SimReviewRequest[] = [];
  const at = iso(s.readyAt ?? s.created);
  const reviewers = new Set(s.reviews.filter((r) => !r.reviewer.isBot).map((r) => r.reviewer.login));
  for (const login of reviewers) if (rng.chance(0.7)) out.push({ reviewer: login, team: null, requestedAt: at, pending: false });
  for (const a of s.pendingAsks) out.push({ reviewer: a.login, team: null, requestedAt: at, pending: true });
  const team = teamOf.get(s.author.login);
  if (team && !s.author.isBot && rng.chance(0.15)) {
    const members = teamMembers.get(team) as Set<string>;
    out.push({ reviewer: null, team, requestedAt: at, pending: ![...reviewers].some((l) => members.has(l)) });
  }
  if (s.fate === 'open' && !s.draftNow && reviewers.size === 0 && s.pendingAsks.length === 0 && !s.author.isBot && rng.chance(0.6)) {
    const pool = (ctx.reviewersByRepo[s.repo] ?? []).filter((a) => a !== s.author && a.last >= now && a.role !== 'ghost');
    if (pool.length > 0) out.push({ reviewer: rng.pick(pool).login, team: null, requestedAt: at, pending: true });
  }
  return out;
}
