import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { likeOp, skipLocked } from '../server/db/dialect.ts';
import type { Job } from '../server/db/database.ts';
import { DEFAULT_JOB_LOCK_TIMEOUT_SECONDS } from '../server/config.ts';

// Jobs are rows (graphile-worker style): a task name, a JSON payload, a key that de-duplicates,
// a lock, and retries with exponential backoff. Completing a job deletes its row; a job that
// ran out of attempts stays, with last_error, so the sync status can show why.

/** A lock older than this belongs to a worker that is presumed dead and may be taken over (GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS). */
export const DEFAULT_STALE_LOCK_MS = DEFAULT_JOB_LOCK_TIMEOUT_SECONDS * 1000;

export interface EnqueueInput {
  task: string;
  payload?: unknown;
  /** Jobs with the same key are one job: enqueueing again refreshes a waiting job, never duplicates it. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
  /**
   * A job of this key that is running now runs once more when it ends (a keyed job otherwise
   * ignores requests while it runs): for work whose input may have grown after the running job
   * read it, as new rows for the derive catch-up.
   */
  again?: boolean;
}

/** A worker id `host:pid:random`, so a restarted process can tell its dead predecessor's locks. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function enqueue(db: Db, input: EnqueueInput): Promise<void> {
  const now = new Date().toISOString();
  const row = {
    task: input.task,
    payload: JSON.stringify(input.payload ?? {}),
    key: input.key ?? null,
    run_at: (input.runAt ?? new Date()).toISOString(),
    max_attempts: input.maxAttempts ?? 10,
    created_at: now,
  };
  if (!input.key) {
    await db.insertInto('jobs').values(row).execute();
    return;
  }
  // A running job marks the request by a run_at later than its lock; complete() then leaves it
  // to run again. Marked before the upsert: if the job ends in between, the upsert makes a new one.
  if (input.again) await db.updateTable('jobs').set({ run_at: now }).where('key', '=', input.key).where('locked_at', 'is not', null).execute();
  // A running job (locked) keeps its payload; a waiting or given-up job is refreshed and retried.
  await db
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ payload: row.payload, run_at: row.run_at, max_attempts: row.max_attempts, attempts: 0, last_error: null }).where('jobs.locked_at', 'is', null),
    )
    .execute();
}

/**
 * Which jobs a worker takes: its tasks, and when `keys` is given only jobs whose key matches one
 * of those SQL LIKE patterns (the CLI runs the jobs of the org it syncs, never another's).
 */
export interface JobScope {
  tasks: readonly string[];
  keys?: readonly string[] | undefined;
}

function keySql(db: Db, keys: JobScope['keys']): RawBuilder<SqlBool> {
  if (!keys) return sql<SqlBool>`1 = 1`;
  if (keys.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(keys.map((k) => sql`key ${sql.raw(likeOp(db))} ${k}`), sql` OR `)})`;
}

/**
 * Takes the next due job for one of `tasks` and locks it for `workerId`. One UPDATE … RETURNING
 * statement, so two workers never claim the same job. Locks older than `staleMs` are taken over.
 */
export async function claim(db: Db, workerId: string, tasks: readonly string[], staleMs = DEFAULT_STALE_LOCK_MS, keys?: readonly string[]): Promise<Job | undefined> {
  if (tasks.length === 0) return undefined;
  const now = new Date();
  const staleBefore = new Date(now.getTime() - staleMs).toISOString();
  const res = await sql<Job>`
    UPDATE jobs SET locked_at = ${now.toISOString()}, locked_by = ${workerId}
    WHERE id = (
      SELECT id FROM jobs
      WHERE run_at <= ${now.toISOString()} AND attempts < max_attempts
        AND task IN (${sql.join(tasks.map((t) => sql`${t}`))})
        AND ${keySql(db, keys)}
        AND (locked_at IS NULL OR locked_at < ${staleBefore})
      ORDER BY run_at, id LIMIT 1${skipLocked(db)})
    RETURNING *`.execute(db);
  return res.rows[0];
}

/**
 * Unlocks jobs held by processes on this host that no longer exist (a SIGKILLed sync or worker),
 * so they resume at once instead of after the lock timeout. Only the dead worker's own locks are
 * cleared: a job another worker took over meanwhile keeps its new lock.
 */
export async function releaseDeadLocks(db: Db): Promise<number> {
  const lockers = await db.selectFrom('jobs').select('locked_by').distinct().where('locked_by', 'is not', null).execute();
  const host = hostname();
  const dead = lockers.map((j) => j.locked_by ?? '').filter((lockedBy) => {
    const [h, pidText] = lockedBy.split(':');
    const pid = Number(pidText);
    return h === host && Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
  });
  if (dead.length === 0) return 0;
  const res = await db.updateTable('jobs').set({ locked_at: null, locked_by: null }).where('locked_by', 'in', dead).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the finished job, or unlocks it when it was asked for again while it ran (EnqueueInput.again). */
export async function complete(db: Db, job: Pick<Job, 'id' | 'locked_by'>): Promise<void> {
  const done = await db.deleteFrom('jobs').where('id', '=', job.id).where('locked_by', '=', job.locked_by).whereRef('run_at', '<=', 'locked_at').executeTakeFirst();
  if (Number(done.numDeletedRows) > 0) return;
  await db.updateTable('jobs').set({ locked_at: null, locked_by: null }).where('id', '=', job.id).where('locked_by', '=', job.locked_by).execute();
}

/** Exponential backoff: base · 2^(attempts−1), capped at an hour (graphile-worker uses e^attempts s). */
export function backoffMs(attempts: number, baseMs = 2000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** Records a failed attempt: attempts+1, last_error, unlocked, run again after the backoff. */
export async function fail(db: Db, job: Pick<Job, 'id' | 'attempts' | 'max_attempts' | 'locked_by'>, message: string, baseMs?: number, giveUp = false): Promise<void> {
  const attempts = giveUp ? Math.max(job.max_attempts, job.attempts + 1) : job.attempts + 1;
  await db
    .updateTable('jobs')
    .set({ attempts, last_error: message.slice(0, 2000), locked_at: null, locked_by: null, run_at: new Date(Date.now() + backoffMs(attempts, baseMs)).toISOString() })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.locked_by)
    .execute();
}

/** Jobs still to run (waiting, backing off or running), for the tasks (and keys) given. */
export async function countOpen(db: Db, tasks: readonly string[], keys?: readonly string[]): Promise<number> {
  if (tasks.length === 0) return 0;
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('task', 'in', [...tasks])
    .where(keySql(db, keys))
    .whereRef('attempts', '<', 'max_attempts')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the first job backing off (for the tasks and keys given) is due again. */
export async function nextRunAt(db: Db, tasks: readonly string[], keys?: readonly string[]): Promise<string | undefined> {
  if (tasks.length === 0) return undefined;
  const row = await db.selectFrom('jobs').select('run_at').where('task', 'in', [...tasks]).where(keySql(db, keys)).whereRef('attempts', '<', 'max_attempts').orderBy('run_at').executeTakeFirst();
  return row?.run_at;
}

/** Jobs that used up their attempts (only those whose key matches `keys`, when given); they stay until enqueued again under the same key. */
export async function listFailed(db: Db, keys?: readonly string[]): Promise<Job[]> {
  return db.selectFrom('jobs').selectAll().whereRef('attempts', '>=', 'max_attempts').where(keySql(db, keys)).orderBy('id').execute();
}
