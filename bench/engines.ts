// The database engines a benchmark runs on, in one run: SQLite, then PostgreSQL. PostgreSQL is
// the server GUIDEPOST_BENCH_DATABASE_URL names (an admin URL: the bench creates and drops its
// own databases there), else a throwaway server from bin/pg-test-server.sh when PostgreSQL's
// binaries are installed, else skipped with one line saying why: a benchmark is not a test.
// `--engines=sqlite` (or `postgres`) runs one of them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../server/config.ts';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { servedAt } from '../tests/postgres.fixture.ts';

export type EngineName = 'SQLite' | 'PostgreSQL';

/** A new, empty database of one engine, with a data folder of its own. */
export interface BenchDatabase {
  engine: EngineName;
  config: Config;
  /** The CLI flags that name it: `--db FILE` or `--database-url URL`. */
  args: string[];
  /** Opens it and brings it to the latest schema through the real migrator. */
  open(): Promise<Db>;
  /** Removes the database (and its folder). */
  drop(): Promise<void>;
}

export interface BenchEngine {
  name: EngineName;
  fresh(): Promise<BenchDatabase>;
}

const REPO = join(import.meta.dirname, '..');
let postgres: Promise<{ admin: string; origin: string } | { skipped: string }> | null = null;

/** The engines of this run, SQLite first; a PostgreSQL that cannot be had is left out and said once. */
export async function benchEngines(): Promise<BenchEngine[]> {
  const flag = process.argv.find((a) => a.startsWith('--engines='))?.slice('--engines='.length);
  const wanted = (flag ?? 'sqlite,postgres').toLowerCase().split(',');
  const out: BenchEngine[] = [];
  if (wanted.includes('sqlite')) out.push({ name: 'SQLite', fresh: async () => freshDatabase('SQLite') });
  if (wanted.includes('postgres')) {
    postgres ??= postgresServer();
    const server = await postgres;
    if ('skipped' in server) console.log(`PostgreSQL half skipped: ${server.skipped}`);
    else out.push({ name: 'PostgreSQL', fresh: async () => freshDatabase('PostgreSQL', server.admin) });
  }
  return out;
}

/** Where PostgreSQL runs, in words for the output (never the URL: it may hold a password). */
export async function postgresOrigin(): Promise<string | null> {
  const server = await postgres;
  return server && 'origin' in server ? server.origin : null;
}

async function postgresServer(): Promise<{ admin: string; origin: string } | { skipped: string }> {
  const given = process.env.GUIDEPOST_BENCH_DATABASE_URL;
  if (given) return { admin: given, origin: 'the server GUIDEPOST_BENCH_DATABASE_URL names' };
  const initdb = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  if (!initdb) return { skipped: 'no GUIDEPOST_BENCH_DATABASE_URL and no PostgreSQL installed (/usr/lib/postgresql/*/bin/initdb); set GUIDEPOST_BENCH_DATABASE_URL to an admin URL, or apt-get install postgresql' };
  let printed: string;
  try {
    printed = execFileSync(join(REPO, 'bin/pg-test-server.sh'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const why = String((err as { stderr?: string }).stderr ?? err).trim().split('\n').pop();
    return { skipped: `bin/pg-test-server.sh start failed: ${why}` };
  }
  const dir = /PG_TEST_DIR='([^']+)'/.exec(printed)?.[1];
  const admin = /GUIDEPOST_TEST_DATABASE_URL='([^']+)'/.exec(printed)?.[1];
  if (!dir || !admin) return { skipped: `bin/pg-test-server.sh start printed no URL: ${printed.trim()}` };
  // Stopped however the run ends; stopping is synchronous, as an exit handler must be.
  process.once('exit', () => execFileSync(join(REPO, 'bin/pg-test-server.sh'), ['stop', dir], { stdio: 'ignore' }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  return { admin, origin: 'a throwaway server from bin/pg-test-server.sh on 127.0.0.1 (fsync, synchronous_commit and full_page_writes off: a test server; SQLite runs with synchronous=NORMAL)' };
}

async function freshDatabase(engine: EngineName, admin?: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'guidepost-bench-'));
  // A database with byte-order text (C collation, as the README asks of a Guidepost database).
  const created = admin ? await servedAt(admin).createDatabase() : undefined;
  const config = parseConfig({ GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DB: join(dir, 'guidepost.db'), GUIDEPOST_DATABASE_URL: created?.url, GUIDEPOST_LOG_LEVEL: 'silent' });
  return {
    engine,
    config,
    args: created ? ['--database-url', created.url, '--data-dir', dir] : ['--db', config.dbPath, '--data-dir', dir],
    async open() {
      const db = await connectDatabase(config);
      await migrateToLatest(db);
      return db;
    },
    async drop() {
      await created?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
