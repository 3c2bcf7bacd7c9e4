import { Hono } from 'hono';
import type { ApiBudget, AppEnv } from '../deps.ts';
import { readDeriveState } from '../signals/history.ts';
import { shownOrg } from '../signals/scope.ts';
import { enqueueSyncAll } from '../../jobs/schedule.ts';
import type { RepoProgress } from '../../jobs/github/pulls.collect.ts';
import { REPO_KNOWLEDGE, SYNC_ORG, SYNC_REPO } from '../../jobs/github/sync.ts';
import { DERIVE_CATCH_UP, DERIVE_SIGNALS } from '../../jobs/derive.enqueue.ts';
import { workersStatus } from '../../jobs/worker.status.ts';
import { digestSendStatus } from '../digest/digest.sends.ts';
import { likeOp } from '../../server/db/dialect.ts';

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const clause = (message: string) => message.trim().replace(/\.$/, '');

/** What a job works on, in words, from its task and key (`task:subject`) or payload. */
function jobSubject(task: string, key: string | null, payload: unknown): string {
  const subject = key?.startsWith(`${task}:`) ? key.slice(task.length + 1) : '';
  const org = typeof payload === 'object' && payload && 'org' in payload ? String(payload.org) : subject;
  if (task === SYNC_ORG) return `Listing the repositories of ${org}`;
  if (task === SYNC_REPO) return `Syncing the pull requests of ${subject || org}`;
  if (task === REPO_KNOWLEDGE) return `Reading the git history of ${subject || org}`;
  if (task === DERIVE_SIGNALS || task === DERIVE_CATCH_UP) return 'Computing the signals';
  return `The job ${task}${subject ? ` for ${subject}` : ''}`;
}

/** HH:MM UTC of an epoch ms. */
const utcMinute = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

/**
 * Waits for a spent rate limit to reset, in words. Apart from `errors`: nothing failed, the sync
 * only pauses, but a pause of up to an hour must not pass for a stuck sync.
 */
function waitWords(budgets: { org: string; limits: ApiBudget[] }[], now: number): string[] {
  return budgets.flatMap(({ org, limits }) =>
    limits
      .filter((l) => l.waitingUntil != null && l.waitingUntil > now)
      .map((l) => `Waiting for GitHub's rate limit (${l.resource}) of ${org} to reset at ${utcMinute(l.waitingUntil!)}; the sync goes on by itself then.`),
  );
}

/**
 * The data is stale when its last good sync is older than twice the re-sync interval (issue 13).
 * Never for the demo, whose history ends at a fixed instant by design, nor when re-syncs are off.
 */
function staleness(done: { scope: string; updated_at: string }[], demoOrgs: Set<string>, intervalMinutes: number, now: number): { lastGoodSync: string; intervalMinutes: number } | null {
  if (intervalMinutes <= 0) return null;
  const org = (scope: string) => scope.replace(/^repo:/, '').split('/')[0]!.toLowerCase();
  const lastGoodSync = done.filter((s) => !demoOrgs.has(org(s.scope))).map((s) => s.updated_at).sort().pop();
  if (!lastGoodSync || now - Date.parse(lastGoodSync) <= 2 * intervalMinutes * 60_000) return null;
  return { lastGoodSync, intervalMinutes };
}

/**
 * Sync status for the dashboard: per-repo progress, budget left, time remaining, errors; and
 * what the dashboard's shell needs before it can ask for anything else (connected orgs, whether
 * there is synced data, and where it ends), so a first view costs one round trip, not four.
 */
export function syncRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db, sync, config } = c.get('deps');
      const states = await db.selectFrom('sync_state').selectAll().where('scope', likeOp(db), 'repo:%').orderBy('scope').execute();
      const now = Date.now();
      let remainingSeconds = 0;
      const repos = states.map((s) => {
        const p = s.progress ? (JSON.parse(s.progress) as RepoProgress) : null;
        // Estimate: PRs still to fetch ÷ the rate this run has managed so far.
        if (s.status === 'running' && p?.total && p.startedAt && p.pulls > 0) {
          const rate = p.pulls / Math.max(1, (now - Date.parse(p.startedAt)) / 1000);
          remainingSeconds = Math.max(remainingSeconds, Math.max(0, p.total - p.pulls) / rate);
        }
        return {
          repo: s.scope.replace(/^repo:/, ''),
          status: s.status,
          phase: p?.phase ?? null,
          pulls: p?.pulls ?? 0,
          total: p?.total ?? null,
          bookmark: s.bookmark,
          lastError: s.last_error,
          updatedAt: s.updated_at,
        };
      });
      const jobs = await db.selectFrom('jobs').select(['task', 'key', 'payload', 'attempts', 'max_attempts', 'last_error', 'locked_at', 'run_at']).orderBy('id').execute();
      const described = jobs.map((j) => ({ ...j, parsed: JSON.parse(j.payload) as unknown, subject: jobSubject(j.task, j.key, JSON.parse(j.payload)) }));
      const failed = described.filter((j) => j.attempts >= j.max_attempts).map((j) => ({ task: j.task, payload: j.parsed, error: j.last_error }));
      // A job that failed and waits to try again is a problem too, while it keeps failing: it is
      // told with its cause and its next try, never hidden behind "no errors".
      const retrying = described
        .filter((j) => j.attempts > 0 && j.attempts < j.max_attempts && j.last_error)
        .map((j) => ({ task: j.task, payload: j.parsed, subject: j.subject, error: j.last_error as string, attempts: j.attempts, maxAttempts: j.max_attempts, nextTryAt: j.run_at, running: j.locked_at !== null }));
      const failedWords = described
        .filter((j) => j.attempts >= j.max_attempts)
        .map((j) => `${j.subject} failed ${times(j.attempts)} and gave up: ${clause(j.last_error ?? 'no cause was recorded')}. Sync now tries again.`);
      const retryingWords = retrying.map(
        (j) => `${j.subject} failed ${times(j.attempts)}: ${clause(j.error)}. ${j.running ? 'Trying again now' : `Next try at ${j.nextTryAt}`} (try ${j.attempts + 1} of ${j.maxAttempts}).`,
      );
      const lastSync = states.filter((s) => s.status === 'done').map((s) => s.updated_at).sort().pop() ?? null;
      const connections = await db.selectFrom('connections').select(['org', 'is_demo']).orderBy('org').execute();
      const demoOrgs = new Set(connections.filter((r) => r.is_demo === 1).map((r) => r.org.toLowerCase()));
      const budget = (await sync?.budget()) ?? [];
      // The dashboard shows one org (signals/scope.ts): its repositories are what "has data" means.
      const shown = await shownOrg(db);
      const synced = shown ? await db.selectFrom('repos').select((eb) => eb.fn.countAll<number>().as('n')).where('owner', '=', shown).executeTakeFirst() : undefined;
      // The end of the synced history, as the read model clamps windows to it: the demo's stops
      // at a fixed instant, months before today, and every default window ends there.
      const end = { at: (await readDeriveState(db))?.historyTo ?? null };
      return c.json({
        running: jobs.some((j) => j.locked_at !== null),
        queued: jobs.filter((j) => j.attempts < j.max_attempts).length,
        repos,
        budget,
        waits: waitWords(budget, now),
        estimateSeconds: repos.some((r) => r.status === 'running') ? Math.round(remainingSeconds) : 0,
        lastSync,
        stale: staleness(states.filter((s) => s.status === 'done'), demoOrgs, config.syncIntervalMinutes, now),
        errors: [...failedWords, ...retryingWords, ...repos.filter((r) => r.status === 'failed' && r.lastError).map((r) => r.lastError as string)],
        failedJobs: failed,
        retryingJobs: retrying,
        connectedOrgs: connections.map((r) => r.org),
        shownOrg: shown,
        repoCount: Number(synced?.n ?? 0),
        dataOrg: synced?.n ? shown : null,
        dataEnd: end?.at ?? null,
        // The weekly digest's last attempt per destination still configured: a failed one is shown like a failed job.
        digest: await digestSendStatus(db, config.digest),
        // Who runs the jobs: a serving process may run none (serve --no-jobs), and then queued jobs wait for a worker.
        workers: await workersStatus(db, now),
      });
    })
    .post('/', async (c) => {
      const { db } = c.get('deps');
      const orgs = await enqueueSyncAll(db);
      return c.json({ queued: orgs }, 202);
    });
}
