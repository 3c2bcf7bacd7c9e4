import { z } from 'zod';
import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import type { TaskDef, TaskRegistry } from '../job-runner.ts';
import type { GithubClient } from './client.ts';
import { checkRepoHeads, collectOrgPeople, collectOrgProfile, collectOrgRepos, unchangedRepos } from './org.collect.ts';
import { skipNoAccess, syncRepo, type RepoProgress } from './pulls.collect.ts';
import { likeOp } from '../../server/db/dialect.ts';

// Orchestration: the org job lists the repos and enqueues a job for each one never synced over
// this window at once; repos synced before are asked whether their PRs changed (a free
// conditional call each, then one aliased GraphQL query for those that did) and get a job only
// then. Members and teams are listed meanwhile. Repo jobs page their PRs down to the bookmark.
// The token is never in a payload: jobs name the org and the composition root hands out the
// client for it.

export interface RepoSyncedEvent {
  org: string;
  repo: string;
  repoId: number;
  fullName: string;
  cloneUrl: string | null;
}

export interface SyncServices {
  /** The API client for an org (its connection's token, or GITHUB_TOKEN for the CLI). */
  clientFor(org: string): Promise<GithubClient>;
  /** Token for git over HTTPS, when a follow-up job clones. */
  tokenFor?(org: string): Promise<string | undefined>;
  dataDir: string;
  backfillDays: number;
  botLogins?: readonly string[];
  /** Called after each repo finished syncing (the signals stage hooks in here). */
  onRepoSynced: ((db: Db, e: RepoSyncedEvent) => Promise<void>)[];
  /** Enqueue the git history + knowledge job after each repo (default true). */
  knowledge?: boolean;
  /** Progress of the running sync, for the CLI's bar. */
  onProgress?: (e: { repo: string; progress: RepoProgress } | { reposQueued: number }) => void;
}

/**
 * Jobs the runner keeps going for `requests` requests in flight: twice as many, so while one
 * job stores a page another has its next request ready and the connection slots never idle.
 */
export function runnerConcurrency(requests: number): number {
  return requests * 2;
}

export const SYNC_ORG = 'github.sync_org';
export const SYNC_REPO = 'github.sync_repo';
export const REPO_KNOWLEDGE = 'git.repo_knowledge';

/**
 * Tries of a repo's clone within one sync, with the runner's backoff between them (1 s and 2 s
 * in the CLI). Then the repo is marked knowledge-unavailable and its job rests until the next
 * sync: a repo that cannot be cloned must not hold the sync for minutes.
 */
export const KNOWLEDGE_ATTEMPTS = 3;

// Job keys: one waiting job per org, per repo and per repo's knowledge (queue.ts de-duplicates
// by key). Repo keys hold the full name, so an org's jobs can all be found by their prefix.

/** Key of the job that syncs `org`. */
export function syncOrgJobKey(org: string): string {
  return `${SYNC_ORG}:${org}`;
}

/** Key of the job that syncs the PRs of `org/repo`. */
export function syncRepoJobKey(org: string, repo: string): string {
  return `${SYNC_REPO}:${org}/${repo}`;
}

/** Key of the job that imports the history and computes the knowledge of `fullName` (`owner/name`). */
export function repoKnowledgeJobKey(fullName: string): string {
  return `${REPO_KNOWLEDGE}:${fullName}`;
}

/**
 * SQL LIKE patterns matching the keys of every job of `org`: its org job and its repos' jobs.
 * LIKE ignores case as GitHub does for logins; logins hold no `%` or `_`, and the `_` in task
 * names matches itself too.
 */
export function orgJobKeyPatterns(org: string): string[] {
  return [syncOrgJobKey(org), `${SYNC_REPO}:${org}/%`, `${REPO_KNOWLEDGE}:${org}/%`];
}

const OrgPayload = z.object({ org: z.string().min(1), since: z.string().datetime().optional(), repos: z.array(z.string().min(1)).optional() });
const RepoPayload = z.object({
  org: z.string().min(1),
  repo: z.string().min(1),
  since: z.string().datetime(),
  /** Take the repo's pulse before reading its PRs (the org job did not). */
  pulse: z.boolean().optional(),
});
// No URL in a payload: a job queued against one API (an earlier demo simulator, another
// --api-url) must not call it later. The clone URL is read from the repo when the job runs; a
// `cloneUrl` in jobs queued by older versions is ignored.
const KnowledgePayload = z.object({ org: z.string().min(1), repoId: z.number().int() });

/** Start of the backfill window: `since`, or backfillDays before today (whole UTC days, so a restarted sync resumes the same window). */
export function windowStart(backfillDays: number, since?: string): string {
  if (since) return new Date(since).toISOString();
  const day = new Date(Date.now() - backfillDays * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  return day.toISOString();
}

const syncOrg: TaskDef<SyncServices, z.infer<typeof OrgPayload>> = {
  schema: OrgPayload,
  async run(p, ctx) {
    const { db, services: s, logger } = ctx;
    const gh = await s.clientFor(p.org);
    // First and alone: it says plainly when the org does not exist or the credentials fail, and
    // the client sends one request at a time until an answer tells it the rate-limit budget anyway.
    await collectOrgProfile(db, gh, p.org);
    // Members and teams matter to no repo job: they are listed while the repos sync.
    const people = collectOrgPeople(db, gh, logger, p.org, s.botLogins);
    people.catch(() => {}); // awaited at the end; a failure there fails this job then.
    await collectOrgRepos(db, gh, logger, p.org, s.botLogins);
    const since = windowStart(s.backfillDays, p.since);
    let repos = await db.selectFrom('repos').select(['name', 'full_name']).where('owner', '=', p.org).orderBy('name').execute();
    if (p.repos) {
      const wanted = new Set(p.repos.map((r) => r.toLowerCase()));
      const unknown = p.repos.filter((r) => !repos.some((x) => x.name.toLowerCase() === r.toLowerCase()));
      if (unknown.length > 0) logger.warn({ repos: unknown }, 'these repositories are not in the organisation (or not visible); skipped');
      repos = repos.filter((r) => wanted.has(r.name.toLowerCase()));
    }
    const states = new Map((await db.selectFrom('sync_state').selectAll().where('scope', likeOp(db), `repo:${p.org}/%`).execute()).map((r) => [r.scope, r]));
    // A repo whose last run finished over this window (it has a bookmark here) needs a look only
    // if its PRs changed.
    const settled = new Map<string, string>();
    for (const r of repos) {
      const st = states.get(`repo:${p.org}/${r.name}`);
      const stSince = st?.progress ? (JSON.parse(st.progress) as RepoProgress).since : null;
      if (st?.status === 'done' && st.bookmark !== null && stSince !== null && stSince <= since) settled.set(r.name, st.bookmark);
    }
    const enqueue = (repo: string, pulse: boolean) =>
      ctx.enqueue({ task: SYNC_REPO, key: syncRepoJobKey(p.org, repo), payload: { org: p.org, repo, since, ...(pulse ? { pulse } : {}) }, maxAttempts: ctx.job.max_attempts });
    // Never synced over this window: nothing to ask first, so they start at once.
    const fresh = repos.map((r) => r.name).filter((n) => !settled.has(n));
    for (const name of fresh) await enqueue(name, true);
    const synced = new Set(fresh);
    let queued = fresh.length;
    s.onProgress?.({ reposQueued: queued });
    const known = [...settled.keys()];
    const unchanged = await unchangedRepos(db, gh, p.org, known);
    const heads = await checkRepoHeads(db, gh, p.org, known.filter((n) => !unchanged.has(n)));
    for (const h of heads) {
      if (!h.accessible) {
        await skipNoAccess(db, logger, p.org, h.name, 'GitHub answers that it does not exist: it was deleted or renamed, or this token or GitHub App installation lost access to it');
        continue;
      }
      if (h.newest === null || h.newest <= settled.get(h.name)!) continue;
      queued++;
      synced.add(h.name);
      await enqueue(h.name, false);
    }
    s.onProgress?.({ reposQueued: queued });
    // A repo whose knowledge was unavailable is tried again at each sync of its org: for the
    // server that is its scheduled sync, a slow schedule. Repos synced now get their knowledge
    // job after their PRs; the others get it here.
    const k = s.knowledge !== false ? await loadKnowledge() : null;
    const names = new Set(repos.map((r) => r.name));
    for (const r of (await k?.knowledgeUnavailable?.(db, p.org)) ?? []) {
      if (names.has(r.name) && !synced.has(r.name)) await ctx.enqueue(knowledgeJob(p.org, r));
    }
    await people;
    logger.info({ org: p.org, repos: repos.length, changed: queued }, 'organisation checked');
  },
};

const syncRepoTask: TaskDef<SyncServices, z.infer<typeof RepoPayload>> = {
  schema: RepoPayload,
  async run(p, ctx) {
    const { db, services: s, logger } = ctx;
    const gh = await s.clientFor(p.org);
    const res = await syncRepo(db, gh, logger, { org: p.org, repo: p.repo, since: p.since, pulse: p.pulse, botLogins: s.botLogins, onPage: (progress) => s.onProgress?.({ repo: p.repo, progress }) });
    if (res.repoId === null) return;
    const repo = await db.selectFrom('repos').select(['id', 'full_name', 'clone_url']).where('id', '=', res.repoId).executeTakeFirstOrThrow();
    const event: RepoSyncedEvent = { org: p.org, repo: p.repo, repoId: repo.id, fullName: repo.full_name, cloneUrl: repo.clone_url };
    for (const hook of s.onRepoSynced) await hook(db, event);
    if (s.knowledge !== false && (await loadKnowledge())) await ctx.enqueue(knowledgeJob(p.org, repo));
  },
};

function knowledgeJob(org: string, repo: { id: number; full_name: string }) {
  return { task: REPO_KNOWLEDGE, key: repoKnowledgeJobKey(repo.full_name), payload: { org, repoId: repo.id }, maxAttempts: KNOWLEDGE_ATTEMPTS };
}

interface KnowledgeModule {
  updateRepoHistory(db: Db, o: { repoId: number; cloneUrl: string; token: string | undefined; dataDir: string; logger: Logger; lastAttempt: boolean }): Promise<unknown>;
  computeRepoKnowledge(db: Db, o: { repoId: number; now: Date | string }): Promise<unknown>;
  knowledgeUnavailable?(db: Db, org: string): Promise<{ id: number; name: string; full_name: string; clone_url: string | null }[]>;
}

/** The git/knowledge stage, when it is installed (jobs/git/knowledge.job.ts); looked up by name only. */
async function loadKnowledge(): Promise<KnowledgeModule | null> {
  try {
    const mod = (await import(new URL('../git/knowledge.job.ts', import.meta.url).href)) as Partial<KnowledgeModule>;
    return typeof mod.updateRepoHistory === 'function' && typeof mod.computeRepoKnowledge === 'function' ? (mod as KnowledgeModule) : null;
  } catch {
    return null;
  }
}

const repoKnowledge: TaskDef<SyncServices, z.infer<typeof KnowledgePayload>> = {
  schema: KnowledgePayload,
  async run(p, ctx) {
    const k = await loadKnowledge();
    const repo = await ctx.db.selectFrom('repos').select('clone_url').where('id', '=', p.repoId).executeTakeFirst();
    if (!k || !repo?.clone_url) return;
    const token = await ctx.services.tokenFor?.(p.org);
    // The last try marks the repo knowledge-unavailable if it fails (knowledge.job.ts).
    const lastAttempt = ctx.job.attempts + 1 >= ctx.job.max_attempts;
    await k.updateRepoHistory(ctx.db, { repoId: p.repoId, cloneUrl: repo.clone_url, token, dataDir: ctx.services.dataDir, logger: ctx.logger, lastAttempt });
    // The demo org's history ends at the simulator's own "now", not today: measure from its last activity.
    const demo = await ctx.db.selectFrom('connections').select('is_demo').where('org', '=', p.org).executeTakeFirst();
    const last = demo?.is_demo ? await ctx.db.selectFrom('pull_requests').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst() : undefined;
    await k.computeRepoKnowledge(ctx.db, { repoId: p.repoId, now: (last?.at as string | null | undefined) ?? new Date().toISOString() });
  },
};

export const syncTasks: TaskRegistry<SyncServices> = { [SYNC_ORG]: syncOrg, [SYNC_REPO]: syncRepoTask, [REPO_KNOWLEDGE]: repoKnowledge };
