// "Change vs previous period" for a tile, worded so a non-engineer reads it right.

export type Better = 'up' | 'down';
export interface Change {
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

/** kind: 'ratio' (0..1, shown in points), 'hours' (relative %), 'count' (absolute). */
export function change(current: number | null | undefined, previous: number | null | undefined, kind: 'ratio' | 'hours' | 'count', better: Better): Change | undefined {
  if (current === null || current === undefined || previous === null || previous === undefined) return undefined;
  const d = current - previous;
  let text: string;
  if (kind === 'ratio') {
    const pts = Math.round(d * 100);
    text = pts === 0 ? 'No change' : `${pts > 0 ? '+' : '−'}${Math.abs(pts)} pts`;
  } else if (kind === 'hours') {
    if (previous === 0) text = d === 0 ? 'No change' : `${d > 0 ? '+' : '−'}${Math.abs(Math.round(d))} h`;
    else {
      const p = Math.round((d / previous) * 100);
      text = p === 0 ? 'No change' : `${p > 0 ? '+' : '−'}${Math.abs(p)}%`;
    }
  } else {
    text = d === 0 ? 'No change' : `${d > 0 ? '+' : '−'}${Math.abs(d)}`;
  }
  if (text === 'No change') return { text, tone: 'neutral' };
  const improved = better === 'up' ? d > 0 : d < 0;
  return { text, tone: improved ? 'good' : 'bad' };
}
