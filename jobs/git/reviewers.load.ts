// Who reviews each directory: non-author, non-bot reviewers of merged PRs whose squash commit
// (merge_commit_sha, DESIGN.md) touched a file in it. Joined from synced reviews and the
// imported file_changes; the caller keeps those in its window (180 days before the point).
import type { Db } from '../../server/db/connect.ts';
import { directoryOf } from './ownership.ts';

export const REVIEW_WINDOW_DAYS = 180;
const DAY_MS = 86_400_000;

export interface DirectoryReview {
  directory: string;
  mergedAt: number;
  reviewerId: number;
}

export async function loadDirectoryReviews(db: Db, repoId: number): Promise<DirectoryReview[]> {
  const rows = await db
    .selectFrom('pull_requests as pr')
    .innerJoin('reviews as r', 'r.pull_request_id', 'pr.id')
    .innerJoin('people as p', 'p.id', 'r.reviewer_id')
    .select(['pr.merge_commit_sha as sha', 'pr.merged_at as mergedAt', 'r.reviewer_id as reviewerId'])
    .where('pr.repo_id', '=', repoId)
    .where('pr.merged_at', 'is not', null)
    .where('pr.merge_commit_sha', 'is not', null)
    .whereRef('r.reviewer_id', '!=', 'pr.author_id')
    .where('p.is_bot', '=', 0)
    .where('p.is_ghost', '=', 0)
    .distinct()
    .execute();
  if (rows.length === 0) return [];
  const dirsOf = new Map<string, Set<string>>();
  const shas = [...new Set(rows.map((r) => r.sha!))];
  for (let i = 0; i < shas.length; i += 500) {
    const changes = await db
      .selectFrom('file_changes')
      .select(['sha', 'path', 'old_path'])
      .where('repo_id', '=', repoId)
      .where('sha', 'in', shas.slice(i, i + 500))
      .execute();
    for (const c of changes) {
      let set = dirsOf.get(c.sha);
      if (!set) dirsOf.set(c.sha, (set = new Set()));
      set.add(directoryOf(c.path));
      if (c.old_path) set.add(directoryOf(c.old_path));
    }
  }
  const out: DirectoryReview[] = [];
  for (const r of rows) {
    for (const directory of dirsOf.get(r.sha!) ?? []) out.push({ directory, mergedAt: Date.parse(r.mergedAt!), reviewerId: r.reviewerId });
  }
  return out;
}

/** Directory → reviewer keys (`person:<id>`) of PRs merged in the 180 days up to `t`. */
export function reviewersAt(reviews: readonly DirectoryReview[], t: number): Map<string, Set<string>> {
  const from = t - REVIEW_WINDOW_DAYS * DAY_MS;
  const out = new Map<string, Set<string>>();
  for (const r of reviews) {
    if (r.mergedAt < from || r.mergedAt > t) continue;
    let set = out.get(r.directory);
    if (!set) out.set(r.directory, (set = new Set()));
    set.add(`person:${r.reviewerId}`);
  }
  return out;
}
