import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { claim, complete, enqueue, fail, listFailed } from '../jobs/queue.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { createLogger } from '../server/logger.ts';
import { createTestDb, type TestDb } from './harness.ts';

describe('the jobs queue', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('keeps one job per key, however often it is enqueued', async () => {
    t = await createTestDb();
    await enqueue(t.db, { task: 'a', key: 'k', payload: { n: 1 } });
    await enqueue(t.db, { task: 'a', key: 'k', payload: { n: 2 } });
    const rows = await t.db.selectFrom('jobs').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ n: 2 });
  });

  it('gives a job to one worker only, and takes over a lock left by a dead worker after the timeout', async () => {
    t = await createTestDb();
    await enqueue(t.db, { task: 'a', key: 'k' });
    const first = await claim(t.db, 'w1', ['a']);
    expect(first?.locked_by).toBe('w1');
    expect(await claim(t.db, 'w2', ['a'])).toBeUndefined();
    await new Promise((r) => setTimeout(r, 30));
    const taken = await claim(t.db, 'w2', ['a'], 10);
    expect(taken?.id).toBe(first!.id);
    expect(taken?.locked_by).toBe('w2');
    // The old worker can no longer complete it.
    await complete(t.db, first!);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toHaveLength(1);
    await complete(t.db, taken!);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toHaveLength(0);
  });

  it('retries a failed job later, with a growing delay, and keeps it with its error once out of attempts', async () => {
    t = await createTestDb();
    await enqueue(t.db, { task: 'a', key: 'k', maxAttempts: 2 });
    const j1 = (await claim(t.db, 'w', ['a']))!;
    await fail(t.db, j1, 'boom 1', 60_000);
    expect(await claim(t.db, 'w', ['a'])).toBeUndefined(); // backing off
    const row = await t.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe('boom 1');
    expect(Date.parse(row.run_at) - Date.now()).toBeGreaterThan(50_000);
    await t.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).execute();
    const j2 = (await claim(t.db, 'w', ['a']))!;
    await fail(t.db, j2, 'boom 2', 60_000);
    expect((await listFailed(t.db)).map((j) => j.last_error)).toEqual(['boom 2']);
  });

  it('runs tasks with checked payloads; a bad payload fails the job with a clear error', async () => {
    t = await createTestDb();
    const seen: number[] = [];
    const runner = createRunner({
      db: t.db,
      logger: createLogger('silent'),
      services: {},
      concurrency: 2,
      backoffBaseMs: 1,
      tasks: { add: { schema: z.object({ n: z.number() }), run: async (p: { n: number }) => void seen.push(p.n) } },
    });
    await enqueue(t.db, { task: 'add', payload: { n: 1 } });
    await enqueue(t.db, { task: 'add', payload: { n: 2 } });
    await enqueue(t.db, { task: 'add', payload: { n: 'three' }, maxAttempts: 1 });
    await runner.drain();
    expect(seen.sort()).toEqual([1, 2]);
    const failed = await listFailed(t.db);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.last_error).toContain('n:');
  });

  it('runs a keyed job once more when it is asked for again while it runs (again: true), and only then', async () => {
    t = await createTestDb();
    // What the task sees each run, and a request for the same key made while the first run is in its work.
    const runs: number[] = [];
    let rows = 1;
    const runner = createRunner({
      db: t.db,
      logger: createLogger('silent'),
      services: {},
      concurrency: 1,
      tasks: {
        derive: {
          schema: z.object({}),
          run: async () => {
            runs.push(rows);
            if (runs.length === 1) {
              await new Promise((r) => setTimeout(r, 5)); // the request comes after this run took the job
              rows++;
              await enqueue(t.db, { task: 'derive', key: 'k', again: true });
            }
          },
        },
      },
    });
    await enqueue(t.db, { task: 'derive', key: 'k', again: true });
    await runner.drain();
    // The second run saw the row that arrived during the first; then nothing was left to do.
    expect(runs).toEqual([1, 2]);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);

    // Without `again`, a request while the job runs is folded into the running job (the old rule, for syncs).
    await enqueue(t.db, { task: 'a', key: 'plain' });
    const job = await claim(t.db, 'w1', ['a']);
    await new Promise((r) => setTimeout(r, 5));
    await enqueue(t.db, { task: 'a', key: 'plain' });
    await complete(t.db, job!);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });
});
