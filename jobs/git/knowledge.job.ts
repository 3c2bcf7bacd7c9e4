// The two jobs of the knowledge stage, called by the sync engine per repository:
//   updateRepoHistory: clone or fetch, then import new commits (I/O only);
//   computeRepoKnowledge: replay stored history into DOA, truck factor, ownership, islands,
//   departures and the monthly trend, and replace the repo's knowledge_* rows (pure DB work).
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import { AppError } from '../../server/errors.ts';
import { noRetry } from '../github/errors.ts';
import { authEnv, cloneOrFetch } from './clone.ts';
import { gitScope, importHistory, type ImportResult } from './history.ts';
import { isStall, tryGit, type GitTimeouts } from './git.exec.ts';
import { applyChanges, emptyHistory, type HistoryState } from './doa.ts';
import { IdentityResolver, type Identity } from './identity.ts';
import { classifyFiles, type AttributesFile } from './linguist.ts';
import { computeKnowledge, type KnowledgeResult } from './knowledge.compute.ts';
import { lastAtOrBefore, loadOrgActivity, type ActivityIndex } from './departures.ts';
import { loadDirectoryReviews, reviewersAt, type DirectoryReview } from './reviewers.load.ts';
import { monthEnd, monthOf, nextMonth, type TrendPoint } from './trend.ts';
import { writeKnowledge } from './knowledge.write.ts';
import { loadMailmap } from './identity.store.ts';
import { parseMailmap } from './mailmap.parse.ts';
import { readSettings } from '../../server/settings.ts';
import { saveHeadCodeowners, writeOwnershipDrift } from './codeowners.store.ts';
import { likeOp } from '../../server/db/dialect.ts';

export interface UpdateRepoHistoryOptions {
  repoId: number;
  cloneUrl: string;
  token?: string | null;
  dataDir: string;
  logger?: Logger;
  /** Limits of the clone or fetch; the defaults suit GitHub, tests use seconds. */
  timeouts?: GitTimeouts;
  /** No retry follows this try: a failure marks the repo's knowledge unavailable. */
  lastAttempt?: boolean;
}

/**
 * Clones (first time) or fetches the repo, then imports only the commits not stored yet.
 * A failure of the last try, or a stall (a retry at once would wait as long again), marks the
 * repo "knowledge unavailable" with the reason and throws an error no retry follows: its pull
 * requests are stored already, and the next sync of the org tries again.
 */
export async function updateRepoHistory(db: Db, opts: UpdateRepoHistoryOptions): Promise<ImportResult> {
  const repo = await db.selectFrom('repos').select(['owner', 'name', 'default_branch']).where('id', '=', opts.repoId).executeTakeFirst();
  if (!repo) throw new AppError('not_found', `No repository with id ${opts.repoId} is stored; sync the organisation first.`);
  const scope = gitScope(repo.owner, repo.name);
  try {
    const { gitDir } = await cloneOrFetch({ owner: repo.owner, name: repo.name, cloneUrl: opts.cloneUrl, token: opts.token, dataDir: opts.dataDir, timeouts: opts.timeouts });
    const branch = repo.default_branch ? `refs/heads/${repo.default_branch}` : null;
    const ref = branch && (await tryGit(['rev-parse', '--verify', '--quiet', branch], { cwd: gitDir })) ? branch : 'HEAD';
    const result = await importHistory(db, { repoId: opts.repoId, owner: repo.owner, name: repo.name, gitDir, ref, env: authEnv(opts.token), logger: opts.logger });
    await saveHeadCodeowners(db, opts.repoId, gitDir, authEnv(opts.token));
    // importHistory records only imports; a fetch that brought nothing new also ends the mark.
    await db.updateTable('sync_state').set({ status: 'done', last_error: null, updated_at: new Date().toISOString() }).where('scope', '=', scope).where('status', '=', 'failed').execute();
    return result;
  } catch (err) {
    if (!opts.lastAttempt && !isStall(err) && !isStall((err as { cause?: unknown }).cause)) throw err;
    const why = (err instanceof Error ? err.message : String(err)).replace(/[.\s]*$/, '.');
    const reason = `knowledge unavailable: ${why} Its pull requests are stored; the next sync tries again.`;
    // The bookmark stays: what was imported before is still in the tables.
    const row = { status: 'failed' as const, last_error: reason, updated_at: new Date().toISOString() };
    await db.insertInto('sync_state').values({ scope, ...row }).onConflict((oc) => oc.column('scope').doUpdateSet(row)).execute();
    throw noRetry(new AppError('github_unreachable', reason, { cause: err }));
  }
}

/** Repos of `org` marked knowledge-unavailable (or whose last import failed): the next sync retries them. */
export async function knowledgeUnavailable(db: Db, org: string): Promise<{ id: number; name: string; full_name: string; clone_url: string | null }[]> {
  const failed = await db.selectFrom('sync_state').select('scope').where('scope', likeOp(db), `${gitScope(org, '')}%`).where('status', '=', 'failed').execute();
  const scopes = new Set(failed.map((r) => r.scope));
  if (scopes.size === 0) return [];
  const repos = await db.selectFrom('repos').select(['id', 'owner', 'name', 'full_name', 'clone_url']).where('owner', '=', org).execute();
  return repos.filter((r) => scopes.has(gitScope(r.owner, r.name))).map(({ id, name, full_name, clone_url }) => ({ id, name, full_name, clone_url }));
}

export interface RepoKnowledgeSummary {
  repoId: number;
  sha: string;
  files: number;
  authors: number;
  truckFactor: number;
  truckFactorWithoutDeparted: number;
  islands: number;
  trend: TrendPoint[];
}

/**
 * Computes the repo's knowledge as of `now` (ISO; the simulated org's `now` in demos) from
 * stored history, people and reviews. Returns null when no history has been imported yet.
 */
export async function computeRepoKnowledge(db: Db, options: { repoId: number; now: string | Date }): Promise<RepoKnowledgeSummary | null> {
  const nowMs = options.now instanceof Date ? options.now.getTime() : Date.parse(options.now);
  if (Number.isNaN(nowMs)) throw new AppError('bad_request', `"${String(options.now)}" is not an ISO-8601 instant.`);
  const opts = { repoId: options.repoId, now: new Date(nowMs).toISOString() };
  const head = await db.selectFrom('knowledge_heads').selectAll().where('repo_id', '=', opts.repoId).executeTakeFirst();
  if (!head) return null;
  const attributes = JSON.parse(head.gitattributes) as AttributesFile[];

  const people = await db.selectFrom('people').select(['id', 'login', 'name', 'is_bot', 'is_ghost']).execute();
  const aliases = await db.selectFrom('person_aliases').select(['person_id', 'kind', 'value']).execute();
  const settings = await readSettings(db);
  const resolver = new IdentityResolver(
    people.map((p) => ({ id: p.id, login: p.login, name: p.name, isBot: p.is_bot === 1 || p.is_ghost === 1 })),
    aliases.map((a) => ({ personId: a.person_id, kind: a.kind, value: a.value })),
    { mailmap: parseMailmap(await loadMailmap(db, opts.repoId)), aliases: settings.identityAliases, distinct: settings.identityDistinct },
  );
  // Raw identities with their last commit here, and the person a commit row already names.
  const pairs = await db
    .selectFrom('commits')
    .select(['author_name', 'author_email', 'person_id', (eb) => eb.fn.max('authored_at').as('last')])
    .where('repo_id', '=', opts.repoId)
    .groupBy(['author_name', 'author_email', 'person_id'])
    .execute();
  const lastCommit: number[] = [];
  for (const p of pairs) {
    const raw = resolver.rawId(p.author_name, p.author_email);
    if (p.person_id !== null) resolver.linkPerson(raw, p.person_id);
    lastCommit[raw] = Math.max(lastCommit[raw] ?? 0, Date.parse(p.last as string));
  }
  const activity = await loadOrgActivity(db);
  const reviews = await loadDirectoryReviews(db, opts.repoId);
  const identities = resolver.resolve();

  // Code or not, for every path the history ever held (trend points see paths gone at HEAD),
  // classified in one call: each linguist-js call re-reads its data files.
  const headFiles = (await db.selectFrom('knowledge_head_files').select('path').where('repo_id', '=', opts.repoId).execute()).map((r) => r.path);
  const everPaths = (await db.selectFrom('file_changes').select('path').distinct().where('repo_id', '=', opts.repoId).execute()).map((r) => r.path);
  const allPaths = [...new Set([...everPaths, ...headFiles])];
  const classifiedAll = await classifyFiles(allPaths, attributes);
  const codeCache = new Map<string, boolean>(allPaths.map((p) => [p, false]));
  for (const p of classifiedAll.code) codeCache.set(p, true);
  const isCode = async (paths: Iterable<string>) => {
    const unknown = [...paths].filter((p) => !codeCache.has(p));
    if (unknown.length) for (const p of (await classifyFiles(unknown, attributes)).code) codeCache.set(p, true);
    for (const p of unknown) if (!codeCache.has(p)) codeCache.set(p, false);
  };

  const state = emptyHistory();
  const seenLast: number[] = [];
  const trend: TrendPoint[] = [];
  let month: string | null = null;
  const rows = db
    .selectFrom('file_changes as fc')
    .innerJoin('commits as c', (j) => j.onRef('c.repo_id', '=', 'fc.repo_id').onRef('c.sha', '=', 'fc.sha'))
    .select(['fc.sha', 'fc.path', 'fc.status', 'fc.old_path', 'c.author_name', 'c.author_email', 'c.authored_at', 'c.committed_at'])
    .where('fc.repo_id', '=', opts.repoId)
    .where('c.parent_count', '<=', 1) // merges carry no changes; none are stored, this makes sure
    .orderBy(sql`fc.rowid`)
    .stream();
  // classifyFiles and computeKnowledge touch no database, so points are taken inline while the
  // stream holds the connection; nothing is copied, memory stays per file.
  const point = (m: string) => trendPoint(m, state, seenLast, identities, activity, reviews, isCode, codeCache);
  for await (const r of rows) {
    const m = monthOf(r.committed_at);
    if (month === null) month = m;
    while (m > month) {
      trend.push(await point(month));
      month = nextMonth(month);
    }
    const raw = resolver.rawId(r.author_name, r.author_email);
    const at = Date.parse(r.authored_at);
    if ((seenLast[raw] ?? 0) < at) seenLast[raw] = at;
    applyChanges(state, raw, [{ status: r.status, path: r.path, oldPath: r.old_path }]);
  }
  const nowMonth = monthOf(opts.now);
  while (month !== null && month < nowMonth) {
    trend.push(await point(month));
    month = nextMonth(month);
  }

  const headCode = headFiles.filter((p) => codeCache.get(p));
  const lastActivity = lastActivityMap(identities, lastCommit, activity, nowMs);
  const result = computeKnowledge({
    state,
    identities,
    files: headCode,
    lastActivity,
    asOf: opts.now,
    reviewers: reviewersAt(reviews, nowMs),
    details: true,
  });
  if (month !== null) trend.push(pointOf(month, result));

  const summary = await writeKnowledge(db, {
    repoId: opts.repoId,
    sha: head.sha,
    now: opts.now,
    commits: await commitCount(db, opts.repoId),
    excludedFiles: headFiles.length - headCode.length,
    result,
    identities: resolver.merges(),
    trend,
  });
  await writeOwnershipDrift(db, { repoId: opts.repoId, sha: head.sha, asOf: opts.now, files: headCode, result, state, identities, merges: resolver.merges(), reviewers: reviewersAt(reviews, nowMs) });
  return { ...summary, trend };
}

async function trendPoint(
  month: string,
  state: HistoryState,
  seenLast: number[],
  identities: Identity[],
  activity: ActivityIndex,
  reviews: DirectoryReview[],
  isCode: (paths: Iterable<string>) => Promise<void>,
  codeCache: Map<string, boolean>,
): Promise<TrendPoint> {
  const t = monthEnd(month);
  await isCode(state.alive);
  const files = [...state.alive].filter((p) => codeCache.get(p));
  const result = computeKnowledge({
    state,
    identities,
    files,
    lastActivity: lastActivityMap(identities, seenLast, activity, t),
    asOf: new Date(t).toISOString(),
    reviewers: reviewersAt(reviews, t),
  });
  return pointOf(month, result);
}

function pointOf(month: string, r: KnowledgeResult): TrendPoint {
  return {
    month,
    files: r.files,
    authors: r.authors,
    truckFactor: r.truckFactor,
    truckFactorWithoutDeparted: r.truckFactorWithoutDeparted,
    islands: r.directories.filter((d) => d.isIsland).length,
  };
}

/** Last activity ≤ t per identity key: org activity of the person, else commits here. */
function lastActivityMap(identities: Identity[], lastCommit: number[], activity: ActivityIndex, t: number): Map<string, string> {
  const best = new Map<string, number>();
  const bump = (key: string, at: number | null | undefined) => {
    if (at === null || at === undefined || at > t) return;
    if ((best.get(key) ?? -Infinity) < at) best.set(key, at);
  };
  identities.forEach((id, raw) => bump(id.key, lastCommit[raw]));
  for (const [personId, times] of activity) bump(`person:${personId}`, lastAtOrBefore(times, t));
  return new Map([...best].map(([k, v]) => [k, new Date(v).toISOString()]));
}

async function commitCount(db: Db, repoId: number): Promise<number> {
  const r = await db.selectFrom('commits').select((eb) => eb.fn.countAll<number>().as('n')).where('repo_id', '=', repoId).executeTakeFirstOrThrow();
  return Number(r.n);
}
