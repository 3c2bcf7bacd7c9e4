import type { Db } from '../db/connect.ts';
import { HOME } from './packs.ts';
import { readWeeks } from './packs.read.ts';
import { refs } from './packs.codec.ts';
import { weeksOverlapping } from './weeks.ts';
import { pauser } from './pause.ts';

// Who was active where: PRs opened and reviews given per person and repository in a window,
// read from the week packs (the same rows as GROUP BY queries over signal_pr_facts and
// signal_review_facts, without reading every fact of the window through SQL).

export interface RepoActivity {
  person_id: number;
  repo_id: number;
  n: number;
}

/** PRs opened (by author) and reviews given (by reviewer) per repository in [from, to); `repoIds` limits the repositories. */
export async function activityByRepo(db: Db, from: string, to: string, repoIds?: readonly number[]): Promise<{ authored: RepoActivity[]; reviewed: RepoActivity[] }> {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const wanted = repoIds ? new Set(repoIds) : null;
  const authored = new Map<number, RepoActivity>();
  const reviewed = new Map<number, RepoActivity>();
  // Repos get small numbers so (person, repo) is one map key.
  const repoNo = new Map<number, number>();
  const add = (m: Map<number, RepoActivity>, person: number, repo: number) => {
    let r = repoNo.get(repo);
    if (r === undefined) repoNo.set(repo, (r = repoNo.size));
    const k = pairKey(person, r, REPO_SLOTS);
    const a = m.get(k);
    if (a) a.n++;
    else m.set(k, { person_id: person, repo_id: repo, n: 1 });
  };
  const pause = pauser();
  for (const pack of await readWeeks(db, weeksOverlapping(from, to))) {
    await pause();
    const p = pack.prs;
    const prRepos = refs(p, 'repo_id');
    const prAuthors = refs(p, 'author_id');
    for (let i = 0; i < p.n; i++) {
      // A PR is packed in each week of its creation, clock start and merge: count it once, in the week it was created.
      if (!(p.cols.home[i]! & HOME.created)) continue;
      const at = p.cols.created_at[i]!;
      const repo = prRepos[p.cols.repo_id[i]!]!;
      if (at >= fromMs && at < toMs && (!wanted || wanted.has(repo))) add(authored, prAuthors[p.cols.author_id[i]!]!, repo);
    }
    const r = pack.reviews;
    const reviewRepos = refs(r, 'repo_id');
    const reviewers = refs(r, 'reviewer_id');
    for (let i = 0; i < r.n; i++) {
      const at = r.cols.submitted_at[i]!;
      const repo = reviewRepos[r.cols.repo_id[i]!]!;
      if (at >= fromMs && at < toMs && (!wanted || wanted.has(repo))) add(reviewed, reviewers[r.cols.reviewer_id[i]!]!, repo);
    }
  }
  return { authored: [...authored.values()], reviewed: [...reviewed.values()] };
}

/** Reviews submitted in [from, to) per reviewer → PR author pair; `repoId` limits them to one repository. */
export async function reviewsByPair(db: Db, from: string, to: string, repoId?: number): Promise<{ reviewer_id: number; author_id: number; n: number }[]> {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const pairs = new Map<number, { reviewer_id: number; author_id: number; n: number }>();
  const pause = pauser();
  for (const pack of await readWeeks(db, weeksOverlapping(from, to))) {
    await pause();
    const r = pack.reviews;
    const repo = repoId === undefined ? -1 : refs(r, 'repo_id').indexOf(repoId);
    if (repoId !== undefined && repo < 0) continue;
    const { reviewer, reviewAuthor, index } = pack.people;
    for (let i = 0; i < r.n; i++) {
      const at = r.cols.submitted_at[i]!;
      if (at < fromMs || at >= toMs || (repoId !== undefined && r.cols.repo_id[i] !== repo)) continue;
      const g = reviewer[r.cols.reviewer_id[i]!]!;
      const a = reviewAuthor[r.cols.author_id[i]!]!;
      // People have small numbers in the packs' index, so the pair is one map key.
      const k = pairKey(g, a, PERSON_SLOTS);
      const p = pairs.get(k);
      if (p) p.n++;
      else pairs.set(k, { reviewer_id: index.ids[g]!, author_id: index.ids[a]!, n: 1 });
    }
  }
  return [...pairs.values()];
}

/** Room for this many repositories, and people of the packs' index, beside a number in one key. */
const REPO_SLOTS = 2 ** 20;
const PERSON_SLOTS = 2 ** 26;

/**
 * One exact number for the pair (a, b) with 0 ≤ b < slots: a map key without making a string.
 * Exact while a × slots stays below 2^53 (person ids and index numbers stay far below 2^27).
 */
function pairKey(a: number, b: number, slots: number): number {
  return a * slots + b;
}
