import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// Teams belong to an org: two orgs may both have a team "platform", and a database that holds
// the demo beside a real org (or two real orgs) must keep them apart. The slug was unique on its
// own; now (org, slug) is. SQLite cannot drop a column's UNIQUE, so the table is rebuilt inside
// the migrator's transaction, where foreign keys cannot be turned off: they are deferred to the
// commit instead, and the team members that dropping the old table cascades away are put back.

const orgOfScope = sql`case
  when r.scope like 'org:%' then substr(r.scope, 5)
  when r.scope like 'repo:%/%' then substr(r.scope, 6, instr(substr(r.scope, 6), '/') - 1)
  when r.scope like 'team:%/%' then substr(r.scope, 6, instr(substr(r.scope, 6), '/') - 1)
  else '' end`;

async function rebuild(db: Kysely<any>, withOrg: boolean): Promise<void> {
  await sql`PRAGMA defer_foreign_keys = ON`.execute(db);
  await db.schema
    .createTable('teams_rebuilt')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .$call((t) => (withOrg ? t.addColumn('org', 'text', (c) => c.notNull().defaultTo('')) : t))
    .addColumn('github_id', 'integer', (c) => c.unique())
    .addColumn('slug', 'text', (c) => (withOrg ? c.notNull() : c.notNull().unique()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('raw_id', 'integer')
    .$call((t) => (withOrg ? t.addUniqueConstraint('teams_org_slug', ['org', 'slug'] as never[]) : t))
    .execute();
  if (withOrg) {
    await sql`insert into teams_rebuilt (id, org, github_id, slug, name, source, raw_id)
      select t.id, coalesce((select ${orgOfScope} from raw_responses r where r.id = t.raw_id), ''), t.github_id, t.slug, t.name, t.source, t.raw_id from teams t`.execute(db);
  } else {
    // Back to one team per slug: the first of each.
    await sql`insert into teams_rebuilt (id, github_id, slug, name, source, raw_id)
      select id, github_id, slug, name, source, raw_id from teams where id in (select min(id) from teams group by slug)`.execute(db);
    await sql`update review_requests set team_id = null where team_id not in (select id from teams_rebuilt)`.execute(db);
  }
  // Children are detached before the drop and attached again after the rename: SQLite counts a
  // deferred violation when a parent row goes, and a rename puts no row back to uncount it.
  await sql`create temp table saved_team_members as select * from team_members where team_id in (select id from teams_rebuilt)`.execute(db);
  await sql`create temp table saved_team_requests as select id, team_id from review_requests where team_id is not null`.execute(db);
  await sql`update review_requests set team_id = null where team_id is not null`.execute(db);
  await db.schema.dropTable('teams').execute(); // cascades to team_members
  await sql`alter table teams_rebuilt rename to teams`.execute(db);
  await sql`insert into team_members select * from saved_team_members`.execute(db);
  await sql`update review_requests set team_id = (select s.team_id from saved_team_requests s where s.id = review_requests.id) where id in (select id from saved_team_requests)`.execute(db);
  await sql`drop table saved_team_members`.execute(db);
  await sql`drop table saved_team_requests`.execute(db);
  const broken = await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(db);
  if (broken.rows.length) throw new Error(`rebuilding teams broke ${broken.rows.length} foreign keys (${broken.rows[0]!.table})`);
}

// PostgreSQL alters the table in place: a column added, the UNIQUE on slug swapped for (org, slug).
const pgOrgOfScope = sql`case
  when r.scope like 'org:%' then substr(r.scope, 5)
  when r.scope like 'repo:%/%' then split_part(substr(r.scope, 6), '/', 1)
  when r.scope like 'team:%/%' then split_part(substr(r.scope, 6), '/', 1)
  else '' end`;

async function alterOnPostgres(db: Kysely<any>, withOrg: boolean): Promise<void> {
  if (withOrg) {
    await db.schema.alterTable('teams').addColumn('org', 'text', (c) => c.notNull().defaultTo('')).execute();
    await sql`update teams t set org = coalesce((select ${pgOrgOfScope} from raw_responses r where r.id = t.raw_id), '')`.execute(db);
    await db.schema.alterTable('teams').dropConstraint('teams_slug_key').execute();
    await db.schema.alterTable('teams').addUniqueConstraint('teams_org_slug', ['org', 'slug']).execute();
  } else {
    // Back to one team per slug: the first of each (the others' members go with them).
    await sql`update review_requests set team_id = null where team_id not in (select min(id) from teams group by slug)`.execute(db);
    await sql`delete from teams where id not in (select min(id) from teams group by slug)`.execute(db);
    await db.schema.alterTable('teams').dropConstraint('teams_org_slug').execute();
    await db.schema.alterTable('teams').dropColumn('org').execute();
    await db.schema.alterTable('teams').addUniqueConstraint('teams_slug_key', ['slug']).execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await alterOnPostgres(db, true);
  else await rebuild(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await alterOnPostgres(db, false);
  else await rebuild(db, false);
}
