// ISO weeks (UTC): a week is named by its Monday's date, e.g. '2026-11-23'.

const DAY = 86_400_000;

// Many facts share a day; the week depends on the date only, so memoise by date.
const weekByDate = new Map<string, string>();

export function weekOf(iso: string): string {
  const date = iso.slice(0, 10);
  let week = weekByDate.get(date);
  if (week === undefined) {
    week = mondayOf(Date.parse(`${date}T00:00:00Z`));
    if (weekByDate.size > 100_000) weekByDate.clear();
    weekByDate.set(date, week);
  }
  return week;
}

function mondayOf(ms: number): string {
  const day = Math.floor(ms / DAY);
  // 1970-01-01 was a Thursday; ISO weeks start on Monday.
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY).toISOString().slice(0, 10);
}

/** [start, end) of a week as instants in GitHub's second-precision ISO form. */
export function weekRange(week: string): { from: string; to: string } {
  const start = Date.parse(`${week}T00:00:00Z`);
  return { from: isoSeconds(start), to: isoSeconds(start + 7 * DAY) };
}

/** ISO text without milliseconds, the form GitHub timestamps use, so text order = time order. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function addDays(iso: string, days: number): string {
  return isoSeconds(Date.parse(iso) + days * DAY);
}

export function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / DAY;
}
