import type { MentoringEdgesTable } from '../db/signals.tables.ts';
import { daysBetween } from './weeks.ts';

// Mentoring edges reviewer → author (DESIGN.md "Signals", shared defs): the reviewer gave ≥ 2
// substantive reviews on the author's PRs in the window, and the reviewer's tenure exceeds the
// author's by ≥ 180 days. Weight = substantive reviews + inline comments on them.

export interface MentoringOptions {
  tenureGapDays: number;
  minSubstantiveReviews?: number;
}

/**
 * Tenure gap in days: reviewer tenure − author tenure at any common instant, which is
 * the author's first activity − the reviewer's first activity.
 */
export function tenureGapDays(reviewerFirstActivity: string, authorFirstActivity: string): number {
  return daysBetween(reviewerFirstActivity, authorFirstActivity);
}

/** Substantive reviews of one reviewer on one author's PRs in a window. */
export interface PairAggregate {
  reviewer_id: number;
  author_id: number;
  substantive: number;
  /** Inline comments on those substantive reviews. */
  inline: number;
  first_at: string;
  last_at: string;
}

/** The edge rule applied to per-pair totals of a window. */
export function edgesFromPairs(pairs: readonly PairAggregate[], firstActivity: ReadonlyMap<number, string>, options: MentoringOptions): MentoringEdgesTable[] {
  const out: MentoringEdgesTable[] = [];
  const firstMs = firstActivityMs(firstActivity);
  for (const p of pairs) {
    const gap = mentoringGap(p.reviewer_id, p.author_id, p.substantive, firstMs, options);
    if (gap === null) continue;
    out.push({
      mentor_id: p.reviewer_id,
      mentee_id: p.author_id,
      weight: p.substantive + p.inline,
      substantive_reviews: p.substantive,
      inline_comments: p.inline,
      first_at: p.first_at,
      last_at: p.last_at,
      tenure_gap_days: Math.round(gap * 10) / 10,
    });
  }
  return out.sort((a, b) => b.weight - a.weight || a.mentor_id - b.mentor_id || a.mentee_id - b.mentee_id);
}

/**
 * The tenure gap in days when the pair is a mentoring edge, else null (the rule in one place).
 * `firstActivityMs`: each person's first activity as epoch ms (firstActivityMs below).
 */
export function mentoringGap(reviewer: number, author: number, substantive: number, firstActivityMs: ReadonlyMap<number, number>, options: MentoringOptions): number | null {
  if (substantive < (options.minSubstantiveReviews ?? 2)) return null;
  return tenureGap(reviewer, author, firstActivityMs, options);
}

/** The tenure half of the rule: the gap in days when the reviewer has enough more tenure, else null. */
export function tenureGap(reviewer: number, author: number, firstActivityMs: ReadonlyMap<number, number>, options: MentoringOptions): number | null {
  if (reviewer === author) return null;
  const mentorFirst = firstActivityMs.get(reviewer);
  const menteeFirst = firstActivityMs.get(author);
  if (mentorFirst === undefined || menteeFirst === undefined) return null;
  // tenureGapDays, on instants already parsed.
  const gap = (menteeFirst - mentorFirst) / DAY;
  return gap < options.tenureGapDays ? null : gap;
}

const DAY = 86_400_000;

export function firstActivityMs(firstActivity: ReadonlyMap<number, string>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [id, at] of firstActivity) if (at) out.set(id, Date.parse(at));
  return out;
}

/** Mentors with more distinct mentees than the limit (DESIGN.md, default 5). */
export function overloadedMentors(edges: readonly Pick<MentoringEdgesTable, 'mentor_id' | 'mentee_id'>[], menteeLimit: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [mentor, n] of menteeLoads(edges)) if (n > menteeLimit) out.set(mentor, n);
  return out;
}

/** Distinct mentees per mentor (by id or by login): a mentor's mentee load. */
export function menteeLoads<K>(edges: readonly { mentor_id: K; mentee_id: K }[]): Map<K, number> {
  const mentees = new Map<K, Set<K>>();
  for (const e of edges) {
    const s = mentees.get(e.mentor_id) ?? new Set<K>();
    s.add(e.mentee_id);
    mentees.set(e.mentor_id, s);
  }
  return new Map([...mentees].map(([mentor, s]) => [mentor, s.size]));
}
