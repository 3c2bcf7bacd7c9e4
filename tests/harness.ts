import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { parseConfig, type Config, type ConfigInput } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { createApp } from '../server/app.ts';
import type { AppDeps } from '../server/deps.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { deriveTasks } from '../jobs/derive/derive.task.ts';

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
export async function createTestDb(env: ConfigInput = {}): Promise<TestDb> {
  const { dir, cleanup } = tempDir();
  const pg = process.env.GUIDEPOST_TEST_DATABASE_URL ? await createPostgresTestDatabase() : undefined;
  const config = parseConfig({ GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DB: join(dir, 'guidepost.db'), GUIDEPOST_DATABASE_URL: pg?.url, GUIDEPOST_LOG_LEVEL: 'silent', ...env });
  const db = await connectDatabase(config);
  await migrateToLatest(db);
  return {
    db,
    dir,
    config,
    async close() {
      await db.destroy();
      await pg?.drop();
      cleanup();
    },
  };
}

/** The engine the tests run on: 'postgres' when GUIDEPOST_TEST_DATABASE_URL is set. */
export const testEngine: 'sqlite' | 'postgres' = process.env.GUIDEPOST_TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * A new, empty database `guidepost_test_<random>` on the server GUIDEPOST_TEST_DATABASE_URL
 * names (its user must be allowed to create databases); drop() removes it, closing whatever
 * connections are left.
 */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.GUIDEPOST_TEST_DATABASE_URL;
  if (!admin) throw new Error('GUIDEPOST_TEST_DATABASE_URL is not set');
  const name = `guidepost_test_${randomBytes(6).toString('hex')}`;
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Config of a real server on 127.0.0.1 (any free port) with its data in `dir`. */
export function serverTestConfig(dir: string, env: ConfigInput = {}): Config {
  return parseConfig({
    GUIDEPOST_DATA_DIR: dir,
    GUIDEPOST_DB: join(dir, 'guidepost.db'),
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
