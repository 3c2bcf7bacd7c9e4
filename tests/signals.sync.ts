import type { Db } from '../server/db/connect.ts';
import { createLogger } from '../server/logger.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { enqueue } from '../jobs/queue.ts';
import { createGithubClient } from '../jobs/github/client.ts';
import { SYNC_ORG, syncOrgJobKey, syncTasks, type SyncServices } from '../jobs/github/sync.ts';
import type { RunningSimulator } from '../simulator/start.ts';

/** Syncs the simulated org into `db` through the real job runner and sync tasks. */
export async function syncSimulatedOrg(db: Db, sim: RunningSimulator, dataDir: string, since: string, onRepoSynced: SyncServices['onRepoSynced'] = []): Promise<void> {
  const logger = createLogger('silent');
  const client = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger });
  const services: SyncServices = {
    clientFor: async () => client,
    dataDir,
    backfillDays: 3650,
    onRepoSynced,
    knowledge: false,
  };
  const runner = createRunner({ db, logger, tasks: syncTasks, services, concurrency: 4, backoffBaseMs: 50 });
  await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(sim.org.org.login), payload: { org: sim.org.org.login, since } });
  await runner.drain();
  const failed = await db.selectFrom('jobs').select(['task', 'last_error']).where('last_error', 'is not', null).execute();
  if (failed.length) throw new Error(`sync jobs failed: ${failed.map((f) => `${f.task}: ${f.last_error}`).join('; ')}`);
}
