import { Migrator, NO_MIGRATIONS } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrateToLatest } from '../server/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { createTestDb, testEngine, type TestDb } from './harness.ts';

// The same migrations serve SQLite and PostgreSQL (GUIDEPOST_TEST_DATABASE_URL runs this file on
// PostgreSQL): all the way up, all the way down and up again, and a schema newer than the code
// is refused before anything runs.

const dbs: TestDb[] = [];
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.close();
});

async function tables(t: TestDb): Promise<string[]> {
  return (await t.db.introspection.getTables()).map((x) => x.name).sort();
}

it(`runs every migration up, down and up again on ${testEngine}`, async () => {
  const t = await createTestDb();
  dbs.push(t);
  const up = await tables(t);
  expect(up).toContain('signal_week_packs');
  expect(up).toContain('teams');
  const migrator = new Migrator({ db: t.db, provider: { getMigrations: async () => migrations } });
  const down = await migrator.migrateTo(NO_MIGRATIONS);
  expect(down.error).toBeUndefined();
  expect(await tables(t)).toEqual([]);
  await migrateToLatest(t.db);
  expect(await tables(t)).toEqual(up);
});

it('stores and reads back what each engine types differently: big ids, bytes, counts', async () => {
  const t = await createTestDb();
  dbs.push(t);
  const big = 9_007_199_254_740_000; // past 2^31 (GitHub's ids are) and near 2^53
  await t.db.insertInto('people').values({ id: 1, login: 'ana' }).execute();
  await t.db.insertInto('repos').values({ id: big, owner: 'acme', name: 'api', full_name: 'acme/api' }).execute();
  const body = Buffer.from([0x1f, 0x8b, 0, 255, 7]);
  const raw = await t.db.insertInto('raw_responses').values({ source: 'rest', kind: 'k', scope: 's', url: 'u', status: 200, body, fetched_at: 'x' }).returning('id').executeTakeFirstOrThrow();
  expect(typeof raw.id).toBe('number');
  expect((await t.db.selectFrom('repos').select('id').executeTakeFirstOrThrow()).id).toBe(big);
  const back = await t.db.selectFrom('raw_responses').select('body').where('id', '=', raw.id).executeTakeFirstOrThrow();
  expect(Buffer.from(back.body as Uint8Array).equals(body)).toBe(true);
  const n = await t.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(n.n).toBe(1);
});

it('refuses a database a newer Guidepost migrated, and changes nothing', async () => {
  const t = await createTestDb();
  dbs.push(t);
  await t.db.insertInto('kysely_migration' as never).values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never).execute();
  await expect(migrateToLatest(t.db)).rejects.toThrow(
    'This database was migrated by a newer Guidepost (migration 9999_from_the_future unknown to this version). Upgrade Guidepost to use it; nothing was changed.',
  );
  expect(await tables(t)).toContain('teams');
});
