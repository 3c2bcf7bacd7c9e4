import type { Query } from './api.ts';
import { dayOf, periodDays, PERIOD_WEEKS, type PeriodDays } from '../../../server/signals/periods.ts';

// The periods a view can show and the window each one means. Plain functions (no runes), so the
// boot code can work out the overview's requests before the app's code has arrived.

// The lengths are the server's (server/signals/periods.ts), which the derive job makes reports for.
export const PERIODS = [
  { value: '4w', weeks: PERIOD_WEEKS[0], label: 'Last 4 weeks' },
  { value: '12w', weeks: PERIOD_WEEKS[1], label: 'Last 12 weeks' },
  { value: '26w', weeks: PERIOD_WEEKS[2], label: 'Last 26 weeks' },
  { value: '52w', weeks: PERIOD_WEEKS[3], label: 'Last 52 weeks' },
] as const;
export type Period = (typeof PERIODS)[number]['value'];
export const DEFAULT_PERIOD: Period = '12w';

/** The period named in the address bar, else the default. */
export function periodOf(value: string | null): Period {
  return PERIODS.some((x) => x.value === value) ? (value as Period) : DEFAULT_PERIOD;
}

export interface Filters {
  period: Period;
  /** Explicit end (YYYY-MM-DD) from the address bar, or ''. */
  to: string;
  team: string;
  repo: string;
}

/** The filters of a query string (`?period=26w&team=web`). */
export function filtersOf(search: string): Filters {
  const q = new URLSearchParams(search);
  return { period: periodOf(q.get('period')), to: q.get('to') ?? '', team: q.get('team') ?? '', repo: q.get('repo') ?? '' };
}

export interface SignalWindowDays extends PeriodDays {
  weeks: number;
  query: Query;
  previous: Query;
}

/**
 * The window a view asks for: it ends at `to` when given, else where the synced data ends (the
 * demo's history stops at a fixed date), else today, and spans the period. The previous window
 * is the same length just before it, for "change vs previous".
 */
export function windowOf(f: Filters, dataEnd: string | null, now = Date.now()): SignalWindowDays {
  const weeks = PERIODS.find((p) => p.value === f.period)?.weeks ?? 12;
  const toDay = /^\d{4}-\d{2}-\d{2}$/.test(f.to) ? f.to : dayOf(dataEnd ? Date.parse(dataEnd) : now);
  const { fromDay, prevFromDay, prevToDay } = periodDays(toDay, weeks);
  const scope = { team: f.team || undefined, repo: f.repo || undefined };
  return { weeks, fromDay, toDay, prevFromDay, prevToDay, query: { from: fromDay, to: toDay, ...scope }, previous: { from: prevFromDay, to: prevToDay, ...scope } };
}

/**
 * The weekly-trends query for a window and an optional page scope. The server keeps weekly
 * series per team or per repo, not both: the page's own scope wins, and with two filters the
 * team's series is shown.
 */
export function trendsQuery(base: Query, scope?: { team?: string; repo?: string }): Query {
  const q: Query = { ...base, ...(scope ?? {}) };
  if (q.team && q.repo) {
    if (scope?.repo && !scope.team) delete q.team;
    else delete q.repo;
  }
  return q;
}
