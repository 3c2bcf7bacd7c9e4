// A seeded simulated org synced the way the server does it: the real job runner, the sync tasks,
// the git/knowledge stage and the derive after each repository; then the whole app over it.
import type { App } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { createGithubClient } from '../jobs/github/client.ts';
import { syncNow } from '../jobs/github/sync-now.ts';
import { deriveAfterSync } from '../jobs/derive/signals.derive.ts';
import { computeRepoKnowledge } from '../jobs/git/knowledge.job.ts';
import type { Db } from '../server/db/connect.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

export interface SyncedOrg {
  t: TestDb;
  app: App;
  sim: RunningSimulator;
  org: string;
  /** The simulator's planted "now": where its history ends. */
  now: string;
  close(): Promise<void>;
}

/** Syncs the seed's simulated org (API, git and knowledge) into a fresh database and derives its signals. */
export async function syncSeededOrg(o: { seed: number; scale: 'tiny' | 'small'; git: boolean }): Promise<SyncedOrg> {
  const sim = await startSimulator({ seed: o.seed, scale: o.scale, git: o.git });
  const t = await createTestDb();
  try {
    await syncInto(t, sim, o);
  } catch (err) {
    await sim.close();
    await t.close();
    throw err;
  }
  return {
    t,
    app: createTestApp(t),
    sim,
    org: sim.org.org.login,
    now: sim.org.now,
    async close() {
      await sim.close();
      await t.close();
    },
  };
}

/**
 * The sync, git/knowledge and derive stages of syncSeededOrg into a database of the caller's, from
 * a simulator of the caller's. `concurrency` 1 runs one job at a time, so rows get their ids in the
 * same order on every run.
 */
export async function syncInto(t: TestDb, sim: RunningSimulator, o: { git: boolean; concurrency?: number }): Promise<void> {
  const logger = createLogger('silent');
  const gh = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger, retryBaseMs: 20 });
  // As jobs/background-jobs.ts does: the derive follows each repository, one at a time.
  let deriving: Promise<unknown> = Promise.resolve();
  const derive = (db: Db) => (deriving = deriving.then(() => deriveAfterSync(db)));
  const failed = await syncNow(
    t.db,
    logger,
    { clientFor: async () => gh, tokenFor: async () => sim.token, dataDir: t.dir, backfillDays: 3650, onRepoSynced: [async (db) => void (await derive(db))], knowledge: o.git },
    { org: sim.org.org.login, since: SINCE, backoffBaseMs: 50, ...(o.concurrency ? { concurrency: o.concurrency } : {}) },
  );
  await deriving;
  if (failed.length) throw new Error(`sync jobs failed: ${failed.map((j) => `${j.task}: ${j.last_error}`).join('; ')}`);
  if (o.git) {
    // TEST SETUP: the knowledge job measures "departed" back from today; the simulated history
    // ends at its own now, so measure from there (as the demo org does) for a mix of both.
    for (const r of await t.db.selectFrom('repos').select('id').execute()) await computeRepoKnowledge(t.db, { repoId: r.id, now: sim.org.now });
  }
}
