import type { Db } from '../db/connect.ts';
import { decode, refs } from './packs.codec.ts';
import { PR_COLUMNS, REVIEW_COLUMNS, type PrPack, type ReviewPack } from './packs.ts';
import { chunk } from '../db/bulk.ts';
import { weekOf } from './weeks.ts';

// Reading week packs (packs.ts has their layout; jobs/derive/packs.write.ts stores them). Readers keep decoded packs per
// database until a derive rewrites them.

export interface WeekPack {
  week: string;
  prs: PrPack;
  reviews: ReviewPack;
  /** The pack's people as numbers of its database's PersonIndex, by ref index. */
  people: { index: PersonIndex; prAuthor: Int32Array; reviewer: Int32Array; reviewAuthor: Int32Array };
}

/**
 * Dense numbers (0, 1, 2…) for the people of one database's packs, so that a scan adds up per
 * person and per pair in arrays rather than maps. Numbers are never reused or reordered.
 */
export class PersonIndex {
  readonly ids: number[] = [];
  private readonly index = new Map<number, number>();

  map(values: readonly number[]): Int32Array {
    const out = new Int32Array(values.length);
    values.forEach((id, i) => {
      let k = this.index.get(id);
      if (k === undefined) {
        this.index.set(id, (k = this.ids.length));
        this.ids.push(id);
      }
      out[i] = k;
    });
    return out;
  }
}

/** Packs of the weeks that overlap [from, to) (ISO instants), oldest first. */
export async function readPacks(db: Db, from: string, to: string): Promise<WeekPack[]> {
  const heads = await db.selectFrom('signal_week_packs').select(['week', 'generation']).where('week', '>=', weekOf(from)).where('week', '<', to).orderBy('week').execute();
  return fetchPacks(db, heads);
}

/** Packs of the given weeks (weeks without facts are left out). */
export async function readWeeks(db: Db, weeks: readonly string[]): Promise<WeekPack[]> {
  if (!weeks.length) return [];
  const wanted = new Set(weeks);
  const sorted = [...wanted].sort();
  // One range from the first week to the last, the few weeks between that are not wanted left
  // out here: SQLite answers a range from the (week, generation) index alone (migration 0015),
  // but "week IN (…)" through the primary key, reading each row's generation after its blobs.
  const heads = await db.selectFrom('signal_week_packs').select(['week', 'generation']).where('week', '>=', sorted[0]!).where('week', '<=', sorted.at(-1)!).orderBy('week').execute();
  return fetchPacks(db, heads.filter((h) => wanted.has(h.week)));
}

// Decoded packs per database, like SQLite's page cache but past the decoding: a pack is read
// again only when its generation changes (a derive rewrote it, in this process or another).
// Window results are not kept: every report is computed from the packs. Requests that arrive
// together share one decoding of each pack, and decoding gives the event loop a turn now and
// then, so a cold cache does not stall every other request.
interface PackCache {
  index: PersonIndex;
  packs: Map<string, WeekPack & { generation: number }>;
  loading: Map<string, Promise<void>>;
}
const decoded = new WeakMap<Db, PackCache>();

async function fetchPacks(db: Db, heads: readonly { week: string; generation: number }[]): Promise<WeekPack[]> {
  let cache = decoded.get(db);
  if (!cache) decoded.set(db, (cache = { index: new PersonIndex(), packs: new Map(), loading: new Map() }));
  const c = cache;
  const key = (h: { week: string; generation: number }) => `${h.week}:${h.generation}`;
  const stale = heads.filter((h) => c.packs.get(h.week)?.generation !== h.generation);
  const fresh = stale.filter((h) => !c.loading.has(key(h)));
  if (fresh.length) {
    const load = loadPacks(db, c, fresh.map((h) => h.week));
    for (const h of fresh) c.loading.set(key(h), load);
    void load.finally(() => {
      for (const h of fresh) if (c.loading.get(key(h)) === load) c.loading.delete(key(h));
    }).catch(() => undefined);
  }
  await Promise.all(stale.map((h) => c.loading.get(key(h))));
  const out: WeekPack[] = [];
  for (const h of heads) {
    const p = c.packs.get(h.week);
    if (p) out.push(p); // a week deleted between the two reads is left out
  }
  return out;
}

async function loadPacks(db: Db, c: PackCache, weeks: readonly string[]): Promise<void> {
  let since = performance.now();
  for (const ws of chunk(weeks, 500)) {
    const rows = await db.selectFrom('signal_week_packs').select(['week', 'generation', 'pr_pack', 'review_pack']).where('week', 'in', ws).execute();
    for (const r of rows) {
      const prs = decode(PR_COLUMNS, r.pr_pack);
      const reviews = decode(REVIEW_COLUMNS, r.review_pack);
      const people = { index: c.index, prAuthor: c.index.map(refs(prs, 'author_id')), reviewer: c.index.map(refs(reviews, 'reviewer_id')), reviewAuthor: c.index.map(refs(reviews, 'author_id')) };
      c.packs.set(r.week, { week: r.week, generation: r.generation, prs, reviews, people });
      if (performance.now() - since > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        since = performance.now();
      }
    }
  }
}
