// Truck factor and island count per repo at monthly points (the end of each month, UTC), taken
// while history is replayed oldest first: each point sees the files and authorship as they were.

export interface TrendPoint {
  month: string; // YYYY-MM
  files: number;
  authors: number;
  truckFactor: number;
  truckFactorWithoutDeparted: number;
  islands: number;
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The last millisecond of a month: the instant a point describes. */
export function monthEnd(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, 1) - 1;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Months from `first` to `last` inclusive. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) out.push(m);
  return out;
}
