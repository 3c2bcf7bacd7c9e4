import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { createTestDb, type TestDb } from './harness.ts';
import { backupDatabase, keptCopiesDir, restoreDatabase } from '../server/db/backup.ts';
import type { Db } from '../server/db/connect.ts';

async function addPeople(db: Db, from: number, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ login: `person${from + i}`, name: `Person ${from + i}` }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('people').values(rows.slice(i, i + 200)).execute();
}

async function countPeople(db: Db): Promise<number> {
  const row = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function countIn(file: string): number {
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from people').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const run = promisify(execFile);
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/guidepost.js', ...args], { env: { ...process.env, GUIDEPOST_LOG_LEVEL: 'silent' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('backup and restore', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('backs up a live database, and restore brings it back while the one it replaced is kept', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    await addPeople(t.db, 0, 1000);
    const file = join(t.dir, 'backup.db');
    const result = await backupDatabase(t.config.dbPath, file);
    expect(result.bytes).toBeGreaterThan(0);
    expect(countIn(file)).toBe(1000);

    // Life goes on after the backup: rows are lost and others added.
    await t.db.deleteFrom('people').where('login', 'like', 'person1%').execute();
    await addPeople(t.db, 5000, 10);
    const changed = await countPeople(t.db);
    expect(changed).not.toBe(1000);

    // Restore swaps files, so it wants the database closed, as after stopping the server.
    await t.db.destroy();
    const { kept } = await restoreDatabase(t.config.dbPath, file, { keptDir: keptCopiesDir(t.config.dataDir) });
    expect(countIn(t.config.dbPath)).toBe(1000);
    expect(kept).toMatch(/backups\/guidepost-\d{8}-\d{6}\.db$/);
    expect(countIn(kept!)).toBe(changed);
  });

  it('refuses to overwrite an existing file unless told to', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    const file = join(t.dir, 'exists.db');
    writeFileSync(file, 'keep me');
    await expect(backupDatabase(t.config.dbPath, file)).rejects.toThrow(/exists already/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses to restore anything that is not an intact Guidepost database, changing nothing', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    await addPeople(t.db, 0, 50);
    const garbage = join(t.dir, 'garbage.db');
    writeFileSync(garbage, Buffer.from('this is not a database at all'.repeat(100)));
    const foreign = join(t.dir, 'foreign.db');
    const other = new SQLite(foreign);
    other.exec('create table notes (id integer primary key, text text)');
    other.close();
    const good = join(t.dir, 'good.db');
    await backupDatabase(t.config.dbPath, good);
    const truncated = join(t.dir, 'truncated.db');
    const bytes = readFileSync(good);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));

    for (const file of [garbage, foreign, truncated, join(t.dir, 'missing.db')]) {
      await expect(restoreDatabase(t.config.dbPath, file, { keptDir: keptCopiesDir(t.config.dataDir) }), file).rejects.toThrow(/not an intact SQLite database|not a Guidepost database|no file/);
    }
    expect(await countPeople(t.db)).toBe(50);
    expect(existsSync(keptCopiesDir(t.config.dataDir))).toBe(false);
  });

  it('works from the command line', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    await addPeople(t.db, 0, 20);
    const file = join(t.dir, 'cli-backup.db');
    const backup = await cli(['backup', file, '--db', t.config.dbPath]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backed up .* to .*cli-backup\.db/);
    expect(countIn(file)).toBe(20);
  });
});

describe('guidepost backup FILE', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('leaves only FILE beside it: no partial copy and no -wal or -shm of one', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    await addPeople(t.db, 0, 30);
    const dir = join(t.dir, 'out');
    mkdirSync(dir);
    const file = join(dir, 'b.db');
    const r = await cli(['backup', file, '--db', t.config.dbPath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['b.db']);
    // And opening the backup later leaves nothing behind either: it is a single-file database.
    expect(countIn(file)).toBe(30);
    expect(readdirSync(dir)).toEqual(['b.db']);
  });
});
