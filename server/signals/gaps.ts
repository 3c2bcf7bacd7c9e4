import { quantiles } from './gini.ts';
import { hours, plural } from './format.ts';
import { ttfrMs } from './participation.ts';
import type { SignalReviewFactsTable } from '../db/signals.tables.ts';

// Mentoring gaps (DESIGN.md "Signals"), each with its reason in plain words.

export type GapKind = 'no_mentor' | 'slow_first_review' | 'rubber_stamped' | 'mentor_over_limit';

/** The numbers behind a gap; its sentence is made from them by gapReason, nowhere else. */
export interface GapFigures {
  prs?: number;
  reviewed?: number;
  silentOnly?: number;
  tenureGapDays?: number;
  medianHours?: number;
  stillWaiting?: number;
  groupP75Hours?: number;
  mentees?: number;
  limit?: number;
}

export interface Gap {
  kind: GapKind;
  personId: number;
  figures: GapFigures;
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

/** Gaps of one newcomer; `groupP75Hours` is the p75 time to first review of the group the report covers. */
export function newcomerGaps(e: NewcomerEvidence, asOf: string, groupP75Hours: number | null, tenureGapDays: number): Gap[] {
  const gaps: Gap[] = [];
  // Per reviewed PR: were all its reviews approvals without a word?
  const silent = new Map<number, boolean>();
  for (const r of e.reviews) silent.set(r.pr_id, (silent.get(r.pr_id) ?? true) && r.is_silent_approval !== 0);
  const reviewed = silent.size;
  const silentOnly = [...silent.values()].filter(Boolean).length;
  const head = { prs: e.prs.length, reviewed, silentOnly };

  if (e.mentorCount === 0) gaps.push({ kind: 'no_mentor', personId: e.personId, figures: { ...head, tenureGapDays } });

  const asOfMs = Date.parse(asOf);
  const waits = e.prs.map((p) => ttfrMs(p.clockStart, p.firstReview, p.closed, asOfMs)).filter((t) => t !== null);
  const [median = null] = quantiles(waits.map((t) => t.hours), [0.5]);
  if (median !== null && groupP75Hours !== null && median > groupP75Hours) {
    gaps.push({ kind: 'slow_first_review', personId: e.personId, figures: { prs: waits.length, medianHours: median, stillWaiting: waits.filter((t) => t.waiting).length, groupP75Hours } });
  }

  // "Mostly rubber stamps": most of their reviewed PRs got only approvals without a word.
  if (reviewed > 0 && silentOnly * 2 > reviewed) gaps.push({ kind: 'rubber_stamped', personId: e.personId, figures: head });
  return gaps;
}

export function mentorOverLimitGap(personId: number, mentees: number, limit: number): Gap {
  return { kind: 'mentor_over_limit', personId, figures: { mentees, limit } };
}

/** The one sentence for a gap. `group` names who the p75 is of ("team Platform", "the org"). */
export function gapReason(g: Pick<Gap, 'kind' | 'figures'>, group: string): string {
  const f = g.figures;
  const prs = f.prs ?? 0;
  const reviewed = f.reviewed ?? 0;
  const silentOnly = f.silentOnly ?? 0;
  const head = `${plural(prs, 'PR')}, ${reviewed} reviewed`;
  const silentPhrase = silentOnly === reviewed ? (silentOnly === 1 ? 'approved without comment' : silentOnly === 2 ? 'both approved without comment' : 'all approved without comment') : `${silentOnly} approved without comment`;
  switch (g.kind) {
    case 'no_mentor': {
      const why = reviewed === 0 ? 'none reviewed yet' : silentOnly === reviewed ? silentPhrase : `no one with ${f.tenureGapDays ?? 0}+ more days in the org gave them 2 substantive reviews`;
      return `${head}, ${why}`;
    }
    case 'slow_first_review':
      return `their ${plural(prs, 'PR')} waited a median of ${hours(f.medianHours)} for a first review${f.stillWaiting ? ` (${f.stillWaiting} still waiting)` : ''}; 3 in 4 PRs of ${group} got one within ${hours(f.groupP75Hours)}`;
    case 'rubber_stamped':
      // Said apart from no_mentor's reason, which may name the same approvals.
      return `${silentOnly} of ${plural(reviewed, 'reviewed PR')} got only approvals without a comment`;
    case 'mentor_over_limit':
      return `mentors ${plural(f.mentees ?? 0, 'person', 'people')} in this period; the limit is ${f.limit ?? 0}`;
  }
}
