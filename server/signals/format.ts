// How figures are written, on every surface: tiles, findings, the brief, the terminal report.
// One rounding rule per unit, so "6.4 h" never reads "6 h" elsewhere. The dashboard imports
// this file too (it is pure and imports nothing).

const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

const missing = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || Number.isNaN(v);

export function num(v: number | null | undefined, digits = 1): string {
  if (missing(v)) return '—';
  return digits === 0 ? nf0.format(v) : digits === 1 ? nf1.format(v) : new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(v);
}

export function pct(v: number | null | undefined): string {
  if (missing(v)) return '—';
  return `${nf0.format(v * 100)}%`;
}

/** Hours as "45 min", "6.4 h", "3.2 days" or "12 days". */
export function hours(v: number | null | undefined): string {
  if (missing(v)) return '—';
  if (v < 1) return `${nf0.format(v * 60)} min`;
  if (v < 48) return `${nf1.format(v)} h`;
  const d = v / 24;
  return `${d >= 10 ? nf0.format(d) : nf1.format(d)} days`;
}

/** "1 file", "3 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${nf0.format(n)} ${n === 1 ? one : many}`;
}

/** "Ana, Li and Sam"; past `max` items, "Ana, Li and 3 more". */
export function listOf(items: readonly string[], max = Infinity): string {
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
