import type { SignalPeopleTable, SignalPrFactsTable, SignalReviewFactsTable } from '../db/signals.tables.ts';
import { addDays } from './weeks.ts';

// First activity per person (tenure) and the newcomer window and trajectory.

export interface ActivityRow {
  person_id: number;
  at: string;
}

/**
 * One row per counted person with first/last activity. Tenure (shared defs) counts from the
 * first authored PR, review or comment, so `activity` holds those instants (min/max per person
 * is enough); the first-* columns come from the counted facts.
 */
export function derivePeopleFacts(
  people: readonly { id: number; login: string }[],
  counted: ReadonlySet<number>,
  firstActivity: ReadonlyMap<number, string>,
  lastActivity: ReadonlyMap<number, string>,
  prFacts: readonly Pick<SignalPrFactsTable, 'author_id' | 'created_at'>[],
  reviewFacts: readonly Pick<SignalReviewFactsTable, 'reviewer_id' | 'author_id' | 'submitted_at' | 'is_approval'>[],
): SignalPeopleTable[] {
  const firstPr = new Map<number, string>();
  for (const p of prFacts) minInto(firstPr, p.author_id, p.created_at);
  const firstReceived = new Map<number, string>();
  const firstGiven = new Map<number, string>();
  const firstApproval = new Map<number, string>();
  for (const r of reviewFacts) {
    minInto(firstReceived, r.author_id, r.submitted_at);
    minInto(firstGiven, r.reviewer_id, r.submitted_at);
    if (r.is_approval) minInto(firstApproval, r.reviewer_id, r.submitted_at);
  }
  return people
    .filter((p) => counted.has(p.id))
    .map((p) => ({
      person_id: p.id,
      login: p.login,
      first_activity_at: firstActivity.get(p.id) ?? null,
      last_activity_at: lastActivity.get(p.id) ?? null,
      first_pr_at: firstPr.get(p.id) ?? null,
      first_review_received_at: firstReceived.get(p.id) ?? null,
      first_review_given_at: firstGiven.get(p.id) ?? null,
      first_approval_given_at: firstApproval.get(p.id) ?? null,
    }));
}

export function minInto(m: Map<number, string>, id: number, at: string): void {
  const cur = m.get(id);
  if (cur === undefined || at < cur) m.set(id, at);
}

export function maxInto(m: Map<number, string>, id: number, at: string): void {
  const cur = m.get(id);
  if (cur === undefined || at > cur) m.set(id, at);
}

/** Newcomer (DESIGN.md, shared defs): first authored PR within the `days` before the window end. */
export function isNewcomer(firstPrAt: string | null, windowEnd: string, days: number): boolean {
  if (firstPrAt === null) return false;
  return firstPrAt > addDays(windowEnd, -days) && firstPrAt <= windowEnd;
}

export interface Trajectory {
  firstPrAt: string;
  firstReviewReceivedAt: string | null;
  /** Distinct reviewers on their PRs in the first `days` after the first PR (up to the window end). */
  distinctReviewers: number;
  firstReviewGivenAt: string | null;
  firstApprovalGivenAt: string | null;
}

export function trajectory(
  person: Pick<SignalPeopleTable, 'first_pr_at' | 'first_review_received_at' | 'first_review_given_at' | 'first_approval_given_at'>,
  /** Reviews received on their PRs; `at` is when each was submitted (epoch ms). */
  reviewsReceived: readonly { reviewer_id: number; at: number }[],
  windowEnd: string,
  days: number,
): Trajectory {
  const first = person.first_pr_at ?? windowEnd;
  const limit = addDays(first, days);
  const end = Date.parse(limit < windowEnd ? limit : windowEnd);
  const start = Date.parse(first);
  const reviewers = new Set<number>();
  for (const r of reviewsReceived) if (r.at >= start && r.at <= end) reviewers.add(r.reviewer_id);
  const upTo = (at: string | null) => (at !== null && at <= windowEnd ? at : null);
  return {
    firstPrAt: first,
    firstReviewReceivedAt: upTo(person.first_review_received_at),
    distinctReviewers: reviewers.size,
    firstReviewGivenAt: upTo(person.first_review_given_at),
    firstApprovalGivenAt: upTo(person.first_approval_given_at),
  };
}
