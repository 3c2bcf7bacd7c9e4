import type { Db } from '../server/db/connect.ts';
import { enqueue } from './queue.ts';

// The full recompute of the signals as a job: its name and key, for the routes that queue it
// (settings) without reaching into jobs/derive, and for the task itself (derive/derive.task.ts).

export const DERIVE_SIGNALS = 'derive:signals';

/** One recompute waits at a time however many saves queue it. */
export const DERIVE_SIGNALS_KEY = 'derive:signals';

/** Queues the recompute (after a settings change); it runs once a job runner runs. */
export async function enqueueDeriveSignals(db: Db): Promise<void> {
  await enqueue(db, { task: DERIVE_SIGNALS, key: DERIVE_SIGNALS_KEY });
}

/** The signals catching up on rows written since the last derive (a repo synced, a webhook delivery), as a job. */
export const DERIVE_CATCH_UP = 'derive:catch-up';

/**
 * Queues the catch-up where the jobs run in another process (or in several): the key makes a
 * burst of deliveries one job, and one job at a time means two workers never derive at once.
 */
export async function enqueueDeriveCatchUp(db: Db): Promise<void> {
  // Rows that arrive after a running catch-up read the raw answers would otherwise wait for the next.
  await enqueue(db, { task: DERIVE_CATCH_UP, key: DERIVE_CATCH_UP, again: true });
}
