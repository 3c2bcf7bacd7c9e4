// The one-page brief for people who are not engineers: plain sentences, no jargon numbers
// without their meaning. Built from two overview reports (this month, the month before).
import type { OverviewReport } from './types.ts';
import { hours, pct } from './format.ts';

export interface BriefChange {
  what: string;
  now: string;
  before: string;
  better: boolean | null;
}

export function goingWell(r: OverviewReport, prev: OverviewReport | undefined): string[] {
  const out: string[] = [];
  const rv = r.reviews;
  if (rv.coverage !== null && rv.coverage >= 0.9) out.push(`Almost every change is checked by a second person before it ships (${pct(rv.coverage)}).`);
  if (rv.timeToFirstReviewHours.median !== null && rv.timeToFirstReviewHours.median <= 24) out.push(`Work gets a first review quickly: half of all changes within ${hours(rv.timeToFirstReviewHours.median)}.`);
  if (r.mentoring.newcomers.length && r.mentoring.newcomersWithoutMentor.length === 0) out.push(`All ${r.mentoring.newcomers.length} people who joined recently have an experienced colleague guiding their work.`);
  if (r.mentoring.edges.length) {
    const mentors = new Set(r.mentoring.edges.map((e) => e.mentor)).size;
    const mentees = new Set(r.mentoring.edges.map((e) => e.mentee)).size;
    out.push(`${mentors === 1 ? 'One experienced person is' : `${mentors} experienced people are`} actively guiding ${mentees === 1 ? 'a colleague' : `${mentees} colleagues`} through in-depth reviews.`);
  }
  if (rv.sharingIndex !== null && rv.sharingIndex >= 0.6) out.push('Review work is shared across the team rather than resting on a few people.');
  if (prev && rv.coverage !== null && prev.reviews.coverage !== null && rv.coverage > prev.reviews.coverage + 0.02) out.push('More changes are reviewed than the month before.');
  return out;
}

export function changes(r: OverviewReport, prev: OverviewReport | undefined): BriefChange[] {
  if (!prev) return [];
  const rows: BriefChange[] = [];
  const add = (what: string, a: number | null, b: number | null, fmt: (v: number | null) => string, higherIsBetter: boolean) => {
    if (a === null && b === null) return;
    rows.push({ what, now: fmt(a), before: fmt(b), better: a === null || b === null || a === b ? null : higherIsBetter ? a > b : a < b });
  };
  add('Time until a change gets its first review (median)', r.reviews.timeToFirstReviewHours.median, prev.reviews.timeToFirstReviewHours.median, hours, false);
  add('Changes reviewed before they ship', r.reviews.coverage, prev.reviews.coverage, pct, true);
  add('How evenly review work is shared (0–1)', r.reviews.sharingIndex, prev.reviews.sharingIndex, (v) => (v === null ? '—' : v.toFixed(2)), true);
  add('Recent joiners without a guide', r.mentoring.newcomersWithoutMentor.length, prev.mentoring.newcomersWithoutMentor.length, (v) => String(v ?? '—'), false);
  add('Mentoring relationships', r.mentoring.edges.length, prev.mentoring.edges.length, (v) => String(v ?? '—'), true);
  return rows;
}
