import { Hono } from 'hono';
import { z } from 'zod';
import { zValidator } from '@hono/zod-validator';
import type { AppEnv } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import type { MergedIdentity } from '../db/identity.tables.ts';
import { derivedScope } from '../signals/scope.ts';

// Knowledge from git (DESIGN.md): truck factor with and without departed people, who covers
// what, ownership per directory, islands, orphaned areas and the monthly trend. Every orphaned
// figure of a repo counts orphaned files (docs/schema.md), read by one query (orphanedFiles).

const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const RepoParams = z.object({
  owner: z.string().regex(NAME, 'owner must be a GitHub owner name'),
  repo: z.string().regex(NAME, 'repo must be a GitHub repository name'),
});

/** `:owner/:repo` checked as GitHub names; a bad one is a 400 that says which. */
export const validParams = zValidator('param', RepoParams, (result) => {
  if (!result.success) throw new AppError('bad_request', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
});

export function knowledgeRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db } = c.get('deps');
      const scope = await derivedScope(db);
      let q = db
        .selectFrom('repos as r')
        .leftJoin('knowledge_repos as k', 'k.repo_id', 'r.id')
        .select(['r.full_name', 'k.sha', 'k.as_of', 'k.computed_at', 'k.files', 'k.authors', 'k.truck_factor', 'k.truck_factor_without_departed', 'k.islands', 'k.orphaned_files', 'k.orphaned_directories'])
        .orderBy('r.full_name');
      if (scope) q = q.where('r.owner', '=', scope.org);
      const rows = await q.execute();
      return c.json({
        repos: rows.map((r) => ({
          repo: r.full_name,
          analysed: r.sha !== null,
          sha: r.sha,
          asOf: r.as_of,
          computedAt: r.computed_at,
          files: r.files,
          authors: r.authors,
          truckFactor: r.truck_factor,
          truckFactorWithoutDeparted: r.truck_factor_without_departed,
          islands: r.islands,
          orphanedFiles: r.orphaned_files,
          orphanedDirectories: r.orphaned_directories,
        })),
      });
    })
    .get('/:owner/:repo', validParams, async (c) => {
      const { db } = c.get('deps');
      const { owner, repo } = c.req.valid('param');
      const fullName = `${owner}/${repo}`;
      const repoId = await syncedRepoId(db, fullName);
      const k = await db.selectFrom('knowledge_repos').selectAll().where('repo_id', '=', repoId).executeTakeFirst();
      if (!k) throw new AppError('not_found', `The history of "${fullName}" has not been analysed yet; it is analysed after the next sync.`);
      return c.json(await repoKnowledge(db, repoId, fullName, k));
    });
}

type KnowledgeRow = NonNullable<Awaited<ReturnType<typeof loadRepo>>>;
function loadRepo(db: Db, repoId: number) {
  return db.selectFrom('knowledge_repos').selectAll().where('repo_id', '=', repoId).executeTakeFirst();
}

/** The leaf directory of a path, named as jobs/git/ownership.ts names it (`.` for the root). */
function directoryOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '.' : path.slice(0, i);
}

/**
 * Orphaned files with their authors: files at the analysed revision with authors, all departed.
 * A file's authors are its knowledge_file_authors rows; each author's is_departed is in
 * knowledge_authors (a missing row counts as not departed, so it never orphans a file).
 */
async function orphanedFiles(db: Db, repoId: number): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('knowledge_file_authors as f')
    .select(['f.path', 'f.author_key'])
    .where('f.repo_id', '=', repoId)
    .where('f.path', 'in', (eb) =>
      eb
        .selectFrom('knowledge_file_authors as g')
        .leftJoin('knowledge_authors as a', (j) => j.onRef('a.repo_id', '=', 'g.repo_id').onRef('a.author_key', '=', 'g.author_key'))
        .select('g.path')
        .where('g.repo_id', '=', repoId)
        .groupBy('g.path')
        .having((h) => h.fn.min(h.fn.coalesce('a.is_departed', h.lit(0))), '=', 1),
    )
    .orderBy('f.path')
    .orderBy('f.author_key')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.path, [...(out.get(r.path) ?? []), r.author_key]);
  return out;
}

async function repoKnowledge(db: Db, repoId: number, fullName: string, k: KnowledgeRow) {
  const authors = await db
    .selectFrom('knowledge_authors as a')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.author_key', 'a.name', 'a.files', 'a.last_activity_at', 'a.is_departed', 'a.tf_rank', 'a.tf_rank_without_departed', 'p.login'])
    .where('a.repo_id', '=', repoId)
    .orderBy('a.files', 'desc')
    .orderBy('a.author_key')
    .execute();
  const byKey = new Map(authors.map((a) => [a.author_key, a]));
  const personIds = new Set<number>();
  const dirs = await db.selectFrom('knowledge_directories').selectAll().where('repo_id', '=', repoId).orderBy('directory').execute();
  for (const d of dirs) for (const key of JSON.parse(d.reviewers) as string[]) if (key.startsWith('person:')) personIds.add(Number(key.slice(7)));
  const logins = new Map<number, string>();
  if (personIds.size > 0) {
    for (const p of await db.selectFrom('people').select(['id', 'login']).where('id', 'in', [...personIds]).execute()) logins.set(p.id, p.login);
  }
  const who = (key: string | null) => {
    if (key === null) return null;
    const a = byKey.get(key);
    if (a) return a.login ?? a.name;
    return key.startsWith('person:') ? (logins.get(Number(key.slice(7))) ?? key) : key.replace(/^git:/, '');
  };
  const person = (a: (typeof authors)[number]) => ({ name: a.login ?? a.name, login: a.login, files: a.files, departed: a.is_departed === 1, lastActivityAt: a.last_activity_at });
  const departed = (key: string) => byKey.get(key)?.is_departed === 1;
  const orphans = await orphanedFiles(db, repoId);
  const orphansByDir = new Map<string, string[]>();
  for (const path of orphans.keys()) orphansByDir.set(directoryOf(path), [...(orphansByDir.get(directoryOf(path)) ?? []), path]);

  const covered = async (rank: 'tf_rank' | 'tf_rank_without_departed') => {
    const people = authors.filter((a) => a[rank] !== null).sort((x, y) => x[rank]! - y[rank]!);
    const out = [];
    for (const a of people) {
      const files = await db.selectFrom('knowledge_file_authors').select('path').where('repo_id', '=', repoId).where('author_key', '=', a.author_key).orderBy('path').execute();
      out.push({ ...person(a), coveredFiles: files.map((f) => f.path) });
    }
    return out;
  };
  const directories = dirs.map((d) => {
    const authorKeys = JSON.parse(d.authors) as { author: string; files: number; share: number }[];
    const reviewerKeys = JSON.parse(d.reviewers) as string[];
    const orphaned = orphansByDir.get(d.directory)?.length ?? 0;
    return {
      directory: d.directory,
      files: d.files,
      authors: authorKeys.map((a) => ({ name: who(a.author), files: a.files, share: a.share, departed: departed(a.author) })),
      reviewers: reviewerKeys.map(who),
      // People who know it (server/signals/formulas.ts, "knowers"): its authors who have not
      // departed, and its reviewers of the last 180 days; one person counts once.
      knowers: new Set([...authorKeys.map((a) => a.author).filter((k) => !departed(k)), ...reviewerKeys]).size,
      fragmentation: d.fragmentation,
      island: d.is_island === 1,
      soleOwner: who(d.sole_owner),
      orphanedFiles: orphaned,
      orphaned: orphaned === d.files,
    };
  });
  const trend = await db.selectFrom('knowledge_trend').selectAll().where('repo_id', '=', repoId).orderBy('month').execute();
  return {
    repo: fullName,
    sha: k.sha,
    asOf: k.as_of,
    computedAt: k.computed_at,
    commits: k.commits,
    files: k.files,
    excludedFiles: k.excluded_files,
    authors: k.authors,
    truckFactor: k.truck_factor,
    truckFactorWithoutDeparted: k.truck_factor_without_departed,
    truckFactorPeople: await covered('tf_rank'),
    truckFactorPeopleWithoutDeparted: await covered('tf_rank_without_departed'),
    owners: authors.slice(0, 20).map(person),
    departedOwners: authors.filter((a) => a.is_departed === 1).map(person),
    directories,
    islands: directories.filter((d) => d.island).map((d) => ({ directory: d.directory, owner: d.soleOwner, files: d.files })),
    // Areas held by one person who has left: the islands of the view that keeps departed people.
    soleOwnerDeparted: dirs.filter((d) => d.sole_owner !== null && departed(d.sole_owner)).map((d) => ({ directory: d.directory, owner: who(d.sole_owner), files: d.files })),
    // Directories holding orphaned files, each with those files only: the areas add up to orphanedFiles.
    orphanedAreas: [...orphansByDir].sort(([x], [y]) => (x < y ? -1 : 1)).map(([directory, paths]) => ({
      directory,
      files: paths.length,
      authors: [...new Set(paths.flatMap((p) => orphans.get(p)!))].map(who),
      paths,
    })),
    orphanedFiles: orphans.size,
    trend: trend.map((t) => ({ month: t.month, files: t.files, authors: t.authors, truckFactor: t.truck_factor, truckFactorWithoutDeparted: t.truck_factor_without_departed, islands: t.islands })),
    // Commit identities taken for one person, each merge with its rule and evidence, so a lead
    // can see a wrong one and split it (settings identityDistinct).
    mergedIdentities: (await mergedIdentities(db, repoId)).map((m) => ({ ...m, name: byKey.get(m.key)?.login ?? m.name })),
  };
}

/** The merged identities of the repo's last knowledge compute (migration 0011); [] before the first. */
async function mergedIdentities(db: Db, repoId: number): Promise<MergedIdentity[]> {
  const row = await db.selectFrom('knowledge_identities').select('merged').where('repo_id', '=', repoId).executeTakeFirst();
  return row ? (JSON.parse(row.merged) as MergedIdentity[]) : [];
}

/** The id of a synced repository, or a 404 that says it has not been synced. */
export async function syncedRepoId(db: Db, fullName: string): Promise<number> {
  const r = await db.selectFrom('repos').select('id').where('full_name', '=', fullName).executeTakeFirst();
  if (!r) throw new AppError('not_found', `No repository "${fullName}" has been synced.`);
  return r.id;
}
