import { z } from 'zod';
import type { Db } from '../../server/db/connect.ts';
import { readSettings } from '../../server/settings.ts';
import type { TaskDef, TaskRegistry } from '../job-runner.ts';
import { DERIVE_CATCH_UP, DERIVE_SIGNALS } from '../derive.enqueue.ts';
import { deriveAfterSync, deriveAll } from './signals.derive.ts';
import { prepareReportsOrWarn } from './reports.prepare.ts';

// The signal derives as jobs (jobs/derive.enqueue.ts queues them): the full recompute, so a
// settings change answers at once and the work runs in the job runner; and the catch-up on new
// rows, where the jobs run in worker processes (one at a time however many workers there are).

const settingsNow = async (db: Db) => JSON.stringify(await readSettings(db));
const newestRawId = async (db: Db) => String((await db.selectFrom('raw_responses').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);

const Payload = z.object({});

/**
 * A derive job that goes again until `input` held still throughout a pass: what changes while
 * the job runs finds its key locked and queues nothing (queue.ts), so this job must take it.
 * What lands after the last look is the queue's: the catch-up is enqueued with `again`, so a
 * request made while it runs has it run once more.
 */
function deriveUntilStill(input: (db: Db) => Promise<string>, derive: (db: Db) => Promise<unknown>, again: string): TaskDef<unknown, z.infer<typeof Payload>> {
  return {
    schema: Payload,
    async run(_payload, ctx) {
      for (;;) {
        const before = await input(ctx.db);
        await derive(ctx.db);
        if ((await input(ctx.db)) !== before) {
          ctx.logger.info(again);
          continue;
        }
        // The signals are committed by now: reports not made ahead are made by the page that asks,
        // so a failure here is a warning, not a failed derive run again by the queue.
        const made = await prepareReportsOrWarn(ctx.db, (err, message) => ctx.logger.warn({ err }, message));
        if (made) ctx.logger.info(`made ${made.reports} reports for the period picker's windows in ${Math.round(made.ms)} ms`);
        return;
      }
    },
  };
}

// deriveAll reads the settings when it begins; the catch-up, the raw answers stored so far.
const deriveSignals = deriveUntilStill(settingsNow, deriveAll, 'settings changed while deriving; deriving again');
const deriveCatchUp = deriveUntilStill(newestRawId, (db) => deriveAfterSync(db), 'rows arrived while deriving; catching up again');

export const deriveTasks: TaskRegistry<unknown> = { [DERIVE_SIGNALS]: deriveSignals, [DERIVE_CATCH_UP]: deriveCatchUp };
