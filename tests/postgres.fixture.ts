// A PostgreSQL server for tests that need one whatever engine the suite runs on (migrate-db,
// cross-engine comparisons): the server GUIDEPOST_TEST_DATABASE_URL names, or else a throwaway
// one started with bin/pg-test-server.sh when PostgreSQL's server binaries are installed.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestPostgres {
  /** A URL whose user may create databases (the `postgres` database of the server). */
  adminUrl: string;
  /** A new, empty database (C collation, UTF-8); drop() removes it, closing its connections. */
  createDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }>;
  /** Stops the server if this fixture started it (a server from the environment is left running). */
  stop(): Promise<void>;
}

const SCRIPT = 'bin/pg-test-server.sh';
const START_TIMEOUT_MS = 60_000;

/** The server to test against; throws with what to install or set when there is none. */
export async function withPostgres(): Promise<TestPostgres> {
  const fromEnv = process.env.GUIDEPOST_TEST_DATABASE_URL;
  if (fromEnv) return servedAt(fromEnv, async () => {});
  if (!hasInitdb()) {
    throw new Error('This test needs PostgreSQL: set GUIDEPOST_TEST_DATABASE_URL to a server whose user may create databases, or install PostgreSQL\'s server binaries (apt-get install postgresql) so it can start its own with bin/pg-test-server.sh.');
  }
  const out = await run(['start'], START_TIMEOUT_MS);
  const dir = /PG_TEST_DIR='([^']+)'/.exec(out)?.[1];
  const url = /GUIDEPOST_TEST_DATABASE_URL='([^']+)'/.exec(out)?.[1];
  if (!dir || !url) throw new Error(`${SCRIPT} start printed no server: ${out}`);
  return servedAt(url, async () => {
    await run(['stop', dir], START_TIMEOUT_MS);
  });
}

function hasInitdb(): boolean {
  if (process.env.PG_BINDIR) return existsSync(`${process.env.PG_BINDIR}/initdb`);
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
}

function run(args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, ...args], { timeout }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${SCRIPT} ${args[0]} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** The server at `adminUrl` (a user that may create databases); `stop` is what stop() does. */
export function servedAt(adminUrl: string, stop: () => Promise<void> = async () => {}): TestPostgres {
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    stop,
    async createDatabase() {
      const name = `guidepost_test_${randomBytes(6).toString('hex')}`;
      await admin(`create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return { url: url.toString(), name, drop: () => admin(`drop database if exists ${name} with (force)`) };
    },
  };
}
