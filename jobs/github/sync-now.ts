import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import { enqueue, listFailed } from '../queue.ts';
import { createRunner } from '../job-runner.ts';
import { allTasks } from '../tasks.ts';
import { isPermanent } from './errors.ts';
import { runnerConcurrency, SYNC_ORG, syncOrgJobKey, type SyncServices } from './sync.ts';

/** Enqueues a sync of `org` and runs the queue until it is done; returns the jobs that gave up. */
export async function syncNow(db: Db, logger: Logger, services: SyncServices, o: { org: string; since?: string; repos?: string[]; concurrency?: number; maxAttempts?: number; backoffBaseMs?: number }) {
  await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(o.org), payload: { org: o.org, ...(o.since ? { since: o.since } : {}), ...(o.repos ? { repos: o.repos } : {}) }, maxAttempts: o.maxAttempts ?? 3 });
  const runner = createRunner({ db, logger, tasks: allTasks(), services, concurrency: runnerConcurrency(o.concurrency ?? 4), backoffBaseMs: o.backoffBaseMs ?? 1000, isPermanent });
  await runner.drain();
  return listFailed(db);
}
