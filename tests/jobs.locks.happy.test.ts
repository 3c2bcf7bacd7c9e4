import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enqueue } from '../jobs/queue.ts';
import { createRunner, type Runner } from '../jobs/job-runner.ts';
import { createLogger } from '../server/logger.ts';
import { createTestDb, type TestDb } from './harness.ts';

// A worker SIGKILLed on this host leaves its jobs locked. The other workers free them while they
// run (not only when one starts), instead of waiting out the lock timeout of ten minutes; the
// locks of a worker that is still alive stay.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of a process that ran and is gone. */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });
}

describe('locks of dead workers', () => {
  let t: TestDb;
  let runner: Runner | undefined;
  afterEach(async () => {
    await runner?.stop();
    await t?.close();
  });

  it('a job locked by a dead process on this host is freed and run while the runner is running; a live one keeps its lock', { timeout: 30_000 }, async () => {
    t = await createTestDb();
    const ran: string[] = [];
    runner = createRunner({
      db: t.db,
      logger: createLogger('silent'),
      services: {},
      pollMs: 50,
      deadLockCheckMs: 300,
      tasks: { work: { schema: z.object({ name: z.string() }), run: async (p: { name: string }) => void ran.push(p.name) } },
    });
    runner.start();
    // A first job run: the runner is past its start, so what frees the locks below is the periodic pass.
    await enqueue(t.db, { task: 'work', key: 'first', payload: { name: 'first' } });
    for (const until = Date.now() + 10_000; !ran.includes('first'); await sleep(20)) if (Date.now() > until) throw new Error('the first job did not run');

    // Queued for later, then locked and made due in one statement, so this runner cannot take them first.
    const lockedBy = async (key: string, worker: string) => {
      await enqueue(t.db, { task: 'work', key, payload: { name: key }, runAt: new Date(Date.now() + 3_600_000) });
      const now = new Date().toISOString();
      await t.db.updateTable('jobs').set({ locked_at: now, locked_by: worker, run_at: now }).where('key', '=', key).execute();
    };
    await lockedBy('orphan', `${hostname()}:${await deadPid()}:dead00`);
    await lockedBy('held', `${hostname()}:${process.ppid}:live00`);

    for (const until = Date.now() + 10_000; !ran.includes('orphan'); await sleep(50)) if (Date.now() > until) throw new Error('the dead worker’s job was not freed');
    await sleep(700); // two more passes
    expect(ran).toEqual(['first', 'orphan']);
    expect(await t.db.selectFrom('jobs').select(['key', 'locked_by']).execute()).toEqual([{ key: 'held', locked_by: `${hostname()}:${process.ppid}:live00` }]);
  });
});
