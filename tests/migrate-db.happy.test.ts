import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { openDatabase } from '../server/db/connect.ts';
import { insertRows } from '../server/db/bulk.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { parseConfig } from '../server/config.ts';
import { setUserPassword } from '../server/auth/users.ts';
import { createSession } from '../server/auth/sessions.ts';
import { claimLoginAttempt } from '../server/auth/login-limit.ts';
import { saveConnection } from '../jobs/github/connect.ts';
import { defaultSettings, writeSettingRow } from '../server/settings.ts';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { withPostgres, type TestPostgres } from './postgres.fixture.ts';
import { SINCE } from './sync.fixture.ts';

// guidepost migrate-db as a user moving off SQLite runs it: a synced org (knowledge and signals
// too) copied into an empty PostgreSQL database, which then answers exactly as the file did.

const SECRET = 'ghp_migratedbsecret0123456789abcdef';
const PG_PASSWORD = 'pg-password-never-shown-41';
// The CLI reads its database from flags only: a GUIDEPOST_DATABASE_URL around the suite must not point it elsewhere.
const cliEnv = (sim: RunningSimulator, dir: string) => ({ GITHUB_TOKEN: sim.token, GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DATABASE_URL: '', GUIDEPOST_DB: '' });

let pgs: TestPostgres;
let sim: RunningSimulator;
let dir: string;
let cleanup: () => void;
let dbPath: string;
let target: { url: string; drop(): Promise<void> };
let hashBefore: string;
let migrated: { code: number; stdout: string; stderr: string };

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  pgs = await withPostgres();
  sim = await startSimulator({ seed: 5, scale: 'tiny' });
  ({ dir, cleanup } = tempDir());
  dbPath = join(dir, 'guidepost.db');
  const sync = await guidepost(['sync', '--org', sim.org.org.login, '--api-url', sim.url, '--since', SINCE, '--db', dbPath], 240_000, cliEnv(sim, dir));
  expect(sync.stderr).not.toContain('warning');
  expect(sync.code, sync.stderr).toBe(0);
  await addWhatServeWrites();
  target = await pgs.createDatabase();
  hashBefore = hashOf(dbPath);
  // The test server trusts loopback, so any password passes: this one is there to be kept out of sight.
  const withPassword = new URL(target.url);
  withPassword.password = PG_PASSWORD;
  migrated = await guidepost(['migrate-db', '--db', dbPath, '--to', withPassword.toString()], 240_000, cliEnv(sim, dir));
}, 600_000);

afterAll(async () => {
  await target?.drop();
  await sim?.close();
  await pgs?.stop();
  cleanup?.();
});

/** TEST SETUP standing in for a server's life: a login, a session, a connection with its secret, a failed login, a webhook, a digest sent, settings, an alias, a queued job. */
async function addWhatServeWrites(): Promise<void> {
  const { db } = openDatabase(dbPath);
  try {
    const config = parseConfig({ GUIDEPOST_DATA_DIR: dir, GUIDEPOST_DB: dbPath });
    const admin = await setUserPassword(db, 'admin', 'admin', 'correct horse battery staple');
    await createSession(db, admin.id);
    await claimLoginAttempt(db, 'mallory');
    // A flood of made-up usernames: enough rows for the copy to take several batches.
    const now = new Date().toISOString();
    await insertRows(db, 'login_attempts', Array.from({ length: 4_500 }, (_, i) => ({ username: `guess-${i}`, failures: 1, window_started_at: now, locked_until: null, updated_at: now })));
    await saveConnection(db, config, { org: sim.org.org.login, apiUrl: sim.url, auth: { kind: 'token', token: SECRET } });
    await db.insertInto('webhook_deliveries').values({ delivery_id: 'd-1', event: 'ping', action: null, org: sim.org.org.login, repo: null, received_at: new Date().toISOString(), outcome: 'ignored', error: 'a ping', raw_id: null }).execute();
    await db.insertInto('digest_sends').values({ at: new Date().toISOString(), trigger: 'manual', destination: 'email', ok: 1, error: null }).execute();
    // AUTOINCREMENT never hands out an id again, even one deleted: neither may PostgreSQL after the copy.
    const last = await db.insertInto('jobs').values({ task: 'noop', payload: '{}', key: 'deleted-later', run_at: new Date().toISOString(), created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
    await db.deleteFrom('jobs').where('id', '=', last.id).execute();
    await db.insertInto('jobs').values({ task: 'noop', payload: '{}', key: 'queued', run_at: '2999-01-01T00:00:00.000Z', created_at: new Date().toISOString() }).execute();
    await writeSettingRow(db, 'signals', defaultSettings);
    const person = await db.selectFrom('people').select('id').where('is_bot', '=', 0).executeTakeFirstOrThrow();
    await db.insertInto('person_aliases').values({ person_id: person.id, kind: 'email', value: 'moved@example.com', source: 'settings' }).execute();
  } finally {
    await db.destroy();
  }
}

/** Every table and its columns as the target has them (the source has the same, file_changes' rowid implicit). */
async function targetTables(url: string): Promise<Map<string, string[]>> {
  const db = openPostgres(url, { max: 1 });
  try {
    const r = await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(db);
    const out = new Map<string, string[]>();
    for (const c of r.rows) out.set(c.table_name, [...(out.get(c.table_name) ?? []), c.column_name]);
    return out;
  } finally {
    await db.destroy();
  }
}

/** A cell as text, whatever the engine's type for it: bytes as hex, every number as its decimal text. */
function cell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  return String(v);
}

async function rowsOnBoth(table: string, columns: string[]): Promise<{ sqlite: string[]; postgres: string[] }> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  const lite = new SQLite(dbPath, { readonly: true });
  let sqliteRows: unknown[][];
  try {
    sqliteRows = lite.prepare(`select ${list} from "${table}"`).raw(true).safeIntegers(true).all() as unknown[][];
  } finally {
    lite.close();
  }
  const db = openPostgres(target.url, { max: 1 });
  try {
    const pgRows = (await sql.raw<Record<string, unknown>>(`select ${list} from "${table}"`).execute(db)).rows.map((r) => columns.map((c) => r[c]));
    // Ordered by the whole row, primary key first for every table here: both sides sort alike.
    const text = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r.map(cell))).sort();
    return { sqlite: text(sqliteRows), postgres: text(pgRows) };
  } finally {
    await db.destroy();
  }
}

describe('guidepost migrate-db into an empty PostgreSQL database', () => {
  it('copies, says so with a count per table, and leaves the SQLite file byte for byte as it was', async () => {
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(hashOf(dbPath)).toBe(hashBefore);
    const tables = await targetTables(target.url);
    const lines = migrated.stdout.trim().split('\n');
    for (const t of tables.keys()) {
      const line = lines.find((l) => l.startsWith(`${t} `));
      expect(line, t).toBeDefined();
      const [, source, copied] = /(\d+) in SQLite\s+(\d+) in PostgreSQL/.exec(line!)!;
      expect(copied, t).toBe(source);
    }
    expect(lines.at(-2)).toMatch(new RegExp(`^Copied ${tables.size} tables, \\d+ rows, .* every count matches`));
    expect(lines.at(-1)).toContain('GUIDEPOST_DATABASE_URL=');
    expect(lines.at(-1)).toContain(':PASSWORD@127.0.0.1');
    expect(migrated.stdout + migrated.stderr).not.toContain(PG_PASSWORD);
    expect(lines.at(-1)).toContain('guidepost serve');
    // Progress went to stderr, a line per table.
    expect(migrated.stderr).toContain('pull_requests: ');
  });

  it('holds every row of every table, as stored', async () => {
    const tables = await targetTables(target.url);
    const empty: string[] = [];
    for (const [table, columns] of tables) {
      const { sqlite, postgres } = await rowsOnBoth(table, columns);
      expect(postgres, table).toEqual(sqlite);
      if (!sqlite.length) empty.push(table);
    }
    // The comparison means something: the sync, the derive and the setup above filled every table
    // but the heartbeats of running job workers, which no CLI-made database has.
    expect(empty.filter((t) => t !== 'workers')).toEqual([]);
    for (const t of ['raw_responses', 'file_changes', 'signal_week_packs', 'knowledge_file_authors', 'connections', 'users', 'sessions']) {
      expect((await rowsOnBoth(t, tables.get(t)!)).postgres.length, t).toBeGreaterThan(0);
    }
  });

  it('keeps the secret encrypted as stored, never in clear', async () => {
    const db = openPostgres(target.url, { max: 1 });
    try {
      const c = await db.selectFrom('connections').select(['secret_ciphertext', 'secret_last4']).executeTakeFirstOrThrow();
      expect(c.secret_ciphertext).not.toContain(SECRET);
      expect(c.secret_last4).toBe(SECRET.slice(-4));
    } finally {
      await db.destroy();
    }
  });

  it('numbers new rows past every copied id, deleted ones too', async () => {
    const db = openPostgres(target.url, { max: 1 });
    try {
      const top = await db.selectFrom('people').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      const person = await db.insertInto('people').values({ login: 'newcomer-after-move', github_id: null, name: null, first_seen_at: null, last_seen_at: null, raw_id: null }).returning('id').executeTakeFirstOrThrow();
      expect(person.id).toBe(Number(top.id) + 1);
      const lite = new SQLite(dbPath, { readonly: true });
      const handedOut = Number((lite.prepare("select seq from sqlite_sequence where name = 'jobs'").get() as { seq: number }).seq);
      lite.close();
      const job = await db.insertInto('jobs').values({ task: 'noop', payload: '{}', key: 'after-move', run_at: new Date().toISOString(), created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
      expect(job.id).toBe(handedOut + 1);
      // file_changes keeps SQLite's order in an identity of its own; the next change goes last.
      const change = await db.selectFrom('file_changes').select(['repo_id', 'sha']).executeTakeFirstOrThrow();
      await db.insertInto('file_changes').values({ ...change, path: 'after-move.txt', status: 'A', old_path: null }).execute();
      const last = await sql<{ path: string }>`select path from file_changes order by rowid desc limit 1`.execute(db);
      expect(last.rows[0]!.path).toBe('after-move.txt');
    } finally {
      await db.destroy();
    }
  });

  it('reports on PostgreSQL exactly what it reported on SQLite', async () => {
    // PostgreSQL first: report brings signals up to date, which writes to the SQLite file.
    const onPg = await guidepost(['report', '--json', '--database-url', target.url], 120_000, cliEnv(sim, dir));
    const onSqlite = await guidepost(['report', '--json', '--db', dbPath], 120_000, cliEnv(sim, dir));
    expect(onSqlite.code, onSqlite.stderr).toBe(0);
    expect(onPg.code, onPg.stderr).toBe(0);
    expect(JSON.parse(onSqlite.stdout).reviews.prs).toBeGreaterThan(0);
    expect(onPg.stdout).toBe(onSqlite.stdout);
  });
});
