import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { parseConfig, type Config, type ConfigInput } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { createApp } from '../server/app.ts';
import type { AppDeps } from '../server/deps.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { deriveTasks } from '../jobs/derive/derive.task.ts';
import { withPostgres } from './postgres.fixture.ts';

/** A fresh folder under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'guidepost-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestDb {
  db: Db;
  dir: string;
  config: Config;
  close(): Promise<void>;
}

/**
 * A real database brought up by the real migrator: a SQLite file in a temp folder, or, when
 * GUIDEPOST_TEST_DATABASE_URL names a PostgreSQL server (bin/pg-test-server.sh), a fresh
 * database of its own there, dropped by close().
 */
export async function createTestDb(env: ConfigInput = {}, o: { migrate?: boolean; engine?: 'sqlite'; databaseUrl?: string } = {}): Promise<TestDb> {
  const { dir, cleanup } = tempDir();
  // engine 'sqlite': a test of what only SQLite has (the file's backup and restore), or one that
  // compares the engines; databaseUrl: a PostgreSQL database of the test's own (the caller drops
  // it), which gets no test-only triggers.
  const pg = process.env.GUIDEPOST_TEST_DATABASE_URL && o.engine !== 'sqlite' && !o.databaseUrl ? await createPostgresTestDatabase() : undefined;
  const config = parseConfig({ GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DB: join(dir, 'guidepost.db'), GUIDEPOST_DATABASE_URL: o.databaseUrl ?? pg?.url, GUIDEPOST_LOG_LEVEL: 'silent', ...env });
  const db = await connectDatabase(config);
  if (o.migrate !== false) {
    await migrateToLatest(db);
    if (pg) await identityCatchUp(db);
  }
  return {
    db,
    dir,
    config,
    async close() {
      await db.destroy().catch(() => {}); // a test may have closed it already
      await pg?.drop();
      cleanup();
    },
  };
}

/**
 * Tests insert rows with ids of their choosing (people 1 and 2, then a person the code adds).
 * SQLite's AUTOINCREMENT numbers the next row past the highest id; a PostgreSQL identity does not
 * see ids it did not hand out, so the next insert would collide. In test databases only, a
 * statement trigger moves each identity past the highest id after every insert. The product never
 * chooses ids in those tables (guidepost migrate-db is to set the identities once after copying).
 * Run again after migrating further (migrations.teams): it covers the tables there are.
 */
export async function identityCatchUp(db: Db): Promise<void> {
  await sql`create or replace function guidepost_identity_catch_up() returns trigger language plpgsql as $$
    declare
      seq text := pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_ARGV[0]);
      top bigint;
      cur bigint;
    begin
      execute format('select max(%I) from %I.%I', TG_ARGV[0], TG_TABLE_SCHEMA, TG_TABLE_NAME) into top;
      select s.last_value into cur from pg_sequences s where format('%I.%I', s.schemaname, s.sequencename) = seq;
      if top is not null and (cur is null or top > cur) then perform setval(seq, top); end if;
      return null;
    end $$`.execute(db);
  const cols = await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES' and identity_generation = 'BY DEFAULT'`.execute(db);
  for (const c of cols.rows) {
    await sql`create or replace trigger ${sql.id(`${c.table_name}_identity_catch_up`)} after insert on ${sql.table(c.table_name)}
      for each statement execute function guidepost_identity_catch_up(${sql.lit(c.column_name)})`.execute(db);
    await sql`select setval(pg_get_serial_sequence(${c.table_name}, ${c.column_name}), max(${sql.ref(c.column_name)})) from ${sql.table(c.table_name)} having max(${sql.ref(c.column_name)}) is not null`.execute(db);
  }
}

/** The URL of the test database named after `dir`, created when missing (synchronously: serverTestConfig is). */
function postgresDatabaseOf(dir: string): string {
  const admin = process.env.GUIDEPOST_TEST_DATABASE_URL!;
  const name = `guidepost_test_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
  const script = `const pg = require('pg');
    (async () => {
      const c = new pg.Client({ connectionString: process.env.ADMIN });
      await c.connect();
      const had = await c.query('select 1 from pg_database where datname = $1', [process.env.NAME]);
      if (!had.rowCount) await c.query('create database ' + process.env.NAME + " template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'");
      await c.end();
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
  execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ADMIN: admin, NAME: name }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Whether `text` is stored anywhere in the test database: in the SQLite file or its WAL as bytes,
 * or on PostgreSQL (no file to read) in any row of any table, each row cast to text.
 */
export async function databaseHolds(t: TestDb, text: string): Promise<boolean> {
  if (t.config.databaseUrl) {
    for (const { name } of await t.db.introspection.getTables()) {
      const rows = await sql<{ row: string }>`select cast(x as text) as row from ${sql.table(name)} x`.execute(t.db);
      if (rows.rows.some((r) => r.row.includes(text))) return true;
    }
    return false;
  }
  const bytes = Buffer.from(text);
  return [t.config.dbPath, `${t.config.dbPath}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(bytes));
}

/** The CLI flags that name a test database: `--db FILE`, or `--database-url URL` on PostgreSQL. */
export function dbArgsOf(config: Config): string[] {
  return config.databaseUrl ? ['--database-url', config.databaseUrl] : ['--db', config.dbPath];
}

/** The engine the tests run on: 'postgres' when GUIDEPOST_TEST_DATABASE_URL is set. */
export const testEngine: 'sqlite' | 'postgres' = process.env.GUIDEPOST_TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * A new, empty database `guidepost_test_<random>` on the server GUIDEPOST_TEST_DATABASE_URL
 * names (its user must be allowed to create databases); drop() removes it, closing whatever
 * connections are left.
 */
async function createPostgresTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!process.env.GUIDEPOST_TEST_DATABASE_URL) throw new Error('GUIDEPOST_TEST_DATABASE_URL is not set');
  return (await withPostgres()).createDatabase();
}

/**
 * Config of a real server on 127.0.0.1 (any free port) with its data in `dir`. On PostgreSQL its
 * database is named after `dir`, so a server started again on the same folder finds its data; it
 * is left for the throwaway server's end (bin/pg-test-server.sh stop).
 */
export function serverTestConfig(dir: string, env: ConfigInput = {}): Config {
  return parseConfig({
    GUIDEPOST_DATA_DIR: dir,
    GUIDEPOST_DB: join(dir, 'guidepost.db'),
    GUIDEPOST_DATABASE_URL: process.env.GUIDEPOST_TEST_DATABASE_URL ? postgresDatabaseOf(dir) : undefined,
    GUIDEPOST_HOST: '127.0.0.1',
    GUIDEPOST_PORT: '0',
    GUIDEPOST_LOG_LEVEL: 'silent',
    GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
    ...env,
  });
}

/** The whole Hono app over a test database, for `app.request()` without a port. */
export function createTestApp(t: TestDb) {
  const deps: AppDeps = { db: t.db, config: t.config, logger: createLogger('silent') };
  return createApp(deps, { webRoot: join(t.dir, 'no-web') });
}

/**
 * Runs the signal recompute that a settings change queued, as the server's job runner would;
 * a test app runs no runner. Returns once no derive job is left to run.
 */
export async function runQueuedDerive(t: TestDb): Promise<void> {
  await createRunner({ db: t.db, logger: createLogger('silent'), tasks: deriveTasks, services: null }).drain();
}

/** An error answer read as status, code and message (code undefined when the body is no error). */
export async function readError(res: Response): Promise<{ status: number; code: string | undefined; message: string }> {
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? '' };
}
