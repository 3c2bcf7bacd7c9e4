// A pull request as planned, before its files, ids and texts exist, plus the timing helpers
// that keep every event inside the author's and reviewers' time in the org.
import type { SimFileChange } from '../model.ts';
import type { Actor } from './actors.ts';
import type { ChangeKind } from './changes.ts';
import type { PlannedReview } from './review-book.ts';
import type { Rng } from './random.ts';
import { DAY, HOUR } from './time.ts';

export interface PullSpec {
  repo: number;
  author: Actor;
  created: number;
  readyAt: number | null;
  draftNow: boolean;
  fate: 'merged' | 'closed' | 'open';
  /** mergedAt or closedAt. */
  end: number | null;
  mergedBy: Actor | null;
  total: number;
  kind: ChangeKind;
  /** Forced directory (planted work); null lets the history pick one of the author's. */
  dir: string | null;
  canRestructure: boolean;
  reviews: PlannedReview[];
  /** Planted PRs keep exactly their planned reviews. */
  locked: boolean;
  /** Extra people asked for review who never answered (pending). */
  pendingAsks: Actor[];
  tag: string;
  /** Filled in by numbering (index.ts) and by the history replay (history.ts). */
  number: number;
  title: string;
  files: SimFileChange[];
  commitId: string | null;
}

/** Active at t: after their first PR and not after leaving. */
export function activeAt(a: Actor, t: number): boolean {
  return t > a.first && t <= a.last;
}

export function sizeSmall(rng: Rng): number {
  return rng.chance(0.5) ? rng.int(2, 40) : rng.int(41, 180);
}
export function sizeBig(rng: Rng): number {
  return rng.int(230, 1500);
}
export function sizeHuge(rng: Rng): number {
  return rng.int(2100, 8000);
}

/** Opening, ready-for-review and closing times for a PR opened at `created`. */
export function newSpec(
  rng: Rng, repo: number, author: Actor, created: number, now: number,
  o: { total: number; kind?: ChangeKind; dir?: string | null; fate?: PullSpec['fate']; draft?: boolean; stayDraft?: boolean; tag: string; locked?: boolean },
): PullSpec {
  const draft = o.draft ?? rng.chance(0.1);
  let readyAt: number | null = draft ? created + rng.int(2, 72) * HOUR : null;
  let draftNow = false;
  const limit = Math.min(now - HOUR, author.last);
  if (readyAt !== null && (readyAt > limit || o.stayDraft)) {
    readyAt = null;
    draftNow = true;
  }
  let fate = o.fate ?? (rng.chance(0.07) ? 'closed' : 'merged');
  if (draftNow) fate = 'open';
  const start = readyAt ?? created;
  let end: number | null = null;
  if (fate !== 'open') {
    end = start + rng.int(3, 24 * 5) * HOUR;
    if (end > limit) {
      if (author.last < now) end = Math.max(start + HOUR, limit - rng.int(1, 5) * HOUR);
      else { fate = 'open'; end = null; }
    }
    if (end !== null && end <= start) end = start + HOUR / 2;
  }
  return {
    repo, author, created, readyAt, draftNow, fate, end, mergedBy: null, total: o.total,
    kind: o.kind ?? 'code', dir: o.dir ?? null, canRestructure: !o.dir, reviews: [], locked: o.locked ?? false,
    pendingAsks: [], tag: o.tag, number: 0, title: '', files: [], commitId: null,
  };
}

/** A time for a review of `s`: after it is ready, before it closes (or `now`). */
export function reviewTime(rng: Rng, s: PullSpec, now: number): number {
  const lo = (s.readyAt ?? s.created) + HOUR / 2;
  const hi = (s.end ?? now - HOUR) - HOUR / 4;
  if (hi <= lo) return Math.floor(((s.readyAt ?? s.created) + (s.end ?? now)) / 2);
  const u = rng.next();
  return Math.floor(lo + (hi - lo) * u * u);
}

export function clampDay(t: number): number {
  return Math.floor(t / 1000) * 1000;
}

export const WINDOW = 90 * DAY;
