import type { Db } from '../server/db/connect.ts';
import type { Config } from '../server/config.ts';
import type { Logger } from '../server/logger.ts';
import type { BackgroundJobs } from '../server/deps.ts';
import { AppError } from '../server/errors.ts';
import { decryptSecret, loadSecretKey } from '../server/secrets.ts';
import { createRunner, type Runner } from './job-runner.ts';
import { startScheduler, type Scheduler } from './schedule.ts';
import { allTasks } from './tasks.ts';
import { deriveAfterSync } from './derive/signals.derive.ts';
import { ensurePacks } from './derive/packs.write.ts';
import type { BudgetSnapshot } from './github/budget.ts';
import { createGithubClient, type GithubAuth, type GithubClient } from './github/client.ts';
import { githubError, isPermanent } from './github/errors.ts';
import { runnerConcurrency, type RepoSyncedEvent, type SyncServices } from './github/sync.ts';

// The server's sync machinery: API clients built from stored connections (one per org, so the
// budget of each token is tracked in one place), the job runner and the re-sync scheduler.

/** The routes' side (server/deps.ts) and what the composition root and tests drive. */
export interface SyncRuntime extends BackgroundJobs {
  services: SyncServices;
  runner: Runner;
  /** Budget left per org and resource, as the last answers reported it. */
  budget(): { org: string; limits: BudgetSnapshot[] }[];
  /** Hooks run after each repo sync (e.g. the signals stage re-deriving). */
  onRepoSynced: ((db: Db, e: RepoSyncedEvent) => Promise<void>)[];
  start(): void;
  stop(): Promise<void>;
}

/** Auth of a stored connection, decrypted. */
export async function connectionAuth(db: Db, config: Config, org: string): Promise<{ apiUrl: string; auth: GithubAuth }> {
  const c = await db.selectFrom('connections').selectAll().where('org', '=', org).executeTakeFirst();
  if (!c) throw new AppError('not_found', `No connection for the organisation "${org}". Connect it first (POST /api/connections).`);
  const secret = decryptSecret(loadSecretKey(config), c.secret_ciphertext);
  const auth: GithubAuth = c.auth_kind === 'app' ? { kind: 'app', appId: c.app_id ?? '', installationId: c.installation_id ?? '', privateKey: secret } : { kind: 'token', token: secret };
  return { apiUrl: c.api_url, auth };
}

export function createSyncRuntime(db: Db, config: Config, logger: Logger, o: { concurrency?: number } = {}): SyncRuntime {
  const clients = new Map<string, GithubClient>();
  // Signals follow the data: after each repo the derive stage catches up on what is new. Repos
  // finish concurrently, so derives are chained to run one at a time.
  let deriving: Promise<void> = Promise.resolve();
  const derive = (d: Db): Promise<void> => {
    deriving = deriving.then(() => deriveAfterSync(d)).then(
      () => undefined,
      (err: unknown) => logger.error({ err }, 'deriving signals failed'),
    );
    return deriving;
  };
  const onRepoSynced: SyncRuntime['onRepoSynced'] = [derive];
  const concurrency = o.concurrency ?? 4;
  const services: SyncServices = {
    async clientFor(org) {
      const cached = clients.get(org);
      if (cached) return cached;
      const { apiUrl, auth } = await connectionAuth(db, config, org);
      const gh = createGithubClient({ baseUrl: apiUrl, auth, logger, concurrency });
      clients.set(org, gh);
      return gh;
    },
    // Git needs a token too: a GitHub App's installation token comes from the org's cached client,
    // so clones share its one exchange an hour with the API calls.
    async tokenFor(org) {
      const gh = await services.clientFor(org);
      try {
        return await gh.gitToken();
      } catch (err) {
        throw githubError(err, gh.baseUrl);
      }
    },
    dataDir: config.dataDir,
    backfillDays: config.backfillDays,
    onRepoSynced,
  };
  const runner = createRunner({ db, logger, tasks: allTasks(), services, concurrency: runnerConcurrency(concurrency), isPermanent });
  let scheduler: Scheduler | null = null;
  const runtime: SyncRuntime = {
    services,
    runner,
    onRepoSynced,
    demo: null,
    budget: () => [...clients.entries()].map(([org, gh]) => ({ org, limits: gh.budget() })),
    forget: (org) => void clients.delete(org),
    start() {
      runner.start();
      scheduler = startScheduler(db, logger, config.syncIntervalMinutes);
    },
    async stop() {
      scheduler?.stop();
      await runner.stop();
      await runtime.demo?.close();
      runtime.demo = null;
    },
  };
  return runtime;
}

/**
 * What the signals need before the first request is served: week packs in the current layout
 * (a database derived by an older version is repacked here, since reads never write).
 */
export async function prepareSignals(db: Db): Promise<void> {
  await ensurePacks(db);
}
