import { quantile } from './gini.ts';
import { ttfrMs } from './participation.ts';
import type { SignalReviewFactsTable } from '../db/signals.tables.ts';

// Mentoring gaps (DESIGN.md "Signals"), each with its reason in plain words.

export type GapKind = 'no_mentor' | 'slow_first_review' | 'rubber_stamped' | 'mentor_over_limit';

export interface Gap {
  kind: GapKind;
  personId: number;
  reason: string;
}

/** A PR as its review clock needs it: epoch ms, NaN for never (closed = merged, else closed). */
export interface ClockedPr {
  clockStart: number;
  firstReview: number;
  closed: number;
}

export interface NewcomerEvidence {
  personId: number;
  /** The newcomer's PRs whose review clock started in the window. */
  prs: readonly ClockedPr[];
  /** Reviews received on their PRs in the window. */
  reviews: readonly Pick<SignalReviewFactsTable, 'pr_id' | 'is_silent_approval' | 'is_substantive'>[];
  mentorCount: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hours = (h: number) => (h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`);

/** Gaps of one newcomer; `orgP75Hours` is the org's p75 time to first review in the window. */
export function newcomerGaps(e: NewcomerEvidence, asOf: string, orgP75Hours: number | null, tenureGapDays: number): Gap[] {
  const gaps: Gap[] = [];
  // Per reviewed PR: were all its reviews approvals without a word?
  const silent = new Map<number, boolean>();
  for (const r of e.reviews) silent.set(r.pr_id, (silent.get(r.pr_id) ?? true) && r.is_silent_approval !== 0);
  const reviewedPrs = silent;
  const silentOnly = [...silent.values()].filter(Boolean).length;
  const head = `${plural(e.prs.length, 'PR')}, ${reviewedPrs.size} reviewed`;
  const silentPhrase = silentOnly === reviewedPrs.size ? (silentOnly === 1 ? 'approved without comment' : silentOnly === 2 ? 'both approved without comment' : 'all approved without comment') : `${silentOnly} approved without comment`;

  if (e.mentorCount === 0) {
    const why =
      reviewedPrs.size === 0
        ? 'none reviewed yet'
        : silentOnly === reviewedPrs.size
          ? silentPhrase
          : `no one with ${tenureGapDays}+ more days in the org gave them 2 substantive reviews`;
    gaps.push({ kind: 'no_mentor', personId: e.personId, reason: `${head}, ${why}` });
  }

  const asOfMs = Date.parse(asOf);
  const waits = e.prs.map((p) => ttfrMs(p.clockStart, p.firstReview, p.closed, asOfMs)).filter((t) => t !== null);
  const median = quantile(waits.map((t) => t.hours).sort((a, b) => a - b), 0.5);
  if (median !== null && orgP75Hours !== null && median > orgP75Hours) {
    const still = waits.filter((t) => t.waiting).length;
    gaps.push({
      kind: 'slow_first_review',
      personId: e.personId,
      reason: `their ${plural(waits.length, 'PR')} waited a median of ${hours(median)} for a first review${still ? ` (${still} still waiting)` : ''}; the org's p75 is ${hours(orgP75Hours)}`,
    });
  }

  // "Mostly rubber stamps": most of their reviewed PRs got only approvals without a word.
  if (reviewedPrs.size > 0 && silentOnly * 2 > reviewedPrs.size) {
    gaps.push({ kind: 'rubber_stamped', personId: e.personId, reason: `${head}, ${silentPhrase}` });
  }
  return gaps;
}

export function mentorOverLimitGap(personId: number, mentees: number, limit: number): Gap {
  return { kind: 'mentor_over_limit', personId, reason: `mentors ${mentees} people in this window; the limit is ${limit}` };
}
