import type { Db } from '../server/db/connect.ts';
import type { Logger } from '../server/logger.ts';
import { enqueue } from './queue.ts';
import { SYNC_ORG, syncOrgJobKey } from './github/sync.ts';
import { likeOp } from '../server/db/dialect.ts';

// Cron only enqueues (graphile-worker's rule): every N minutes each connected org gets a sync
// job; the job key makes a second enqueue while one waits a no-op refresh.

/** Enqueues a sync of every connected org now (or of the orgs given). */
export async function enqueueSyncAll(db: Db, only?: readonly string[]): Promise<number> {
  const orgs = only ?? (await db.selectFrom('connections').select('org').execute()).map((c) => c.org);
  for (const org of orgs) await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(org), payload: { org } });
  return orgs.length;
}

/**
 * The connected orgs a scheduled re-sync polls. An org fed by webhooks (a delivery for it arrived
 * since its last finished sync) only needs the sync to reconcile what deliveries missed: it is
 * polled once its last sync is `reconcileMs` old, not every interval. An org whose deliveries
 * stop is polled every interval again. `reconcileMs` null (no webhook secret): every org, always.
 */
export async function orgsDueForSync(db: Db, now: number, reconcileMs: number | null): Promise<string[]> {
  const orgs = (await db.selectFrom('connections').select('org').orderBy('id').execute()).map((c) => c.org);
  if (reconcileMs === null) return orgs;
  const due: string[] = [];
  for (const org of orgs) {
    const lower = org.toLowerCase();
    const synced = await db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('status', '=', 'done')
      .where('scope', likeOp(db), `repo:${lower}/%`)
      .executeTakeFirst();
    const lastSync = synced?.at ? Date.parse(synced.at) : NaN;
    if (!Number.isFinite(lastSync) || now - lastSync >= reconcileMs) {
      due.push(org);
      continue;
    }
    const delivery = await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('org', likeOp(db), lower)
      .where('outcome', '=', 'applied')
      .where('received_at', '>', synced!.at!)
      .limit(1)
      .executeTakeFirst();
    if (!delivery) due.push(org);
  }
  return due;
}

export interface Scheduler {
  stop(): void;
  /** When the next scheduled sync is enqueued (ISO), or null when re-syncs are off. */
  nextAt(): string | null;
}

/** Re-syncs every `minutes` (0 turns it off); webhook-fed orgs only every `reconcileHours` (null: webhooks off). */
export function startScheduler(db: Db, logger: Logger, minutes: number, reconcileHours: number | null = null): Scheduler {
  if (minutes <= 0) return { stop() {}, nextAt: () => null };
  const started = Date.now();
  const every = minutes * 60_000;
  const reconcileMs = reconcileHours === null ? null : reconcileHours * 3_600_000;
  const timer = setInterval(() => {
    orgsDueForSync(db, Date.now(), reconcileMs)
      .then(async (orgs) => ({ orgs, n: await enqueueSyncAll(db, orgs) }))
      .then(
        ({ orgs, n }) => logger.info({ orgs: n, names: orgs }, 'scheduled re-sync enqueued'),
        (err: unknown) => logger.error({ err: String(err) }, 'could not enqueue the scheduled re-sync'),
      );
  }, every);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    nextAt: () => new Date(started + (Math.floor((Date.now() - started) / every) + 1) * every).toISOString(),
  };
}
