import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './harness.ts';

// SQLite's file is shared by processes: serve and its worker, or the CLI beside a running server.
// A write that finds another one under way must wait for it without holding the event loop (so
// the dashboard's other requests go on), and a read must not wait at all.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const setting = (t: TestDb, key: string) => t.db.insertInto('settings').values({ key, value: '{}', updated_at: new Date().toISOString() }).execute();
const keys = async (t: TestDb) => (await t.db.selectFrom('settings').select('key').orderBy('key').execute()).map((r) => r.key);

describe('SQLite shared with another process', () => {
  let t: TestDb;
  let other: SQLite.Database | undefined;
  afterEach(async () => {
    other?.close();
    other = undefined;
    await t?.close();
  });

  it('a write waits for the other writer with the event loop free, reads go on meanwhile, and the write lands once the other commits', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    // Another process's write transaction: a second connection to the same file, as the worker has.
    other = new SQLite(t.config.dbPath);
    other.exec('BEGIN IMMEDIATE');
    other.prepare(`insert into settings (key, value, updated_at) values ('other', '{}', '2026-01-01T00:00:00Z')`).run();

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    const write = setting(t, 'mine').then(() => Date.now() - started);
    // While the write waits: a read answers at once, from what was committed.
    const readStarted = Date.now();
    expect(await keys(t)).toEqual([]);
    const readMs = Date.now() - readStarted;
    await sleep(300);
    other.exec('COMMIT');
    const writeMs = await write;
    clearInterval(ticker);

    expect(readMs).toBeLessThan(100);
    expect(writeMs).toBeGreaterThanOrEqual(300);
    // The timers ran while the write waited (about 30 of them); a write waiting inside SQLite would have stopped them.
    expect(ticks).toBeGreaterThan(10);
    expect(await keys(t)).toEqual(['mine', 'other']);
  });

  it('a write still refused after the wait fails with SQLite’s "database is locked", and writes nothing', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    other = new SQLite(t.config.dbPath);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(setting(t, 'mine')).rejects.toThrow(/database is locked/);
    // Bounded: the wait ends at about 5 s, not never.
    expect(Date.now() - started).toBeLessThan(7000);
    other.exec('ROLLBACK');
    expect(await keys(t)).toEqual([]);
  }, 15_000);

  it('a read does not wait for this process’s own open transaction, and sees its rows once committed', async () => {
    t = await createTestDb({}, { engine: 'sqlite' });
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    const tx = t.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'in-tx', value: '{}', updated_at: new Date().toISOString() }).execute();
      inside();
      await sleep(300);
    });
    await opened;
    const readStarted = Date.now();
    expect(await keys(t)).toEqual([]);
    expect(Date.now() - readStarted).toBeLessThan(100);
    await tx;
    expect(await keys(t)).toEqual(['in-tx']);
  });
});
