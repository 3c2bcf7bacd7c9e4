import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { configFromEnv, type Config, type ConfigInput } from '../server/config.ts';
import { AppError } from '../server/errors.ts';
import { redactSecrets } from '../server/logger.ts';

/** Adds the options every database-touching command shares. */
export function withDbOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'SQLite database file (env GUIDEPOST_DB)', undefined)
    .option('--database-url <url>', 'PostgreSQL instead of SQLite: postgres://user:password@host:5432/db (env GUIDEPOST_DATABASE_URL)', undefined)
    .option('--data-dir <dir>', 'folder for clones and keys beside the database (env GUIDEPOST_DATA_DIR)', undefined);
}

export interface DbOptions {
  db?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** Config from the environment with the command's flags laid over it. */
export function loadConfig(opts: DbOptions, extra: ConfigInput = {}): Config {
  return configFromEnv({ GUIDEPOST_DB: opts.db, GUIDEPOST_DATABASE_URL: opts.databaseUrl, GUIDEPOST_DATA_DIR: opts.dataDir, ...extra });
}

/**
 * Throws unless the database of a command that only reads exists. SQLite would create a missing
 * file, so a mistyped --db would report on a new, empty database instead of saying it is wrong.
 */
export function requireDatabaseFile(dbPath: string, databaseUrl?: string): void {
  if (databaseUrl) return; // PostgreSQL: connectDatabase says what is wrong with the URL
  if (dbPath !== ':memory:' && !existsSync(dbPath)) {
    throw new AppError('not_found', `There is no database at ${dbPath}. Check --db (or GUIDEPOST_DB), or run guidepost sync first to make one.`);
  }
}

/** Runs a command body; known errors become one line on stderr and exit code 1, never a stack. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const message = err instanceof AppError ? err.message : err instanceof Error ? err.message : String(err);
      process.stderr.write(`guidepost: ${redactSecrets(message)}\n`);
      if (!(err instanceof AppError) && process.env.GUIDEPOST_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    }
  };
}
