// The generator's clock: milliseconds internally, GitHub-style ISO strings (no millis) outside.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant every generated history ends; the same for every seed, never the wall clock. */
export const SIM_NOW = Date.parse('2026-06-01T00:00:00Z');
/** Activity starts a little under a year before `now`, so a 365-day backfill sees all of it. */
export const HISTORY_DAYS = 360;

export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function daysBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / DAY;
}
