// Background reviews: who reviews a PR, and how, within the limits the review book sets.
import type { Actor } from './actors.ts';
import type { GenContext } from './context.ts';
import type { ReviewKind } from './review-book.ts';
import { canPlainApprove, canSubstantive, isSubstantive, record, underLoadCap } from './review-book.ts';
import type { PullSpec } from './spec.ts';
import { activeAt, reviewTime } from './spec.ts';
import { DAY, HOUR } from './time.ts';

const PEER_GAP = 150 * DAY;
export const CARRIER_BOOST = 7;

export function addReview(ctx: GenContext, s: PullSpec, reviewer: Actor, at: number, kind: ReviewKind, comments: number): void {
  // A COMMENTED review always carries an inline comment; a plain approval never does.
  const n = kind === 'approve' || kind === 'bot' ? 0 : kind === 'comment' ? Math.max(1, comments) : comments;
  const review = { reviewer, at, kind, comments: n };
  s.reviews.push(review);
  record(ctx.book, reviewer, s.author, review, s.total);
}

/** Peers: a tenure gap small enough that no mentoring can be read into the review. */
export function isPeer(r: Actor, a: Actor): boolean {
  return Math.abs(a.first - r.first) < PEER_GAP;
}

export function pickReviewer(ctx: GenContext, s: PullSpec, at: number, exclude: Set<string>, ok: (r: Actor) => boolean): Actor | null {
  const pool = ctx.reviewersByRepo[s.repo] as Actor[];
  const cands: Actor[] = [];
  const weights: number[] = [];
  const inWindow = at >= ctx.book.windowStart;
  for (const r of pool) {
    if (r === s.author || exclude.has(r.login) || !activeAt(r, at) || !ok(r)) continue;
    if (ctx.book.stampers.has(r.login) && at >= ctx.book.guardStart) continue;
    if (inWindow && !ctx.carriers.has(r.login) && !underLoadCap(ctx.book, r.login)) continue;
    cands.push(r);
    weights.push(r.weight * (inWindow && ctx.carriers.has(r.login) ? CARRIER_BOOST : 1));
  }
  if (cands.length === 0) return null;
  return cands[ctx.rng.weighted(weights)] as Actor;
}

/** Chooses a kind for a background review, or null when none fits the book's limits. */
function chooseKind(ctx: GenContext, s: PullSpec, r: Actor, at: number): ReviewKind | null {
  const { rng, book } = ctx;
  if (s.author.newcomerKind === 'approvals') return canPlainApprove(book, r, at, s.total) ? 'approve' : null;
  const x = rng.next();
  let kind: ReviewKind = x < 0.42 ? 'approve' : x < 0.56 ? 'approveBody' : x < 0.82 ? 'comment' : x < 0.97 ? 'changes' : 'dismissed';
  if (kind === 'dismissed' && at >= book.guardStart) kind = 'changes';
  if (isSubstantive(kind) && !canSubstantive(book, r, s.author, at)) kind = 'approve';
  if (kind === 'approve' && !canPlainApprove(book, r, at, s.total)) {
    if (!canSubstantive(book, r, s.author, at)) return null;
    kind = 'approveBody';
  }
  return kind;
}

/** Reviews for a PR that no plant fixed: 0–4 reviewers, some asking for changes first. */
export function reviewBackground(ctx: GenContext, s: PullSpec): void {
  const { rng, now } = ctx;
  if (s.locked || s.draftNow) return;
  if (s.author.isBot) {
    if (rng.chance(0.6)) {
      const at = reviewTime(rng, s, now);
      const r = pickReviewer(ctx, s, at, new Set(), () => true);
      if (r && canPlainApprove(ctx.book, r, at, s.total)) addReview(ctx, s, r, at, 'approve', 0);
    }
    return;
  }
  if (s.author.newcomerKind === 'unreviewed') return;
  const mean = ctx.cfg.reviewsPerPull / 1.25;
  let n = 0;
  const u = rng.next();
  const typical = Math.floor(mean + rng.next());
  n = u < 0.08 ? 0 : u < 0.35 ? 1 : u < 0.7 ? typical : typical + rng.int(0, 2);
  if (s.fate === 'open' && rng.chance(0.4)) n = Math.min(n, 1);
  const chosen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const at = reviewTime(rng, s, now);
    const peerOnly = s.author.newcomerKind === 'peers';
    const r = pickReviewer(ctx, s, at, chosen, (c) => !peerOnly || isPeer(c, s.author));
    if (!r) break;
    chosen.add(r.login);
    const kind = chooseKind(ctx, s, r, at);
    if (!kind) continue;
    addReview(ctx, s, r, at, kind, kind === 'comment' || kind === 'changes' ? rng.int(1, 4) : kind === 'approveBody' && rng.chance(0.3) ? 1 : 0);
    if ((kind === 'changes' || kind === 'dismissed') && s.fate === 'merged' && s.end !== null) {
      const later = Math.min(s.end - HOUR / 4, at + rng.int(2, 48) * HOUR);
      if (later > at && activeAt(r, later)) {
        const k2 = canPlainApprove(ctx.book, r, later, s.total) ? 'approve' : canSubstantive(ctx.book, r, s.author, later) ? 'approveBody' : null;
        if (k2) addReview(ctx, s, r, later, k2, 0);
      }
    }
  }
  if (rng.chance(0.03)) {
    const bot = ctx.byLogin.get('renovate[bot]');
    if (bot) addReview(ctx, s, bot, reviewTime(rng, s, now), 'bot', 0);
  }
}
