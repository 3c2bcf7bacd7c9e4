import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { readDeriveState } from '../signals/history.ts';
import { enqueueSyncAll } from '../../jobs/schedule.ts';
import type { RepoProgress } from '../../jobs/github/pulls.collect.ts';

/**
 * Sync status for the dashboard: per-repo progress, budget left, time remaining, errors; and
 * what the dashboard's shell needs before it can ask for anything else (connected orgs, whether
 * there is synced data, and where it ends), so a first view costs one round trip, not four.
 */
export function syncRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db, sync } = c.get('deps');
      const states = await db.selectFrom('sync_state').selectAll().where('scope', 'like', 'repo:%').orderBy('scope').execute();
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
      const jobs = await db.selectFrom('jobs').select(['task', 'payload', 'attempts', 'max_attempts', 'last_error', 'locked_at', 'run_at']).execute();
      const failed = jobs.filter((j) => j.attempts >= j.max_attempts).map((j) => ({ task: j.task, payload: JSON.parse(j.payload) as unknown, error: j.last_error }));
      const lastSync = states.filter((s) => s.status === 'done').map((s) => s.updated_at).sort().pop() ?? null;
      const connections = await db.selectFrom('connections').select('org').orderBy('org').execute();
      const synced = await db.selectFrom('repos').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('full_name').as('first')]).executeTakeFirst();
      // The end of the synced history, as the read model clamps windows to it: the demo's stops
      // at a fixed instant, months before today, and every default window ends there.
      const end = { at: (await readDeriveState(db))?.historyTo ?? null };
      return c.json({
        running: jobs.some((j) => j.locked_at !== null),
        queued: jobs.filter((j) => j.attempts < j.max_attempts).length,
        repos,
        budget: sync?.budget() ?? [],
        estimateSeconds: repos.some((r) => r.status === 'running') ? Math.round(remainingSeconds) : 0,
        lastSync,
        errors: [...failed.map((f) => `${f.task}: ${f.error}`), ...repos.filter((r) => r.status === 'failed' && r.lastError).map((r) => r.lastError as string)],
        failedJobs: failed,
        connectedOrgs: connections.map((r) => r.org),
        repoCount: Number(synced?.n ?? 0),
        dataOrg: synced?.first ? (synced.first.split('/')[0] ?? null) : null,
        dataEnd: end?.at ?? null,
      });
    })
    .post('/', async (c) => {
      const { db } = c.get('deps');
      const orgs = await enqueueSyncAll(db);
      return c.json({ queued: orgs }, 202);
    });
}
