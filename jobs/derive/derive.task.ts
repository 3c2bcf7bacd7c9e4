import { z } from 'zod';
import type { Db } from '../../server/db/connect.ts';
import { readSettings } from '../../server/settings.ts';
import type { TaskDef, TaskRegistry } from '../job-runner.ts';
import { DERIVE_SIGNALS } from '../derive.enqueue.ts';
import { deriveAll } from './signals.derive.ts';

// The full recompute of the signal tables as a job (jobs/derive.enqueue.ts queues it), so a
// settings change answers at once and the work runs in the job runner.

const settingsNow = async (db: Db) => JSON.stringify(await readSettings(db));

const Payload = z.object({});

const deriveSignals: TaskDef<unknown, z.infer<typeof Payload>> = {
  schema: Payload,
  async run(_payload, ctx) {
    // A save while this job runs finds its key locked and queues nothing (queue.ts), and
    // deriveAll read the settings when it began: go again until they held still throughout.
    for (;;) {
      const before = await settingsNow(ctx.db);
      await deriveAll(ctx.db);
      if ((await settingsNow(ctx.db)) === before) return;
      ctx.logger.info('settings changed while deriving; deriving again');
    }
  },
};

export const deriveTasks: TaskRegistry<unknown> = { [DERIVE_SIGNALS]: deriveSignals };
