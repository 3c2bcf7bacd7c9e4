import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/connect.ts';
import { guidepost } from './cli.fixture.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { OrgBuilder, at } from './signals.fixture.ts';

// `guidepost restore` as a user runs it, on a live database nobody else has open: every
// replaced database is kept, every kept one can be restored, and a file that is not an intact
// Guidepost database of this version or older changes nothing.

interface State {
  integrity: string;
  people: number;
  repos: number;
  pull_requests: number;
}

/** What a database holds; opened read-write so closing it leaves no -wal or -shm behind. */
function stateOf(file: string): State {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { integrity: db.pragma('integrity_check', { simple: true }) as string, people: count('people'), repos: count('repos'), pull_requests: count('pull_requests') };
  } finally {
    db.close();
  }
}

/** The kept copies `restore --list` prints, newest first. */
async function listed(args: string[]): Promise<string[]> {
  const r = await guidepost(['restore', '--list', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return [...r.stdout.matchAll(/(\S+guidepost-\d{8}-\d{6}(?:-\d+)?\.db)/g)].map((m) => m[1]!);
}

function keptFiles(): string[] {
  return existsSync(backups) ? readdirSync(backups).sort() : [];
}

let t: TestDb;
let args: string[];
let sources: string;
let backups: string;
/** What the database held when it was backed up, and after it changed. */
const OLD: State = { integrity: 'ok', people: 3, repos: 1, pull_requests: 2 };
const NEW: State = { integrity: 'ok', people: 5, repos: 2, pull_requests: 3 };

beforeAll(async () => {
  t = await createTestDb({}, { engine: 'sqlite' });
  args = ['--db', t.config.dbPath, '--data-dir', t.dir];
  sources = join(t.dir, 'sources');
  backups = join(t.dir, 'backups');
  mkdirSync(sources);
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  for (const l of ['ana', 'ben', 'cy']) await org.person(l);
  await org.pr({ author: 'ana', created: at(30), merged: at(29) });
  await org.pr({ author: 'ben', created: at(20) });
  // The live database is open by nobody while the CLI restores it, as after stopping the server.
  await t.db.destroy();
  const b = await guidepost(['backup', join(sources, 'old.db'), ...args]);
  expect(b.code, b.stderr).toBe(0);
  const again = openDatabase(t.config.dbPath).db;
  const more = new OrgBuilder(again);
  await more.repo('web', 2);
  for (const l of ['dee', 'eli']) await more.person(l);
  const dee = more.id('dee');
  await again.insertInto('pull_requests').values({ id: 2001, repo_id: 2, number: 1, title: 'PR 2001', author_id: dee, state: 'open', created_at: at(10), updated_at: at(10), additions: 1, deletions: 0 }).execute();
  await again.destroy();
  expect(stateOf(t.config.dbPath)).toEqual(NEW);
}, 120_000);
afterAll(async () => t?.close().catch(() => undefined));

describe('guidepost restore', { timeout: 300_000 }, () => {
  it('restores a backup, and undoing it twice (restoring the kept copy each time) loses nothing', async () => {
    const first = await guidepost(['restore', join(sources, 'old.db'), ...args]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(stateOf(t.config.dbPath)).toEqual(OLD);
    const [keptNew] = await listed(args);
    expect(keptNew).toMatch(new RegExp(`^${backups}/guidepost-\\d{8}-\\d{6}(-\\d+)?\\.db$`));
    expect(first.stdout).toContain(keptNew);
    expect(stateOf(keptNew!)).toEqual(NEW);

    // Undo: the copy kept a moment ago comes back, and what it replaced is kept beside it.
    const undo = await guidepost(['restore', keptNew!, ...args]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(stateOf(t.config.dbPath)).toEqual(NEW);
    const afterUndo = await listed(args);
    expect(afterUndo).toHaveLength(2);
    expect(afterUndo[1]).toBe(keptNew);
    expect(stateOf(afterUndo[0]!)).toEqual(OLD);
    expect(stateOf(keptNew!)).toEqual(NEW);

    // Undo the undo: no kept copy is ever overwritten.
    const redo = await guidepost(['restore', afterUndo[0]!, ...args]);
    expect(redo.code, redo.stderr).toBe(0);
    expect(stateOf(t.config.dbPath)).toEqual(OLD);
    const afterRedo = await listed(args);
    expect(afterRedo).toHaveLength(3);
    expect(afterRedo.slice(1)).toEqual(afterUndo);
    expect(afterRedo.map(stateOf)).toEqual([NEW, OLD, NEW]);
    expect(existsSync(`${t.config.dbPath}.bak`)).toBe(false);
  });

  it('--list shows each kept copy with its date and size, newest first', async () => {
    const r = await guidepost(['restore', '--list', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const rows = lines.filter((l) => /guidepost-\d{8}-/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC +\d+(\.\d)? (KB|MB|bytes) +\S+\.db$/);
    const dates = rows.map((l) => l.slice(0, 19));
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('keeps no more copies than --keep says, dropping the oldest', async () => {
    const before = await listed(args);
    const r = await guidepost(['restore', join(sources, 'old.db'), '--keep', '2', ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(stateOf(t.config.dbPath)).toEqual(OLD);
    const after = await listed(args);
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(before[0]);
    expect(readdirSync(backups).sort()).toEqual(after.map((f) => f.slice(backups.length + 1)).sort());
    const bad = await guidepost(['restore', join(sources, 'old.db'), '--keep', '0', ...args]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual(['guidepost: --keep must be a whole number of at least 1, like 10 (not "0").']);
  });

  describe('a file that is not an intact Guidepost database changes nothing', () => {
    const cases: [string, (file: string) => void, RegExp][] = [
      [
        "another app's Kysely database (migrations this version does not know)",
        (file) => {
          const db = new SQLite(file);
          db.exec("create table kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null); insert into kysely_migration values ('2024_01_create_notes', '2024-01-01'), ('2024_02_tags', '2024-02-01'); create table notes (id integer primary key, body text); create table people (id integer primary key)");
          db.close();
        },
        /is not a Guidepost database: its migrations \(2024_01_create_notes, 2024_02_tags\) are not Guidepost's\. Nothing was changed\.$/,
      ],
      [
        "a Kysely database naming Guidepost's first migration over unrelated tables",
        (file) => {
          const db = new SQLite(file);
          db.exec("create table kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null); insert into kysely_migration values ('0001_init', '2024-01-01'); create table notes (id integer primary key, body text)");
          db.close();
        },
        /is not a Guidepost database: it lacks Guidepost's tables \(raw_responses, repos, people, .*\)\. Nothing was changed\.$/,
      ],
      [
        'a SQLite database with no migrations table',
        (file) => {
          const db = new SQLite(file);
          db.exec('create table notes (id integer primary key, body text)');
          db.close();
        },
        /is not a Guidepost database \(it has no kysely_migration table\)\. Nothing was changed\.$/,
      ],
      [
        'a database written by a newer Guidepost',
        (file) => {
          copyFileSync(join(sources, 'old.db'), file);
          const db = new SQLite(file);
          db.exec("insert into kysely_migration values ('9999_future', '2099-01-01')");
          db.close();
        },
        /was written by a newer Guidepost \(migration 9999_future\)\. Upgrade Guidepost, then restore it\. Nothing was changed\.$/,
      ],
      [
        'a truncated backup',
        (file) => {
          const bytes = readFileSync(join(sources, 'old.db'));
          writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
        },
        /is not an intact SQLite database \(.+\)\. Nothing was changed\.$/,
      ],
      ['a file that is no database at all', (file) => writeFileSync(file, 'not a database '.repeat(500)), /is not an intact SQLite database \(.+\)\. Nothing was changed\.$/],
    ];

    it.each(cases)('%s', async (_name, make, message) => {
      const file = join(sources, `${_name.replace(/\W+/g, '-')}.db`);
      make(file);
      const live = stateOf(t.config.dbPath);
      const files = readdirSync(t.dir).sort();
      const kept = keptFiles();
      const r = await guidepost(['restore', file, ...args]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(stateOf(t.config.dbPath)).toEqual(live);
      expect(live.integrity).toBe('ok');
      // No temporary copy left, and no kept copy made for a restore that did not happen.
      expect(readdirSync(t.dir).sort()).toEqual(files);
      expect(keptFiles()).toEqual(kept);
    });
  });

  it('refuses while another process has the database open, changing nothing', async () => {
    const live = stateOf(t.config.dbPath);
    const open = new SQLite(t.config.dbPath);
    open.pragma('journal_mode = WAL');
    open.prepare('select count(*) from people').get();
    try {
      const r = await guidepost(['restore', join(sources, 'old.db'), ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([`guidepost: ${t.config.dbPath} is in use by another process (is guidepost serve running?). Stop it, then restore again. Nothing was changed.`]);
    } finally {
      open.close();
    }
    expect(stateOf(t.config.dbPath)).toEqual(live);
  });

  it('says what to pass when FILE is missing or not given', async () => {
    const missing = join(sources, 'nope.db');
    const r = await guidepost(['restore', missing, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: There is no file at ${missing}. Pass a backup made by guidepost backup, or one of those guidepost restore --list shows.`]);
    const none = await guidepost(['restore', ...args]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim().split('\n')).toEqual(['guidepost: Say which backup to restore: guidepost restore FILE (guidepost restore --list shows the copies kept here).']);
  });
  it.each([
    ['is no database at all', (bytes: Buffer) => Buffer.from('lost '.repeat(bytes.length / 5))],
    ['has pages overwritten in the middle', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(bytes.length - 8192, 0x5a), bytes.subarray(bytes.length - 4096)])],
  ])('restores over a live file that %s, keeping that file as it was', async (_what, damage) => {
    const broken = damage(readFileSync(t.config.dbPath));
    writeFileSync(t.config.dbPath, broken);
    const r = await guidepost(['restore', join(sources, 'old.db'), ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(stateOf(t.config.dbPath)).toEqual(OLD);
    const [kept] = await listed(args);
    expect(r.stdout).toContain(kept);
    expect(readFileSync(kept!).length).toBe(broken.length);
  });
});
