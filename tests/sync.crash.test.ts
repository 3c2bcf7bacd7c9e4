import { spawn } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/connect.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, tempDir, type TestDb } from './harness.ts';
import { domainSnapshot, SINCE, syncInProcess } from './sync.fixture.ts';

// The sync runs as the real CLI in a child process and is SIGKILLed once the database holds k
// stored answers, for several k spread over the whole sync; each restart must resume.

function startCli(sim: RunningSimulator, dbPath: string) {
  return spawn(process.execPath, ['bin/guidepost.js', 'sync', '--org', sim.org.org.login, '--api-url', sim.url, '--since', SINCE, '--db', dbPath, '--no-knowledge'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, GITHUB_TOKEN: sim.token, GUIDEPOST_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('a sync killed at random points', () => {
  let sim: RunningSimulator;
  let reference: TestDb;
  const dir = tempDir();
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, scale: 'tiny', git: false, latencyMs: 20 });
    reference = await createTestDb();
    await syncInProcess(reference.db, sim);
  }, 120_000);
  afterAll(async () => {
    await reference?.close();
    await sim?.close();
    dir.cleanup();
  });

  it('ends, after restarts, with the same database content as an uninterrupted sync', async () => {
    const dbPath = join(dir.dir, 'killed.db');
    const total = Number((await reference.db.selectFrom('raw_responses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // Kill points: 5 distinct numbers of stored answers, spread from the first page to the last.
    const points = [...new Set(Array.from({ length: 5 }, (_, i) => Math.max(1, Math.floor(((i + Math.random()) * total) / 5.5))))].sort((a, b) => a - b);
    expect(points.length).toBeGreaterThanOrEqual(4);
    let kills = 0;
    for (const k of points) {
      const child = startCli(sim, dbPath);
      const done = exited(child);
      let finished = false;
      void done.then(() => (finished = true));
      // Watch the child's database (WAL lets us read while it writes) and kill it at k answers.
      while (!finished) {
        await new Promise((r) => setTimeout(r, 15));
        let n = 0;
        // Read-only and only once the child made the file: the watcher must never create the
        // database or change its journal mode under the child (that lock makes the child fail).
        try {
          const sqlite = new SQLite(dbPath, { readonly: true, fileMustExist: true });
          try {
            n = (sqlite.prepare('SELECT count(*) AS n FROM raw_responses').get() as { n: number }).n;
          } finally {
            sqlite.close();
          }
        } catch {
          n = 0;
        }
        if (n >= k) {
          child.kill('SIGKILL');
          kills++;
          break;
        }
      }
      await done;
    }
    expect(kills).toBeGreaterThanOrEqual(4);
    const last = startCli(sim, dbPath);
    let out = '';
    last.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    expect(await exited(last)).toBe(0);
    expect(out).toContain('pull requests');
    const { db } = openDatabase(dbPath);
    try {
      const got = await domainSnapshot(db);
      const want = await domainSnapshot(reference.db);
      for (const table of Object.keys(want) as (keyof typeof want)[]) {
        const missing = want[table].filter((r) => !got[table].includes(r)).slice(0, 3);
        const extra = got[table].filter((r) => !want[table].includes(r)).slice(0, 3);
        expect({ table, missing, extra }).toEqual({ table, missing: [], extra: [] });
      }
      expect(got).toEqual(want);
    } finally {
      await db.destroy();
    }
  }, 240_000);
});
