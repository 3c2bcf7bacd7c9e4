// The period picker's lengths and the window each one means, in one place: the dashboard asks
// for these windows (web/src/lib/periods.ts) and the derive job makes their reports ahead
// (jobs/derive/reports.prepare.ts), so the two cannot drift apart. Pure and import-free, so the
// dashboard imports this file too.

/** The period picker's lengths, in weeks. */
export const PERIOD_WEEKS = [4, 12, 26, 52] as const;

const DAY = 86_400_000;

/** The UTC day (YYYY-MM-DD) of a time in milliseconds. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export interface PeriodDays {
  fromDay: string;
  /** Last day of the window (the server counts a date-only `to` as including that day). */
  toDay: string;
  prevFromDay: string;
  prevToDay: string;
}

/** The `weeks`-long window whose last day is `toDay`, and the same length just before it ("change vs previous"). */
export function periodDays(toDay: string, weeks: number): PeriodDays {
  const fromDay = dayOf(Date.parse(toDay) + DAY - weeks * 7 * DAY);
  return { fromDay, toDay, prevFromDay: dayOf(Date.parse(fromDay) - weeks * 7 * DAY), prevToDay: dayOf(Date.parse(fromDay) - DAY) };
}
