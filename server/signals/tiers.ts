// Contributor tiers (DESIGN.md "Signals"): people sorted by activity; those who make up the
// first 80% of all activity are core, the next 15% (to 95%) regular, the rest casual.

export type Tier = 'core' | 'regular' | 'casual';

/** activity: person id → count of PRs authored + reviews given in the window. */
export function tiers(activity: ReadonlyMap<number, number>): Map<number, Tier> {
  const rows = [...activity].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const total = rows.reduce((s, [, n]) => s + n, 0);
  const out = new Map<number, Tier>();
  let before = 0;
  for (const [id, n] of rows) {
    // A person is in the tier where their share begins, so the top person is always core.
    const share = before / total;
    out.set(id, share < 0.8 ? 'core' : share < 0.95 ? 'regular' : 'casual');
    before += n;
  }
  return out;
}

/** How many people moved from each tier to each tier ('none' = not active in that window). */
export function tierMoves(previous: ReadonlyMap<number, Tier>, current: ReadonlyMap<number, Tier>): Record<string, number> {
  const moves: Record<string, number> = {};
  for (const id of new Set([...previous.keys(), ...current.keys()])) {
    const from = previous.get(id) ?? 'none';
    const to = current.get(id) ?? 'none';
    if (from === to) continue;
    const key = `${from}->${to}`;
    moves[key] = (moves[key] ?? 0) + 1;
  }
  return moves;
}
