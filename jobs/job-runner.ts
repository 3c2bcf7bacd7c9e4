import type { z } from 'zod';
import type { Db } from '../server/db/connect.ts';
import type { Job } from '../server/db/database.ts';
import type { Logger } from '../server/logger.ts';
import { redactSecrets } from '../server/logger.ts';
import { AppError } from '../server/errors.ts';
import { schemaGuardOf } from '../server/db/schema-guard.ts';
import { claim, complete, countOpen, DEFAULT_STALE_LOCK_MS, enqueue, fail, newWorkerId, nextRunAt, releaseDeadLocks, type EnqueueInput } from './queue.ts';

/** What a task receives beside its payload. `services` is whatever the composition root wires in. */
export interface TaskContext<S> {
  db: Db;
  logger: Logger;
  job: Job;
  services: S;
  enqueue(input: EnqueueInput): Promise<void>;
}

/** A task is `async (payload, ctx)`; the payload arrives as unknown and is checked with `schema` first. Throwing means retry. */
export interface TaskDef<S, P = any> {
  schema: z.ZodType<P>;
  run(payload: P, ctx: TaskContext<S>): Promise<void>;
}

export type TaskRegistry<S> = Record<string, TaskDef<S>>;

export interface RunnerOptions<S> {
  db: Db;
  logger: Logger;
  tasks: TaskRegistry<S>;
  services: S;
  /** Jobs run at the same time. */
  concurrency?: number;
  pollMs?: number;
  /** First retry delay; doubles per attempt. */
  backoffBaseMs?: number;
  /** A lock not refreshed for this long is taken over (config.jobLockTimeoutMs); heartbeats come every third of it. */
  staleLockMs?: number;
  /** How often the locks of dead processes on this host are freed while polling (and once at start). */
  deadLockCheckMs?: number;
  /** Errors no retry can fix (a rejected token): the job gives up at once. */
  isPermanent?: (err: unknown) => boolean;
  /** Only jobs whose key matches one of these SQL LIKE patterns (queue.ts JobScope); all jobs of the tasks when absent. */
  keys?: readonly string[];
}

export interface Runner {
  readonly workerId: string;
  /** Polls for jobs until stop(). */
  start(): void;
  /** Stops claiming and waits for the jobs in hand. */
  stop(): Promise<void>;
  /** Runs jobs until none is left to run (finished or given up); for the CLI and tests. Throws the refusal once a newer Guidepost migrated the database. */
  drain(): Promise<void>;
}

export function createRunner<S>(opts: RunnerOptions<S>): Runner {
  const workerId = newWorkerId();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const pollMs = opts.pollMs ?? 1000;
  const deadLockCheckMs = opts.deadLockCheckMs ?? 10_000;
  const names = Object.keys(opts.tasks);
  // A newer Guidepost migrated the database under this one: claim nothing more (the guard logs it once).
  const guard = schemaGuardOf(opts.db, opts.logger);
  let refused: AppError | undefined;
  const inFlight = new Set<Promise<void>>();
  let stopped = true;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function runOne(job: Job): Promise<void> {
    const def = opts.tasks[job.task];
    const log = opts.logger.child({ job: job.id, task: job.task });
    // Heartbeat: a long job keeps its lock fresh, so only a dead worker's lock ever goes stale.
    const beat = setInterval(() => {
      opts.db.updateTable('jobs').set({ locked_at: new Date().toISOString() }).where('id', '=', job.id).where('locked_by', '=', workerId).execute().catch(() => {});
    }, Math.max(1000, (opts.staleLockMs ?? DEFAULT_STALE_LOCK_MS) / 3));
    beat.unref();
    try {
      if (!def) throw new Error(`No task named ${job.task}.`);
      const parsed = def.schema.safeParse(JSON.parse(job.payload));
      if (!parsed.success) throw new Error(`Job payload for ${job.task} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      await def.run(parsed.data, { db: opts.db, logger: log, job, services: opts.services, enqueue: (input) => enqueue(opts.db, input) });
      await complete(opts.db, job);
    } catch (err) {
      const message = redactSecrets(err instanceof Error ? err.message : String(err));
      log.warn({ attempt: job.attempts + 1, err: message }, 'job failed');
      try {
        await fail(opts.db, job, message, opts.backoffBaseMs, opts.isPermanent?.(err) ?? false);
      } catch (failErr) {
        log.error({ err: redactSecrets(String(failErr)) }, 'could not record a job failure');
      }
    } finally {
      clearInterval(beat);
      wake?.();
    }
  }

  /** Whether this process may still write jobs; false for good once the schema is newer than the code. */
  async function mayWrite(): Promise<boolean> {
    if (refused) return false;
    try {
      await guard.assertCurrent();
      return true;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      refused = err;
      return false;
    }
  }

  /** Claims as many jobs as there are free slots; returns how many it started. */
  async function fill(): Promise<number> {
    let started = 0;
    while (inFlight.size < concurrency && (await mayWrite())) {
      const job = await claim(opts.db, workerId, names, opts.staleLockMs, opts.keys);
      if (!job) break;
      const p: Promise<void> = runOne(job).finally(() => inFlight.delete(p));
      inFlight.add(p);
      started++;
    }
    return started;
  }

  function nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function pollLoop(): Promise<void> {
    // Not only at start: a worker SIGKILLed on this host frees its jobs for the others within seconds.
    let deadLocksAt = -Infinity;
    while (!stopped && !refused) {
      try {
        if (Date.now() - deadLocksAt >= deadLockCheckMs && (await mayWrite())) {
          await releaseDeadLocks(opts.db);
          deadLocksAt = Date.now();
        }
        await fill();
      } catch (err) {
        opts.logger.error({ err: redactSecrets(String(err)) }, 'job queue poll failed');
      }
      if (!refused) await nap(pollMs);
    }
    await Promise.all(inFlight);
  }

  return {
    workerId,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = pollLoop();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(inFlight);
    },
    async drain() {
      if (await mayWrite()) await releaseDeadLocks(opts.db);
      for (;;) {
        await fill();
        if (inFlight.size > 0) {
          await Promise.race(inFlight);
          continue;
        }
        if (refused) throw refused;
        if ((await countOpen(opts.db, names, opts.keys)) === 0) return;
        // Only jobs backing off remain: wait for the first to become due.
        const next = await nextRunAt(opts.db, names, opts.keys);
        const wait = next ? Math.max(0, Date.parse(next) - Date.now()) : pollMs;
        await nap(Math.min(Math.max(wait, 10), 60_000));
      }
    },
  };
}
