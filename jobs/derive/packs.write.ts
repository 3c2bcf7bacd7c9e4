import type { Db } from '../../server/db/connect.ts';
import { chunk } from '../../server/db/bulk.ts';
import { encodeWeeks, factsByWeek, PACKS_FORMAT, type EncodedWeek } from '../../server/signals/packs.ts';

// Storing week packs; the read model reads them (server/signals/packs.read.ts).

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
      .values({ key: 'packs', value: PACKS_FORMAT })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: PACKS_FORMAT }))
      .execute();
  }
}

/**
 * Packs the fact tables when the packs are missing or in an older layout (a database derived
 * before packs existed). Cheap when they are current: one lookup.
 */
export async function ensurePacks(db: Db): Promise<void> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'packs').executeTakeFirst();
  if (row?.value === PACKS_FORMAT) return;
  // Nothing derived yet: the first derive writes the packs (a read never writes an empty set).
  if (!(await db.selectFrom('signal_pr_facts').select('pr_id').limit(1).executeTakeFirst())) return;
  await db.transaction().execute(async (trx) => {
    const prs = await trx.selectFrom('signal_pr_facts').selectAll().execute();
    const reviews = await trx.selectFrom('signal_review_facts').selectAll().execute();
    await writePacks(trx, encodeWeeks(factsByWeek(prs, reviews)), { all: true });
  });
}
