import type { Db } from '../db/connect.ts';
import type { AgreementKey } from '../agreements.settings.ts';
import { readSettings, type Settings } from '../settings.ts';
import { buildReport, type Report, type ReportFilter } from './report.ts';
import { teamGuard } from './privacy.ts';
import { formulas, type FormulaKey } from './formulas.ts';
import { menteeLoadLimit, percentileName } from './agreements.formulas.ts';
import { menteeLoads } from './mentoring.ts';
import { round } from './gini.ts';
import { hours as formatHours, plural } from './format.ts';

// Working agreements (issue 15): each target the team set, against the figure the report
// already shows for the same thing (one number per figure), as met, drifting or no data. A
// team figure: drifting names repositories at most, never a person.

export type AgreementState = 'met' | 'drifting' | 'no data';

export interface AgreementStatus {
  key: AgreementKey;
  label: string;
  /** The target in words ("at most 24 h at p75"). */
  target: string;
  /** The figure measured against it, in `unit`; null without data. */
  actual: number | null;
  unit: 'hours' | 'percent' | 'lines' | 'reviewers' | 'mentees' | 'newcomers';
  status: AgreementState;
  /** What drifts, in words, without names ("2 of 5 repositories have fewer than 2 reviewers"). */
  drift: string | null;
  /** Repositories that do not meet it (reviewersPerRepo only; repositories are shown by name elsewhere too). */
  repos: string[];
  formula: string;
}

const ORDER: readonly AgreementKey[] = ['timeToFirstReview', 'reviewCoverage', 'prSize', 'reviewersPerRepo', 'menteeLoad', 'newcomerMentor'];
const FORMULA: Record<AgreementKey, FormulaKey> = {
  timeToFirstReview: 'agreementTimeToFirstReview',
  reviewCoverage: 'agreementReviewCoverage',
  prSize: 'agreementPrSize',
  reviewersPerRepo: 'agreementReviewersPerRepo',
  menteeLoad: 'agreementMenteeLoad',
  newcomerMentor: 'agreementNewcomerMentor',
};
const DAY = 86_400_000;

type Measure = Omit<AgreementStatus, 'key' | 'formula' | 'status' | 'repos' | 'drift'> & { met: boolean | null; drift?: string; repos?: string[] };

/**
 * The status of every agreement set, for a report's window and filters. The digest and the
 * overview both call this (or agreementStatus), so they say the same thing.
 */
export async function agreementsOf(db: Db, report: Report, settings: Settings): Promise<AgreementStatus[]> {
  const set = settings.agreements;
  const text = formulas(settings);
  const out: AgreementStatus[] = [];
  for (const key of ORDER) {
    if (!set[key]) continue;
    const m = await measure(db, key, report, settings);
    const status: AgreementState = m.met === null ? 'no data' : m.met ? 'met' : 'drifting';
    const { met: _met, drift, repos, ...rest } = m;
    out.push({ key, ...rest, status, drift: status === 'drifting' ? (drift ?? null) : null, repos: status === 'drifting' ? (repos ?? []) : [], formula: text[FORMULA[key]] });
  }
  return out;
}

/** Agreements for a filter (the overview's query), or null when the team filter names a team too small to show. */
export async function agreementStatus(db: Db, filter: ReportFilter, options: { now?: number; settings?: Settings } = {}): Promise<AgreementStatus[] | null> {
  const settings = options.settings ?? (await readSettings(db));
  const report = await buildReport(db, filter, { ...options, settings });
  if (await teamGuard(db, report.team, report.teamName, settings)) return null;
  return agreementsOf(db, report, settings);
}

async function measure(db: Db, key: AgreementKey, r: Report, s: Settings): Promise<Measure> {
  const a = s.agreements;
  switch (key) {
    case 'timeToFirstReview': {
      const { hours, percentile } = a.timeToFirstReview!;
      const t = r.reviews.timeToFirstReviewHours;
      const actual = percentile === 50 ? t.median : percentile === 75 ? t.p75 : t.p90;
      const drift = actual === null ? undefined : `${formatHours(actual - hours)} over the target${r.reviews.waiting ? `; ${plural(r.reviews.waiting, 'PR')} still waiting` : ''}`;
      return { label: 'Time to first review', target: `at most ${hours} h at ${percentileName(percentile)}`, actual, unit: 'hours', met: actual === null ? null : actual <= hours, drift };
    }
    case 'reviewCoverage': {
      const min = a.reviewCoverage!.atLeastPercent;
      const c = r.reviews.coverage;
      const actual = c === null ? null : round(c * 100, 1);
      const drift = `${plural(r.reviews.mergedWithoutReview, 'merged PR')} of ${r.reviews.merged} had no review`;
      return { label: 'Review coverage', target: `at least ${min}%`, actual, unit: 'percent', met: actual === null ? null : actual >= min, drift };
    }
    case 'prSize': {
      const max = a.prSize!.p75AtMostLines;
      const actual = r.reviews.prSizeP75Lines;
      const drift = actual === null ? undefined : `${plural(round(actual - max, 0)!, 'line')} over the target`;
      return { label: 'PR size', target: `at most ${max} changed lines at p75`, actual, unit: 'lines', met: actual === null ? null : actual <= max, drift };
    }
    case 'reviewersPerRepo':
      return reviewersPerRepo(db, r, a.reviewersPerRepo!.atLeast);
    case 'menteeLoad': {
      const max = menteeLoadLimit(s);
      const loads = [...menteeLoads(r.mentoring.edges.map((e) => ({ mentor_id: e.mentor, mentee_id: e.mentee }))).values()];
      const actual = loads.length ? Math.max(...loads) : null;
      const over = loads.filter((n) => n > max).length;
      return { label: 'Largest mentee load', target: `at most ${plural(max, 'mentee')} per mentor`, actual, unit: 'mentees', met: actual === null ? null : actual <= max, drift: `${plural(over, 'mentor')} of ${loads.length} with more than ${plural(max, 'mentee')}` };
    }
    case 'newcomerMentor':
      return newcomerMentor(r, a.newcomerMentor!.withinDays);
  }
}

/** Repositories with activity in the window and fewer distinct reviewers than the target (the repo page's active reviewers). */
async function reviewersPerRepo(db: Db, r: Report, min: number): Promise<Measure> {
  const target = `at least ${min} active reviewers in every repository`;
  const ids = [...r.byRepo.keys()];
  if (ids.length === 0) return { label: 'Active reviewers per repository', target, actual: null, unit: 'reviewers', met: null };
  const names = new Map((await db.selectFrom('repos').select(['id', 'full_name']).where('id', 'in', ids).execute()).map((x) => [x.id, x.full_name]));
  const counts = ids.map((id) => r.byRepo.get(id)!.reviewers.size);
  const below = ids.filter((id) => r.byRepo.get(id)!.reviewers.size < min).map((id) => names.get(id) ?? `#${id}`).sort();
  return {
    label: 'Active reviewers per repository',
    target,
    // The fewest any active repository has: the agreement holds when that one meets it.
    actual: Math.min(...counts),
    unit: 'reviewers',
    met: below.length === 0,
    drift: `${plural(below.length, 'repository', 'repositories')} of ${ids.length} with fewer than ${min} reviewers`,
    repos: below,
  };
}

/** Newcomers at least `days` in, and those of them without a mentoring edge begun within `days` of their first PR. */
function newcomerMentor(r: Report, days: number): Measure {
  const asOf = Date.parse(r.asOf);
  const due = r.mentoring.newcomers.filter((n) => Date.parse(n.firstPrAt) + days * DAY <= asOf);
  const late = due.filter((n) => {
    const deadline = Date.parse(n.firstPrAt) + days * DAY;
    return !r.mentoring.edges.some((e) => e.mentee === n.login && Date.parse(e.firstAt) <= deadline);
  });
  return {
    label: `Newcomers with a mentor within ${days} days`,
    target: `every newcomer within ${days} days of their first PR`,
    actual: due.length ? due.length - late.length : null,
    unit: 'newcomers',
    met: due.length ? late.length === 0 : null,
    drift: `${plural(late.length, 'newcomer')} of ${due.length} without a mentor within ${days} days`,
  };
}
