import type { Command } from 'commander';
import { checkSourceSchema, copyDatabase, openSourceDatabase, refuseTargetWithData, sourceTables, type TableCount } from '../server/db/copy.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { checkPostgres, describeUrl, openPostgres } from '../server/db/postgres.ts';
import { AppError } from '../server/errors.ts';
import { plural } from '../server/signals/format.ts';
import { action, loadConfig, requireDatabaseFile } from './common.ts';

/** Large tables get a progress line each time this many more rows are written. */
const PROGRESS_EVERY = 50_000;

interface MigrateDbOptions {
  db?: string;
  to?: string;
}

export function registerMigrateDb(program: Command): void {
  program
    .command('migrate-db')
    .description('copy the SQLite database into an empty PostgreSQL database (the SQLite file is only read); stop guidepost serve first')
    .option('--db <path>', 'the SQLite database to copy (env GUIDEPOST_DB)', undefined)
    .requiredOption('--to <url>', 'the PostgreSQL database to fill: postgres://user:password@host:5432/db (it must hold no Guidepost data)')
    .action(action(async (opts: MigrateDbOptions) => migrateDb(opts)));
}

async function migrateDb(opts: MigrateDbOptions): Promise<void> {
  const config = loadConfig({ db: opts.db });
  const url = targetUrl(opts.to);
  const shown = await aboutTarget(async () => describeUrl(url).shown);
  requireDatabaseFile(config.dbPath);
  // The target is reached first: a wrong URL fails before the source is so much as opened.
  const db = openPostgres(url, { max: 2 });
  try {
    await aboutTarget(() => checkPostgres(db, url));
    const source = openSourceDatabase(config.dbPath);
    try {
      checkSourceSchema(source, config.dbPath);
      const tables = sourceTables(source);
      await refuseTargetWithData(db, tables, shown);
      await aboutTarget(() => migrateToLatest(db));
      process.stderr.write(`Copying ${config.dbPath} into ${shown}…\n`);
      let told = 0;
      const counts = await copyDatabase(db, source, {
        onTable: (table, rows) => {
          told = 0;
          process.stderr.write(`${table}: ${plural(rows, 'row')}\n`);
        },
        onRows: (table, done, total) => {
          if (done - told < PROGRESS_EVERY || done === total) return;
          told = done;
          process.stderr.write(`${table}: ${done} of ${total} rows\n`);
        },
      });
      process.stdout.write(summary(counts, config.dbPath, shown, keyHome(config), url));
    } finally {
      source.close();
    }
  } finally {
    await db.destroy();
  }
}

function targetUrl(to: string | undefined): string {
  if (!to || !/^postgres(ql)?:\/\//i.test(to)) {
    throw new AppError('bad_request', '--to must be a postgres:// URL, e.g. --to postgres://guidepost:PASSWORD@db.example.com:5432/guidepost (migrate-db copies the SQLite database into PostgreSQL).');
  }
  return to;
}

/** The connection messages speak of GUIDEPOST_DATABASE_URL, the server's setting; here the URL came from --to. */
async function aboutTarget<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, err.message.replaceAll('GUIDEPOST_DATABASE_URL', 'the --to URL'), { cause: err });
    throw err;
  }
}

/** Where the key that decrypts the copied tokens lives: it stays there, the copy holds them encrypted. */
function keyHome(config: { secretKey: string | undefined; dataDir: string }): string {
  return config.secretKey ? 'GUIDEPOST_SECRET_KEY as it is: it decrypts the stored tokens' : `GUIDEPOST_DATA_DIR (${config.dataDir}): its secret.key decrypts the stored tokens`;
}

function summary(counts: TableCount[], dbPath: string, shown: string, keyHome: string, url: string): string {
  const width = Math.max(...counts.map((c) => c.table.length));
  const lines = counts.map((c) => `${c.table.padEnd(width)}  ${String(c.source).padStart(9)} in SQLite  ${String(c.target).padStart(9)} in PostgreSQL`);
  const rows = counts.reduce((a, c) => a + c.target, 0);
  lines.push(`Copied ${counts.length} tables, ${rows} rows, from ${dbPath} into ${shown}; every count matches, and ${dbPath} is unchanged.`);
  lines.push(`Next: stop using the SQLite file and start with GUIDEPOST_DATABASE_URL=${withoutPassword(url)} guidepost serve, keeping ${keyHome}.`);
  return `${lines.join('\n')}\n`;
}

/** The URL to set, with PASSWORD standing for its password (never printed). */
function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = 'PASSWORD';
  if (u.searchParams.has('password')) u.searchParams.set('password', 'PASSWORD');
  return `'${u.toString()}'`;
}
