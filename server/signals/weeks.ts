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

/** ISO text without milliseconds, the form GitHub timestamps use, so text order = time order. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The weeks (Mondays) that overlap [from, to), oldest first. */
export function weeksOverlapping(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(to);
  for (let ms = Date.parse(`${weekOf(from)}T00:00:00Z`); ms < end; ms += 7 * DAY) out.push(new Date(ms).toISOString().slice(0, 10));
  return out;
}

/** The whole weeks inside [from, to) as [first Monday, Monday after the last), or null when none. */
export function wholeWeeks(from: string, to: string): { from: string; to: string } | null {
  const start = Date.parse(from);
  let first = Date.parse(`${weekOf(from)}T00:00:00Z`);
  if (first < start) first += 7 * DAY;
  const last = Date.parse(`${weekOf(isoSeconds(Date.parse(to) - 1000))}T00:00:00Z`);
  const end = last + 7 * DAY <= Date.parse(to) ? last + 7 * DAY : last;
  if (end <= first) return null;
  return { from: isoSeconds(first), to: isoSeconds(end) };
}

export function addDays(iso: string, days: number): string {
  return isoSeconds(Date.parse(iso) + days * DAY);
}

export function daysBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / DAY;
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayText = new Map<number, string>();

/** ISO text of an instant: GitHub's form for whole seconds (`…T12:34:56Z`), else with milliseconds. */
export function isoOf(ms: number): string {
  if (ms % 1000 !== 0) return new Date(ms).toISOString();
  const d = Math.floor(ms / DAY);
  let date = dayText.get(d);
  if (date === undefined) {
    date = new Date(d * DAY).toISOString().slice(0, 10);
    if (dayText.size > 100_000) dayText.clear();
    dayText.set(d, date);
  }
  const s = (ms - d * DAY) / 1000;
  return `${date}T${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}Z`;
}

/** Epoch ms of `YYYY-MM-DDTHH:MM:SSZ` (a real date and time), else NaN; isoOf gives the text back. */
export function canonicalMs(v: string): number {
  if (v.length !== 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return NaN;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const h = digits(v, 11, 2);
  const mi = digits(v, 14, 2);
  const s = digits(v, 17, 2);
  if (!(y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && h < 24 && mi < 60 && s < 60)) return NaN;
  if (d > 28 && d > daysIn(y, mo)) return NaN;
  return daysFromCivil(y, mo, d) * DAY + ((h * 60 + mi) * 60 + s) * 1000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms"). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysIn(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function digits(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}
