// Replaces one repo's knowledge_* rows with a fresh computation, in one transaction, so readers
// never see half of an update.
import type { Db } from '../../server/db/connect.ts';
import type { KnowledgeResult } from './knowledge.compute.ts';
import type { TrendPoint } from './trend.ts';
import type { MergedIdentity } from './identity.ts';
import { saveMergedIdentities } from './identity.store.ts';

export interface WriteInput {
  repoId: number;
  sha: string;
  now: string;
  commits: number;
  excludedFiles: number;
  result: KnowledgeResult;
  trend: TrendPoint[];
  /** Commit identities merged into one person, shown on the knowledge page. */
  identities: MergedIdentity[];
}

export async function writeKnowledge(db: Db, w: WriteInput) {
  const r = w.result;
  const islands = r.directories.filter((d) => d.isIsland).length;
  const tfRank = new Map(r.truckFactorAuthors.map((a, i) => [a.key, i + 1]));
  const tfRankActive = new Map(r.truckFactorWithoutDepartedAuthors.map((a, i) => [a.key, i + 1]));
  await db.transaction().execute(async (trx) => {
    for (const t of ['knowledge_trend', 'knowledge_directories', 'knowledge_file_authors', 'knowledge_authors', 'knowledge_repos'] as const) {
      await trx.deleteFrom(t).where('repo_id', '=', w.repoId).execute();
    }
    await trx
      .insertInto('knowledge_repos')
      .values({
        repo_id: w.repoId,
        sha: w.sha,
        as_of: w.now,
        computed_at: new Date().toISOString(),
        commits: w.commits,
        files: r.files,
        excluded_files: w.excludedFiles,
        authors: r.authors,
        truck_factor: r.truckFactor,
        truck_factor_without_departed: r.truckFactorWithoutDeparted,
        islands,
        orphaned_files: r.orphanedFiles.length,
        orphaned_directories: r.directories.filter((d) => d.isOrphaned).length,
      })
      .execute();
    await insertChunked(
      r.people.map((p) => ({
        repo_id: w.repoId,
        author_key: p.key,
        person_id: p.personId,
        name: p.name,
        email: p.email,
        files: p.files,
        last_activity_at: p.lastActivityAt,
        is_departed: p.departed ? 1 : 0,
        tf_rank: tfRank.get(p.key) ?? null,
        tf_rank_without_departed: tfRankActive.get(p.key) ?? null,
      })),
      (rows) => trx.insertInto('knowledge_authors').values(rows).execute(),
    );
    const fileRows = [...r.details].flatMap(([path, authors]) =>
      authors.map((a) => ({ repo_id: w.repoId, path, author_key: a.author, doa: a.doa, created: a.created ? 1 : 0 })),
    );
    await insertChunked(fileRows, (rows) => trx.insertInto('knowledge_file_authors').values(rows).execute());
    await insertChunked(
      r.directories.map((d) => ({
        repo_id: w.repoId,
        directory: d.directory,
        files: d.files,
        authors: JSON.stringify(d.authors),
        reviewers: JSON.stringify(d.reviewers),
        fragmentation: d.fragmentation,
        sole_owner: d.soleOwner,
        is_island: d.isIsland ? 1 : 0,
        is_orphaned: d.isOrphaned ? 1 : 0,
      })),
      (rows) => trx.insertInto('knowledge_directories').values(rows).execute(),
    );
    // Months are unique; a later point for the same month (the head) replaces an earlier one.
    const byMonth = new Map(w.trend.map((t) => [t.month, t]));
    await insertChunked(
      [...byMonth.values()].map((t) => ({
        repo_id: w.repoId,
        month: t.month,
        files: t.files,
        authors: t.authors,
        truck_factor: t.truckFactor,
        truck_factor_without_departed: t.truckFactorWithoutDeparted,
        islands: t.islands,
      })),
      (rows) => trx.insertInto('knowledge_trend').values(rows).execute(),
    );
    await saveMergedIdentities(trx, w.repoId, w.sha, w.identities);
  });
  return { repoId: w.repoId, sha: w.sha, files: r.files, authors: r.authors, truckFactor: r.truckFactor, truckFactorWithoutDeparted: r.truckFactorWithoutDeparted, islands };
}

// SQLite's limit is 32766 bound parameters per statement; rows here have at most 11 columns.
async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await insert(rows.slice(i, i + 2000));
}
