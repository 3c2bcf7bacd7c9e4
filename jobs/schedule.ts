import type { Db } from '../server/db/connect.ts';
import type { Logger } from '../server/logger.ts';
import { enqueue } from './queue.ts';
import { SYNC_ORG, syncOrgJobKey } from './github/sync.ts';

// Cron only enqueues (graphile-worker's rule): every N minutes each connected org gets a sync
// job; the job key makes a second enqueue while one waits a no-op refresh.

/** Enqueues a sync of every connected org now. */
export async function enqueueSyncAll(db: Db): Promise<number> {
  const orgs = await db.selectFrom('connections').select('org').execute();
  for (const { org } of orgs) await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(org), payload: { org } });
  return orgs.length;
}

export interface Scheduler {
  stop(): void;
  /** When the next scheduled sync is enqueued (ISO), or null when re-syncs are off. */
  nextAt(): string | null;
}

/** Re-syncs every `minutes` (0 turns it off). */
export function startScheduler(db: Db, logger: Logger, minutes: number): Scheduler {
  if (minutes <= 0) return { stop() {}, nextAt: () => null };
  const started = Date.now();
  const every = minutes * 60_000;
  const timer = setInterval(() => {
    enqueueSyncAll(db).then(
      (n) => logger.info({ orgs: n }, 'scheduled re-sync enqueued'),
      (err: unknown) => logger.error({ err: String(err) }, 'could not enqueue the scheduled re-sync'),
    );
  }, every);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    nextAt: () => new Date(started + (Math.floor((Date.now() - started) / every) + 1) * every).toISOString(),
  };
}
