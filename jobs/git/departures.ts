// Departed people (DESIGN.md, shared definitions): no activity in the org (PR, review, comment,
// commit) during the 90 days before the point of measurement. Detected, never listed by hand.
import type { Db } from '../../server/db/connect.ts';

export const DEPARTED_DAYS = 90;
const DAY_MS = 86_400_000;

/** Activity instants (ms, ascending) per person id, from every repository of the org. */
export type ActivityIndex = Map<number, number[]>;

export async function loadOrgActivity(db: Db): Promise<ActivityIndex> {
  const index: ActivityIndex = new Map();
  const add = (rows: { person: number | null; at: string }[]) => {
    for (const r of rows) {
      if (r.person === null) continue;
      let list = index.get(r.person);
      if (!list) index.set(r.person, (list = []));
      list.push(Date.parse(r.at));
    }
  };
  add(await db.selectFrom('pull_requests').select(['author_id as person', 'created_at as at']).execute());
  add(await db.selectFrom('reviews').select(['reviewer_id as person', 'submitted_at as at']).execute());
  add(await db.selectFrom('review_comments').select(['author_id as person', 'created_at as at']).execute());
  add(await db.selectFrom('issue_comments').select(['author_id as person', 'created_at as at']).execute());
  // One row per person and day is enough to answer "active within 90 days" for commits.
  add(
    await db
      .selectFrom('commits')
      .select(['person_id as person', (eb) => eb.fn.max('authored_at').as('at')])
      .where('person_id', 'is not', null)
      .groupBy(['person_id', (eb) => eb.fn('substr', ['authored_at', eb.val(1), eb.val(10)])])
      .execute() as { person: number | null; at: string }[],
  );
  for (const list of index.values()) list.sort((a, b) => a - b);
  return index;
}

/** The last instant ≤ t in an ascending list, or null. */
export function lastAtOrBefore(times: readonly number[] | undefined, t: number): number | null {
  if (!times || times.length === 0) return null;
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found === -1 ? null : times[found]!;
}

export function isDeparted(last: number | null, t: number): boolean {
  return last === null || last < t - DEPARTED_DAYS * DAY_MS;
}
