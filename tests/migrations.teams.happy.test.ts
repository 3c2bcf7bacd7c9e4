import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrateToLatest } from '../server/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { upsertTeam } from '../jobs/github/org.extract.ts';
import { createTestDb, identityCatchUp, testEngine } from './harness.ts';

// Migration 0009 gives each team its org, so two orgs' teams of the same slug stay apart. A
// database from before keeps every team, its members and the review requests that name it.

const dbs: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.close();
});

it('keeps teams, members and team review requests across 0009, and then holds two orgs’ "platform" apart', async () => {
  const t = await createTestDb({}, { migrate: false });
  dbs.push(t);
  const { db } = t;
  {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const to8 = await migrator.migrateTo('0008_login_attempts');
    expect(to8.error).toBeUndefined();
    const now = '2026-01-01T00:00:00Z';
    const raw = async (scope: string) => (await db.insertInto('raw_responses').values({ source: 'rest', kind: 'teams_page', scope, url: 'x', status: 200, body: '[]', fetched_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    const orgRaw = await raw('org:acme');
    const prRaw = await raw('repo:acme/api');
    await db.insertInto('people').values([{ id: 1, login: 'ana' }, { id: 2, login: 'bo' }]).execute();
    await db.insertInto('repos').values({ id: 10, owner: 'acme', name: 'api', full_name: 'acme/api' }).execute();
    await db.insertInto('pull_requests').values({ id: 100, repo_id: 10, number: 1, title: 't', author_id: 1, state: 'open', created_at: now, updated_at: now }).execute();
    // Old rows, written as the code before 0009 wrote them (no org column yet).
    const insertTeam = (id: number, slug: string, rawId: number) => db.insertInto('teams').values({ id, slug, name: slug, source: 'github', raw_id: rawId } as never).execute();
    await insertTeam(1, 'platform', orgRaw);
    await insertTeam(2, 'reviewers', prRaw);
    await db.insertInto('team_members').values([{ team_id: 1, person_id: 1 }, { team_id: 1, person_id: 2 }, { team_id: 2, person_id: 2 }]).execute();
    await db.insertInto('review_requests').values({ pull_request_id: 100, team_id: 2, requested_at: now }).execute();

    await migrateToLatest(db);
    if (testEngine === 'postgres') await identityCatchUp(db);

    expect(await db.selectFrom('teams').select(['id', 'org', 'slug']).orderBy('id').execute()).toEqual([
      { id: 1, org: 'acme', slug: 'platform' },
      { id: 2, org: 'acme', slug: 'reviewers' },
    ]);
    expect(await db.selectFrom('team_members').select(['team_id', 'person_id']).orderBy('team_id').orderBy('person_id').execute()).toEqual([
      { team_id: 1, person_id: 1 },
      { team_id: 1, person_id: 2 },
      { team_id: 2, person_id: 2 },
    ]);
    expect(await db.selectFrom('review_requests').select('team_id').execute()).toEqual([{ team_id: 2 }]);

    // Another org's team of the same slug is a team of its own; the first keeps its members.
    const other = await upsertTeam(db, { org: 'globex', githubId: 99, slug: 'platform', name: 'Platform' }, orgRaw);
    expect(other).not.toBe(1);
    expect(await upsertTeam(db, { org: 'acme', githubId: null, slug: 'platform', name: 'Platform' }, orgRaw)).toBe(1);
    expect(await db.selectFrom('team_members').select('person_id').where('team_id', '=', 1).execute()).toHaveLength(2);
  }
});
