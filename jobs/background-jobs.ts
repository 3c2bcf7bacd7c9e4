import type { Db } from '../server/db/connect.ts';
import type { Config } from '../server/config.ts';
import type { Logger } from '../server/logger.ts';
import type { BackgroundJobs, DemoSimulator, DemoStarter } from '../server/deps.ts';
import { AppError } from '../server/errors.ts';
import { schemaGuardOf } from '../server/db/schema-guard.ts';
import { decryptSecret, loadSecretKey } from '../server/secrets.ts';
import { createRunner, type Runner } from './job-runner.ts';
import { startScheduler, type Scheduler } from './schedule.ts';
import { allTasks } from './tasks.ts';
import { deriveAfterSync, scopeUnchanged } from './derive/signals.derive.ts';
import { readDeriveState } from '../server/signals/history.ts';
import { enqueueDeriveCatchUp, enqueueDeriveSignals } from './derive.enqueue.ts';
import { HEARTBEAT_MS, readWorkers, recordHeartbeat, removeWorker } from './worker.status.ts';
import { ensurePacks } from './derive/packs.write.ts';
import type { BudgetSnapshot } from './github/budget.ts';
import { createGithubClient, type GithubAuth, type GithubClient } from './github/client.ts';
import { saveConnection } from './github/connect.ts';
import { githubError, isPermanent } from './github/errors.ts';
import { orgJobKeyPatterns, runnerConcurrency, type RepoSyncedEvent, type SyncServices } from './github/sync.ts';
import { likeOp } from '../server/db/dialect.ts';

// The server's sync machinery: API clients built from stored connections (one per org, so the
// budget of each token is tracked in one place), the job runner and the re-sync scheduler.

/** The routes' side (server/deps.ts) and what the composition root and tests drive. */
export interface SyncRuntime extends BackgroundJobs {
  services: SyncServices;
  runner: Runner;
  /** Budget left per org and resource, as the last answers reported it. */
  budget(): Promise<{ org: string; limits: BudgetSnapshot[] }[]>;
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

export interface SyncRuntimeOptions {
  concurrency?: number;
  /**
   * 'in-process' (the default; tests and embedding): derives run in this process right after each
   * repo, and a webhook's catch-up too. 'worker' (`guidepost worker`, one of maybe several): the
   * catch-up is a keyed job, so two workers never derive at once.
   */
  mode?: 'in-process' | 'worker';
}

export function createSyncRuntime(db: Db, config: Config, logger: Logger, o: SyncRuntimeOptions = {}): SyncRuntime {
  // One client per org, rebuilt when its stored connection changed (another process may have
  // changed it: the serving process saves connections, the worker only reads them).
  const clients = new Map<string, { gh: GithubClient; stamp: string }>();
  // Signals follow the data: after each repo the derive stage catches up on what is new. Repos
  // finish concurrently, so derives are chained to run one at a time.
  let deriving: Promise<void> = Promise.resolve();
  const deriveHere = (d: Db): Promise<void> => {
    deriving = deriving.then(() => deriveAfterSync(d)).then(
      () => undefined,
      (err: unknown) => logger.error({ err }, 'deriving signals failed'),
    );
    return deriving;
  };
  const derive = o.mode === 'worker' ? (d: Db) => enqueueDeriveCatchUp(d) : deriveHere;
  const onRepoSynced: SyncRuntime['onRepoSynced'] = [derive];
  // Webhook deliveries arrive in bursts: one derive waiting covers every delivery before it starts.
  let deriveWaiting = false;
  const dataChanged = async () => {
    if (o.mode === 'worker') return enqueueDeriveCatchUp(db);
    if (deriveWaiting) return;
    deriveWaiting = true;
    deriving = deriving.then(() => void (deriveWaiting = false));
    void deriveHere(db);
  };
  const concurrency = o.concurrency ?? 4;
  const services: SyncServices = {
    async clientFor(org) {
      const row = await db.selectFrom('connections').select(['api_url', 'secret_ciphertext', 'updated_at']).where('org', '=', org).executeTakeFirst();
      const stamp = row ? `${row.api_url}\n${row.secret_ciphertext}\n${row.updated_at}` : '';
      const cached = clients.get(org);
      if (cached && cached.stamp === stamp) return cached.gh;
      const { apiUrl, auth } = await connectionAuth(db, config, org);
      const gh = createGithubClient({ baseUrl: apiUrl, auth, logger, concurrency });
      clients.set(org, { gh, stamp });
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
  const runner = createRunner({ db, logger, tasks: allTasks(), services, concurrency: runnerConcurrency(concurrency), isPermanent, staleLockMs: config.jobLockTimeoutMs });
  const budgetNow = () => [...clients.entries()].map(([org, c]) => ({ org, limits: c.gh.budget() }));
  let scheduler: Scheduler | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let beating: Promise<void> = Promise.resolve();
  const startedAt = new Date().toISOString();
  // The heartbeat row tells a serving process that runs no jobs what this one knows (worker.status.ts).
  // Like every write, it stops once a newer Guidepost migrated the database (the guard logs that once).
  const guard = schemaGuardOf(db, logger);
  const beat = () => {
    beating = beating
      .then(() => guard.assertCurrent())
      .then(() => recordHeartbeat(db, { id: runner.workerId, startedAt, budget: budgetNow(), nextSyncAt: scheduler?.nextAt() ?? null }))
      .catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'conflict') return;
        logger.warn({ err: String(err) }, 'could not record the worker heartbeat');
      });
  };
  const runtime: SyncRuntime = {
    services,
    runner,
    onRepoSynced,
    demo: null,
    budget: async () => budgetNow(),
    nextSyncAt: async () => scheduler?.nextAt() ?? null,
    forget: (org) => void clients.delete(org),
    dataChanged,
    start() {
      if (scheduler) return;
      runner.start();
      scheduler = startScheduler(db, logger, config.syncIntervalMinutes, config.webhookSecret ? config.webhookResyncHours : null);
      beat();
      heartbeat = setInterval(beat, HEARTBEAT_MS);
      heartbeat.unref();
    },
    async stop() {
      scheduler?.stop();
      if (heartbeat) clearInterval(heartbeat);
      await runner.stop();
      await deriving; // one a webhook started, which no job waits for
      await beating;
      if (heartbeat) await removeWorker(db, runner.workerId).catch(() => {});
      heartbeat = null;
      await runtime.demo?.close();
      runtime.demo = null;
    },
  };
  return runtime;
}

/**
 * The background jobs as a serving process that runs none sees them (`serve --no-jobs`, or
 * `serve` with its child worker): budget and next re-sync from the workers' heartbeats, a
 * webhook's catch-up as a job. Changed connections need no notice: a worker compares the stored
 * row when it takes its cached client. The demo simulator still runs here (server/main.ts).
 */
export function jobsElsewhere(db: Db): BackgroundJobs {
  return {
    demo: null,
    budget: async () => (await readWorkers(db)).budget,
    nextSyncAt: async () => (await readWorkers(db)).nextSyncAt,
    forget() {},
    dataChanged: () => enqueueDeriveCatchUp(db),
  };
}

/** Starts the demo's simulator again for a stored demo connection, before any job may use it (the serving process: it holds the simulator). */
export async function restartDemo(db: Db, config: Config, logger: Logger, sync: BackgroundJobs, startDemo: DemoStarter): Promise<void> {
  try {
    const bound = await rebindDemo(db, config, startDemo);
    if (!bound) return;
    sync.demo = { url: bound.sim.url, org: bound.org, close: () => bound.sim.close() };
    sync.forget(bound.org);
    logger.info({ org: bound.org, url: bound.sim.url }, 'demo simulator started again for the stored demo connection');
  } catch (err) {
    logger.error({ err: String(err) }, 'could not start the demo simulator again; the demo sync cannot run');
  }
}

/**
 * When a demo connection is stored, starts its simulator again (same seed and scale, on the port
 * of the earlier run when it is free, so stored clone URLs still work) and points the connection
 * at it. Stored clone URLs that name the earlier URL are re-bound to the new one.
 */
async function rebindDemo(db: Db, config: Config, startDemo: DemoStarter): Promise<{ org: string; sim: DemoSimulator } | null> {
  const conn = await db.selectFrom('connections').select(['org', 'api_url']).where('is_demo', '=', 1).executeTakeFirst();
  if (!conn) return null;
  const before = conn.api_url.replace(/\/+$/, '');
  const port = Number(URL.canParse(before) ? new URL(before).port : '');
  const sim = await startDemo(Number.isInteger(port) && port > 0 ? { port } : {});
  try {
    await saveConnection(db, config, { org: conn.org, apiUrl: sim.url, auth: { kind: 'token', token: sim.token }, isDemo: true });
    if (sim.url !== before) {
      // Jobs hold no URL (they name the org); the stored clone URLs are re-bound here.
      await db.updateTable('repos').set((eb) => ({ clone_url: eb.fn<string>('replace', ['clone_url', eb.val(before), eb.val(sim.url)]) })).where('clone_url', likeOp(db), `${before}/%`).execute();
    }
    // Failures against the earlier run's simulator say nothing about this one: its jobs start afresh.
    await db
      .updateTable('jobs')
      .set({ attempts: 0, last_error: null, run_at: new Date().toISOString() })
      .where((eb) => eb.or(orgJobKeyPatterns(conn.org).map((k) => eb('key', likeOp(db), k))))
      .where('locked_at', 'is', null)
      .execute();
  } catch (err) {
    await sim.close();
    throw err;
  }
  return { org: conn.org, sim };
}

/**
 * What the signals need before the first request is served: week packs in the current layout
 * (a database derived by an older version is repacked here, since reads never write).
 */
export async function prepareSignals(db: Db): Promise<void> {
  await ensurePacks(db);
  // Derived for another org than the shown one (its connection was removed meanwhile): recompute.
  if ((await readDeriveState(db)) && !(await scopeUnchanged(db))) await enqueueDeriveSignals(db);
}
