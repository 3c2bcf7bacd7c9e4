import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../server/db/postgres.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { guidepost } from './cli.fixture.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { withPostgres, type TestPostgres } from './postgres.fixture.ts';

// guidepost migrate-db given what it cannot use: each is one line saying what is wrong, exit
// code 1, no password printed, and neither the SQLite file nor the target changed.

const PASSWORD = 'not-to-be-printed-7f3a';
// The CLI reads its database from flags only: a GUIDEPOST_DATABASE_URL around the suite must not point it elsewhere.
const env = { GUIDEPOST_DATABASE_URL: '', GUIDEPOST_DB: '' };

let pgs: TestPostgres;
let source: TestDb;
let dbPath: string;

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const migrateDb = (args: string[]) => guidepost(['migrate-db', ...args], 60_000, env);

function expectOneLine(r: { code: number; stdout: string; stderr: string }, says: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).not.toContain(PASSWORD);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A URL on the test server with a password in it (the server trusts loopback, so any password passes). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
}

/** Tables of the target with their row counts, and the migrations it ran: what "unchanged" compares. */
async function stateOf(url: string): Promise<Record<string, number>> {
  const db = openPostgres(url, { max: 1 });
  try {
    const out: Record<string, number> = {};
    for (const { name } of await db.introspection.getTables({ withInternalKyselyTables: true })) {
      out[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]!.n);
    }
    return out;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  pgs = await withPostgres();
  source = await createTestDb({}, { engine: 'sqlite' });
  await source.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'api', full_name: 'acme/api', node_id: null, default_branch: 'main', clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  await source.db.destroy();
  dbPath = source.config.dbPath;
}, 120_000);

afterAll(async () => {
  await source?.close();
  await pgs?.stop();
});

describe('guidepost migrate-db refuses', () => {
  it('an unreachable target in one line naming the host, and touches nothing', async () => {
    const port = await closedPort();
    const before = hashOf(dbPath);
    const files = readdirSync(source.dir).sort();
    const r = await migrateDb(['--db', dbPath, '--to', `postgres://guidepost:${PASSWORD}@127.0.0.1:${port}/guidepost`]);
    expectOneLine(r, new RegExp(`Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}.*--to URL`));
    expect(hashOf(dbPath)).toBe(before);
    // Not even SQLite's -wal and -shm: the source is opened only once the target answered.
    expect(readdirSync(source.dir).sort()).toEqual(files);
  });

  it('a wrong password in one line about the login', async () => {
    const fake = await refusingServer();
    try {
      const port = (fake.address() as AddressInfo).port;
      const r = await migrateDb(['--db', dbPath, '--to', `postgres://guidepost:${PASSWORD}@127.0.0.1:${port}/guidepost`]);
      expectOneLine(r, new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port} refused user "guidepost".*Check the user and password in the --to URL`));
    } finally {
      fake.close();
    }
  });

  it('a target that already holds data, leaving it as it was', async () => {
    const target = await pgs.createDatabase();
    try {
      const db = openPostgres(target.url, { max: 1 });
      await migrateToLatest(db);
      await db.insertInto('settings').values({ key: 'signals', value: '{}', updated_at: '2026-01-01T00:00:00.000Z' }).execute();
      await db.destroy();
      const before = await stateOf(target.url);
      const r = await migrateDb(['--db', dbPath, '--to', withPassword(target.url)]);
      expectOneLine(r, /already holds Guidepost data \(rows in settings\).*empty database only/);
      expect(await stateOf(target.url)).toEqual(before);
    } finally {
      await target.drop();
    }
  });

  it('a missing source file with the words of every other command', async () => {
    const target = await pgs.createDatabase();
    try {
      const missing = join(source.dir, 'nope.db');
      const r = await migrateDb(['--db', missing, '--to', target.url]);
      expectOneLine(r, new RegExp(`There is no database at ${missing.replace(/[.]/g, '\\.')}\\. Check --db`));
      expect(existsSync(missing)).toBe(false);
      expect(await stateOf(target.url)).toEqual({});
    } finally {
      await target.drop();
    }
  });

  it('a source a newer Guidepost migrated, writing nothing to either side', async () => {
    const newer = sourceCopy('newer.db', "insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00.000Z')");
    const before = hashOf(newer);
    await expectRefusedIntoEmpty(newer, /newer Guidepost \(migration 9999_from_the_future unknown to this version\)/);
    expect(hashOf(newer)).toBe(before);
  });

  it('a source an older Guidepost made, saying how to bring it up to date', async () => {
    const older = sourceCopy('older.db', 'delete from kysely_migration where name = (select max(name) from kysely_migration)');
    const last = Object.keys(migrations).at(-1)!;
    await expectRefusedIntoEmpty(older, new RegExp(`older Guidepost \\(migration ${last} not run yet\\).*guidepost serve`));
  });

  it('a row PostgreSQL cannot hold, naming its table and keeping none of the copy', async () => {
    // SQLite text may hold a NUL character; PostgreSQL's may not.
    const odd = sourceCopy('odd.db', "insert into settings (key, value, updated_at) values ('odd', 'a' || char(0) || 'b', '2026-01-01T00:00:00.000Z')");
    const target = await pgs.createDatabase();
    try {
      const r = await migrateDb(['--db', odd, '--to', target.url]);
      // The progress lines come first; the failure is the last line, one line.
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^guidepost: Copying settings failed: .*Nothing was kept in the target\.$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // Migrated, but every table empty: repos, copied before settings, was rolled back too.
      const after = await stateOf(target.url);
      expect(after.repos).toBe(0);
      expect(Object.entries(after).filter(([t, n]) => n > 0 && !t.startsWith('kysely_'))).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('a --to that is no postgres:// URL', async () => {
    for (const to of [join(source.dir, 'other.db'), 'mysql://root@127.0.0.1/guidepost']) {
      const r = await migrateDb(['--db', dbPath, '--to', to]);
      expectOneLine(r, /--to must be a postgres:\/\/ URL/);
    }
  });
});

/** A copy of the source with `change` made to it. */
function sourceCopy(name: string, change: string): string {
  const file = join(source.dir, name);
  copyFileSync(dbPath, file);
  const lite = new SQLite(file);
  lite.prepare(change).run();
  lite.close();
  return file;
}

/** migrate-db of `file` into a new database is refused with `says`, and the new database stays empty. */
async function expectRefusedIntoEmpty(file: string, says: RegExp): Promise<void> {
  const target = await pgs.createDatabase();
  try {
    expectOneLine(await migrateDb(['--db', file, '--to', target.url]), says);
    expect(await stateOf(target.url)).toEqual({});
  } finally {
    await target.drop();
  }
}

/** A port on 127.0.0.1 nobody listens on (just freed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Speaks just enough of PostgreSQL's protocol to refuse a password, as a server does (error
 * 28P01): the throwaway test server trusts loopback, so it accepts any password.
 */
function refusingServer(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      let asked = false;
      socket.on('data', (data) => {
        // An SSL request (8 bytes, code 80877103) is declined; the startup message gets a password request.
        if (data.length === 8 && data.readInt32BE(4) === 80877103) return void socket.write('N');
        if (!asked) {
          asked = true;
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          return void socket.write(ask);
        }
        const fields = Buffer.from(['SFATAL', 'C28P01', 'Mpassword authentication failed for user "guidepost"'].map((f) => `${f}\0`).join('') + '\0');
        const head = Buffer.alloc(5);
        head.write('E', 0);
        head.writeInt32BE(fields.length + 4, 1);
        socket.end(Buffer.concat([head, fields]));
      });
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
