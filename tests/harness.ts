import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../server/db/connect.ts';
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

/** A real SQLite file in a temp folder, brought up by the real migrator. */
export async function createTestDb(env: ConfigInput = {}): Promise<TestDb> {
  const { dir, cleanup } = tempDir();
  const config = parseConfig({ GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DB: join(dir, 'guidepost.db'), GUIDEPOST_LOG_LEVEL: 'silent', ...env });
  const { db } = openDatabase(config.dbPath);
  await migrateToLatest(db);
  return {
    db,
    dir,
    config,
    async close() {
      await db.destroy();
      cleanup();
    },
  };
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
