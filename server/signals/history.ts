import type { Db } from '../db/connect.ts';

// The span of the synced history: from the first PR to the newest event (PR opened, reviewed,
// merged or closed). Windows are clamped to it and waiting PRs are aged to its end, not to
// today's date: a history that ends in May reads as it stood in May. The derive stage writes
// it with every run (signal_state 'derive').

export interface DeriveState {
  derivedAt: string;
  /** A fresh id per derive: what caches of window results key on. */
  run: string;
  historyFrom: string | null;
  historyTo: string | null;
  /** The org the signals were derived for, when the database holds several (scope.ts); null = all. */
  org: string | null;
}

export async function readDeriveState(db: Db): Promise<DeriveState | null> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'derive').executeTakeFirst();
  if (!row) return null;
  const v = JSON.parse(row.value) as Partial<DeriveState>;
  return { derivedAt: v.derivedAt ?? '', run: v.run ?? '', historyFrom: v.historyFrom ?? null, historyTo: v.historyTo ?? null, org: v.org ?? null };
}

/** Earliest and latest instants among fact times (ISO text in GitHub's form compares as time). */
export function spanOf(prs: readonly { created_at: string; merged_at: string | null; closed_at: string | null; first_review_at: string | null }[], reviews: readonly { submitted_at: string }[], into: { from: string | null; to: string | null } = { from: null, to: null }) {
  let { from, to } = into;
  const see = (t: string | null) => {
    if (t === null) return;
    if (from === null || t < from) from = t;
    if (to === null || t > to) to = t;
  };
  for (const p of prs) {
    see(p.created_at);
    see(p.merged_at);
    see(p.closed_at);
    see(p.first_review_at);
  }
  for (const r of reviews) see(r.submitted_at);
  return { from, to };
}
