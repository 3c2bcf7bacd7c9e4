import { prepareReportsOrWarn } from '../jobs/derive/reports.prepare.ts';
import type { Command } from 'commander';
import { deriveAfterSync } from '../jobs/derive/signals.derive.ts';
import cliProgress from 'cli-progress';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createLogger } from '../server/logger.ts';
import { AppError } from '../server/errors.ts';
import { createGithubClient } from '../jobs/github/client.ts';
import type { BudgetWait } from '../jobs/github/budget.ts';
import { isPermanent } from '../jobs/github/errors.ts';
import { reextractAll } from '../jobs/github/extract.ts';
import { orgJobKeyPatterns, REPO_KNOWLEDGE, runnerConcurrency, SYNC_ORG, syncOrgJobKey, windowStart, type SyncServices } from '../jobs/github/sync.ts';
import { countOpen, enqueue, listFailed } from '../jobs/queue.ts';
import { createRunner } from '../jobs/job-runner.ts';
import { allTasks } from '../jobs/tasks.ts';
import { action, loadConfig, withDbOptions, type DbOptions } from './common.ts';

interface SyncOptions extends DbOptions {
  org?: string;
  apiUrl?: string;
  since?: string;
  repos?: string;
  reextract?: boolean;
  concurrency?: string;
  knowledge?: boolean;
}

export function registerSync(program: Command): void {
  withDbOptions(program.command('sync'))
    .description('sync a GitHub organisation into the database (token from GITHUB_TOKEN)')
    .option('--org <org>', 'organisation login, e.g. acme')
    .option('--api-url <url>', 'GitHub API base URL (env GITHUB_API_URL; default https://api.github.com)')
    .option('--since <date>', 'start of the backfill window, e.g. 2024-01-01 (default: GUIDEPOST_BACKFILL_DAYS, 365, before today)')
    .option('--repos <names>', 'only these repositories, comma-separated')
    .option('--reextract', 'rebuild every domain table from the stored raw answers, with no API call')
    .option('--concurrency <n>', 'requests and repositories at once (default 4)')
    .option('--no-knowledge', 'do not read git history after each repository')
    .action(action(async (opts: SyncOptions) => runSync(opts)));
}

async function runSync(opts: SyncOptions): Promise<void> {
  const config = loadConfig(opts, { GITHUB_API_URL: opts.apiUrl });
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, { sentences: true });
  const db = await connectDatabase(config);
  const started = Date.now();
  try {
    await migrateToLatest(db);
    if (opts.reextract) {
      const r = await reextractAll(db, logger);
      process.stderr.write(`Re-extracted ${r.rows} stored answers with no API call${r.failures ? `; ${r.failures} rows could not be extracted (see the log)` : ''}.\n`);
      await printSummary(db, opts.org, { units: 0, started });
      return;
    }
    if (!opts.org) throw new AppError('bad_request', 'Say which organisation to sync: guidepost sync --org ORG');
    if (!config.githubToken) throw new AppError('invalid_config', 'Set GITHUB_TOKEN to a GitHub token (make one at https://github.com/settings/tokens with the read:org scope, and repo for private repositories).');
    const since = parseSince(opts.since);
    const concurrency = opts.concurrency ? Number(opts.concurrency) : 4;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new AppError('bad_request', '--concurrency must be a whole number from 1 to 32.');
    const repos = opts.repos?.split(',').map((r) => r.trim()).filter(Boolean);

    // A spent rate limit is told with its reset, not by a bar frozen at "ETA 0s" for up to an hour:
    // inside the bar on a terminal, as one line per wait elsewhere (CI and pipes show no bar).
    const onWait = (w: BudgetWait) => {
      if (w.until - Date.now() >= MIN_TOLD_WAIT_MS && !process.stderr.isTTY) process.stderr.write(`GitHub's API budget (${w.resource}) is spent; waiting until ${resumesAt(w)} for it to reset.\n`);
    };
    const gh = createGithubClient({ baseUrl: config.githubApiUrl, auth: { kind: 'token', token: config.githubToken }, logger, concurrency, onWait });
    const bar = new cliProgress.SingleBar(
      {
        format: (o, params, payload) => {
          const wait = gh.waiting().find((w) => w.until - Date.now() >= MIN_TOLD_WAIT_MS);
          const tail = wait ? `rate limit (${wait.resource}) spent: resumes at ${resumesAt(wait)}` : 'ETA {eta_formatted}';
          return cliProgress.Format.Formatter({ ...o, format: `sync {bar} {value}/{total} repos | {prs} PRs | {units} API units | ${tail}` }, params, payload);
        },
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { prs: 0, units: 0 });
    const pullsByRepo = new Map<string, number>();
    const units = () => gh.stats().requests + gh.stats().graphqlPoints;
    const services: SyncServices = {
      clientFor: async () => gh,
      tokenFor: async () => config.githubToken,
      dataDir: config.dataDir,
      backfillDays: config.backfillDays,
      knowledge: opts.knowledge !== false,
      onRepoSynced: [async () => bar.increment(1, { units: units() })],
      onProgress: (e) => {
        if ('reposQueued' in e) bar.setTotal(Math.max(1, e.reposQueued));
        else pullsByRepo.set(e.repo, e.progress.pulls);
        bar.update({ prs: [...pullsByRepo.values()].reduce((a, b) => a + b, 0), units: units() });
      },
    };
    // This process runs the jobs of this org only, against this --api-url: jobs another process
    // queued for other orgs wait for it. Jobs of this org left by a sync that was killed resume,
    // after the org job has listed the repos again, so they read clone URLs of this API.
    const mine = orgJobKeyPatterns(opts.org);
    const tasks = allTasks();
    const leftover = await countOpen(db, Object.keys(tasks), mine);
    await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(opts.org), payload: { org: opts.org, ...(since ? { since } : {}), ...(repos ? { repos } : {}) }, maxAttempts: 2 });
    const run = (keys: string[]) => createRunner({ db, logger, tasks, services, concurrency: runnerConcurrency(concurrency), backoffBaseMs: 1000, isPermanent, keys, staleLockMs: config.jobLockTimeoutMs }).drain();
    if (leftover > 0) await run([syncOrgJobKey(opts.org)]);
    await run(mine);
    bar.stop();
    const failed = await listFailed(db, mine);
    const orgFailed = failed.find((j) => j.key === syncOrgJobKey(opts.org!));
    if (repos && !orgFailed) await checkSomeRepoKnown(db, opts.org, repos);
    // One derive at the end of a CLI sync, so `report` and the dashboard read fresh signals.
    process.stderr.write('deriving signals…\n');
    await deriveAfterSync(db);
    // The dashboard's period picker windows, made now so serve opens them without analysing.
    // The signals are stored by now; a page makes any report not made here, so this only warns.
    await prepareReportsOrWarn(db, (err, message) => process.stderr.write(`warning: ${message} (${err instanceof Error ? err.message : String(err)})\n`));

    if (orgFailed) throw new AppError('github_unreachable', orgFailed.last_error ?? 'The sync failed.');
    for (const j of failed.filter((f) => f.task !== SYNC_ORG)) {
      // A repository without knowledge says so itself ("knowledge unavailable: Could not clone
      // owner/name: …"); other jobs are named with their payload.
      process.stderr.write(`warning: ${j.task === REPO_KNOWLEDGE && j.last_error ? j.last_error : `${j.task} ${j.payload} failed: ${j.last_error}`}\n`);
    }
    const skipped = await db.selectFrom('sync_state').select(['scope', 'last_error']).where('scope', 'like', `repo:${opts.org}/%`).where('status', '=', 'failed').execute();
    for (const s of skipped) process.stderr.write(`warning: ${s.last_error ?? `${s.scope} failed`}\n`);
    await printSummary(db, opts.org, { units: units(), started, windowStart: windowStart(config.backfillDays, since) });
  } finally {
    await db.destroy();
  }
}

/**
 * Fails when no name given to --repos is a repository the org listed: the sync then did nothing,
 * which a typo must not pass for. Names that match some (the org job warned of the others) pass.
 */
async function checkSomeRepoKnown(db: Db, org: string, wanted: string[]): Promise<void> {
  const rows = await db.selectFrom('repos').select('name').where((eb) => eb(eb.fn('lower', ['owner']), '=', org.toLowerCase())).orderBy('name').execute();
  const known = new Set(rows.map((r) => r.name.toLowerCase()));
  if (wanted.some((w) => known.has(w.toLowerCase()))) return;
  const names = rows.map((r) => r.name);
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  const hint = names.length ? `Its repositories include ${shown}: pass some of those to --repos, or leave --repos out to sync them all.` : 'It has no repository this token can see.';
  throw new AppError('not_found', `${org} has no repository named ${orList(wanted)} that this token can see. ${hint}`);
}

/** Waits shorter than this pass unsaid: a bar or a line for a blink would be noise. */
const MIN_TOLD_WAIT_MS = 2000;

/** The end of a wait, as "21:05:12 UTC (in 12 min)". */
function resumesAt(w: BudgetWait): string {
  const s = Math.max(0, Math.round((w.until - Date.now()) / 1000));
  const left = s >= 90 ? `${Math.round(s / 60)} min` : `${s} s`;
  return `${new Date(w.until).toISOString().slice(11, 19)} UTC (in ${left})`;
}

function orList(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

function parseSince(since: string | undefined): string | undefined {
  if (!since) return undefined;
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw new AppError('bad_request', `--since must be a date like 2024-01-01, not "${since}".`);
  return new Date(t).toISOString();
}

async function printSummary(db: Db, org: string | undefined, o: { units: number; started: number; windowStart?: string }): Promise<void> {
  const repoQ = db.selectFrom('repos').select((eb) => eb.fn.countAll<number>().as('n'));
  const repos = await (org ? repoQ.where('owner', '=', org) : repoQ).executeTakeFirstOrThrow();
  const prs = await db.selectFrom('pull_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const reviews = await db.selectFrom('reviews').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const secs = ((Date.now() - o.started) / 1000).toFixed(1);
  process.stdout.write(`Synced ${org ?? 'all organisations'}: ${repos.n} repos, ${prs.n} pull requests, ${reviews.n} reviews; ${o.units} API units spent; ${secs} s.\n`);
}
