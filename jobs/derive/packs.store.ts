import type { Db } from '../../server/db/connect.ts';
import { decode, refs } from './packs.codec.ts';
import { PR_COLUMNS, REVIEW_COLUMNS, encodeWeeks, factsByWeek, type EncodedWeek, type PrPack, type ReviewPack } from './packs.ts';
import { chunk } from './facts.derive.ts';
import { weekOf } from './weeks.ts';

// Storing and reading week packs (packs.ts has their layout). Readers keep decoded packs per
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

/** Bumped when the packed layout changes: a database whose packs are older is repacked. */
const FORMAT = '1';

/**
 * Stores packed weeks. `all` replaces every pack and marks the packs as complete; `weeks`
 * replaces those weeks only (a week in the list without a pack is left with none).
 */
export async function writePacks(db: Db, encoded: readonly EncodedWeek[], replace: { all: true } | { weeks: readonly string[] }): Promise<void> {
  if ('all' in replace) await db.deleteFrom('signal_week_packs').execute();
  else for (const ws of chunk(replace.weeks, 500)) await db.deleteFrom('signal_week_packs').where('week', 'in', ws).execute();
  for (const e of encoded) await db.insertInto('signal_week_packs').values({ ...e, generation: Math.floor(Math.random() * 2 ** 52) }).execute();
  if ('all' in replace) {
    await db
      .insertInto('signal_state')
      .values({ key: 'packs', value: FORMAT })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: FORMAT }))
      .execute();
  }
}

/** Packs of the weeks that overlap [from, to) (ISO instants), oldest first. */
export async function readPacks(db: Db, from: string, to: string): Promise<WeekPack[]> {
  const heads = await db.selectFrom('signal_week_packs').select(['week', 'generation']).where('week', '>=', weekOf(from)).where('week', '<', to).orderBy('week').execute();
  return fetchPacks(db, heads);
}

/** Packs of the given weeks (weeks without facts are left out). */
export async function readWeeks(db: Db, weeks: readonly string[]): Promise<WeekPack[]> {
  const heads: { week: string; generation: number }[] = [];
  for (const ws of chunk(weeks, 500)) {
    for (const h of await db.selectFrom('signal_week_packs').select(['week', 'generation']).where('week', 'in', ws).execute()) heads.push(h);
  }
  return fetchPacks(db, heads.sort((a, b) => a.week.localeCompare(b.week)));
}

// Decoded packs per database, like SQLite's page cache but past the decoding: a pack is read
// again only when its generation changes (a derive rewrote it, in this process or another).
// Window results are not kept: every report is computed from the packs.
const decoded = new WeakMap<Db, { index: PersonIndex; packs: Map<string, WeekPack & { generation: number }> }>();

async function fetchPacks(db: Db, heads: readonly { week: string; generation: number }[]): Promise<WeekPack[]> {
  let cache = decoded.get(db);
  if (!cache) decoded.set(db, (cache = { index: new PersonIndex(), packs: new Map() }));
  const { index, packs } = cache;
  const stale = heads.filter((h) => packs.get(h.week)?.generation !== h.generation).map((h) => h.week);
  for (const ws of chunk(stale, 500)) {
    const rows = await db.selectFrom('signal_week_packs').select(['week', 'generation', 'pr_pack', 'review_pack']).where('week', 'in', ws).execute();
    for (const r of rows) {
      const prs = decode(PR_COLUMNS, r.pr_pack);
      const reviews = decode(REVIEW_COLUMNS, r.review_pack);
      const people = { index, prAuthor: index.map(refs(prs, 'author_id')), reviewer: index.map(refs(reviews, 'reviewer_id')), reviewAuthor: index.map(refs(reviews, 'author_id')) };
      packs.set(r.week, { week: r.week, generation: r.generation, prs, reviews, people });
    }
  }
  const out: WeekPack[] = [];
  for (const h of heads) {
    const p = packs.get(h.week);
    if (p) out.push(p); // a week deleted between the two reads is left out
  }
  return out;
}

/**
 * Packs the fact tables when the packs are missing or in an older layout (a database derived
 * before packs existed). Cheap when they are current: one lookup.
 */
export async function ensurePacks(db: Db): Promise<void> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'packs').executeTakeFirst();
  if (row?.value === FORMAT) return;
  // Nothing derived yet: the first derive writes the packs (a read never writes an empty set).
  if (!(await db.selectFrom('signal_pr_facts').select('pr_id').limit(1).executeTakeFirst())) return;
  await db.transaction().execute(async (trx) => {
    const prs = await trx.selectFrom('signal_pr_facts').selectAll().execute();
    const reviews = await trx.selectFrom('signal_review_facts').selectAll().execute();
    await writePacks(trx, encodeWeeks(factsByWeek(prs, reviews)), { all: true });
  });
}
