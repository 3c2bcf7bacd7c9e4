// Keeps background reviews from satisfying the shared definitions by accident: outside the
// planted pairs, a reviewer 170+ days senior gives an author at most one substantive review
// near the analysis window, and nobody but a planted rubber-stamper piles up rubber stamps.
// The window and the tenure gap are taken wider than the definitions on purpose (margins).
import type { Actor } from './actors.ts';
import { DAY } from './time.ts';

export type ReviewKind = 'approve' | 'approveBody' | 'comment' | 'changes' | 'dismissed' | 'bot';

export interface PlannedReview {
  reviewer: Actor;
  at: number;
  kind: ReviewKind;
  /** Inline comments in this review. */
  comments: number;
}

export const STAMP_LINES = 200;
const GUARD_DAYS = 97;
const SENIOR_GAP_DAYS = 170;

export function isSubstantive(kind: ReviewKind): boolean {
  return kind !== 'approve' && kind !== 'bot';
}

export interface ReviewBook {
  guardStart: number;
  windowStart: number;
  plantedPairs: Set<string>;
  stampers: Set<string>;
  substantive: Map<string, number>;
  stamps: Map<string, number>;
  /** Reviews given in the (exact) analysis window per login, for load planning. */
  windowCount: Map<string, number>;
  windowTotal: number;
}

export function createReviewBook(now: number): ReviewBook {
  return {
    guardStart: now - GUARD_DAYS * DAY,
    windowStart: now - 90 * DAY,
    plantedPairs: new Set(),
    stampers: new Set(),
    substantive: new Map(),
    stamps: new Map(),
    windowCount: new Map(),
    windowTotal: 0,
  };
}

export const pairKey = (r: string, a: string) => `${r}\u0000${a}`;

export function isSeniorTo(r: Actor, a: Actor): boolean {
  return a.first - r.first >= SENIOR_GAP_DAYS * DAY;
}

/** May `r` give `a` a substantive review at `at` without creating an unplanned mentoring edge? */
export function canSubstantive(book: ReviewBook, r: Actor, a: Actor, at: number): boolean {
  if (at < book.guardStart || !isSeniorTo(r, a)) return true;
  const k = pairKey(r.login, a.login);
  return book.plantedPairs.has(k) || (book.substantive.get(k) ?? 0) === 0;
}

/** May `r` approve without a word at `at` a PR of `lines` changed lines? */
export function canPlainApprove(book: ReviewBook, r: Actor, at: number, lines: number): boolean {
  if (at < book.guardStart || lines <= STAMP_LINES) return true;
  if (book.stampers.has(r.login)) return true;
  return (book.stamps.get(r.login) ?? 0) === 0;
}

export function record(book: ReviewBook, r: Actor, a: Actor, review: PlannedReview, lines: number): void {
  if (r.isBot || r.role === 'ghost') return;
  if (review.at >= book.guardStart) {
    if (isSubstantive(review.kind)) {
      const k = pairKey(r.login, a.login);
      book.substantive.set(k, (book.substantive.get(k) ?? 0) + 1);
    } else if (lines > STAMP_LINES) {
      book.stamps.set(r.login, (book.stamps.get(r.login) ?? 0) + 1);
    }
  }
  if (review.at >= book.windowStart) {
    book.windowCount.set(r.login, (book.windowCount.get(r.login) ?? 0) + 1);
    book.windowTotal++;
  }
}

/** Keeps everyone but the planted carriers well below 3 × the mean reviews in the window. */
export function underLoadCap(book: ReviewBook, login: string): boolean {
  const mean = book.windowCount.size === 0 ? 0 : book.windowTotal / book.windowCount.size;
  return (book.windowCount.get(login) ?? 0) < Math.max(4, 2.2 * mean);
}
