import type { Db } from '../db/connect.ts';
import { HOME } from './packs.ts';
import { readWeeks, type WeekPack } from './packs.read.ts';
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
  const authored = repoCounts();
  const reviewed = repoCounts();
  const add = (review: boolean, person: number, repo: number, n: number) => {
    if (!wanted || wanted.has(repo)) (review ? reviewed : authored).add(person, repo, n);
  };
  const inWindow = (review: boolean, person: number, repo: number, at: number) => {
    if (at >= fromMs && at < toMs) add(review, person, repo, 1);
  };
  const pause = pauser();
  for (const pack of await readWeeks(db, weeksOverlapping(from, to))) {
    await pause();
    const week = weekActivity(pack);
    if (week.from >= fromMs && week.to <= toMs) {
      // A week wholly inside the window: its counts, made once per pack, and its few strays.
      for (const c of week.authored) add(false, c.person_id, c.repo_id, c.n);
      for (const c of week.reviewed) add(true, c.person_id, c.repo_id, c.n);
      for (const r of week.strays) inWindow(r.review, r.person, r.repo, r.at);
      continue;
    }
    eachRow(pack, inWindow);
  }
  return { authored: authored.list(), reviewed: reviewed.list() };
}

/** Counts per person and repository; repos get small numbers so (person, repo) is one map key. */
function repoCounts(): { add(person: number, repo: number, n: number): void; list(): RepoActivity[] } {
  const repoNo = new Map<number, number>();
  const counts = new Map<number, RepoActivity>();
  return {
    add(person, repo, n) {
      let r = repoNo.get(repo);
      if (r === undefined) repoNo.set(repo, (r = repoNo.size));
      const k = pairKey(person, r, REPO_SLOTS);
      const a = counts.get(k);
      if (a) a.n += n;
      else counts.set(k, { person_id: person, repo_id: repo, n });
    },
    list: () => [...counts.values()],
  };
}

/**
 * A pack's PRs opened and reviews given, per person and repository, for the rows whose time is
 * in the pack's own week; `strays` are the rows whose time is not (times kept as written, not
 * in GitHub's form, may name another week than their instant), checked one by one.
 */
interface WeekActivity {
  from: number;
  to: number;
  authored: RepoActivity[];
  reviewed: RepoActivity[];
  strays: { review: boolean; person: number; repo: number; at: number }[];
}

// Per decoded pack: the pack cache (packs.read.ts) hands out one object per week and
// generation, so a derive that rewrites a week drops its counts with it. The 180 days of
// activity behind mentor suggestions are then a sum of about 26 small lists, not a scan of
// every PR and review in them.
const weekCounts = new WeakMap<WeekPack, WeekActivity>();

function weekActivity(pack: WeekPack): WeekActivity {
  const kept = weekCounts.get(pack);
  if (kept) return kept;
  const from = Date.parse(`${pack.week}T00:00:00Z`);
  const to = from + 7 * 86_400_000;
  const authored = repoCounts();
  const reviewed = repoCounts();
  const strays: WeekActivity['strays'] = [];
  eachRow(pack, (review, person, repo, at) => {
    if (at < from || at >= to) strays.push({ review, person, repo, at });
    else (review ? reviewed : authored).add(person, repo, 1);
  });
  const out = { from, to, authored: authored.list(), reviewed: reviewed.list(), strays };
  weekCounts.set(pack, out);
  return out;
}

/** Each PR opened (once, in the pack of the week it was created) and each review of a pack, with its person, repository and time. */
function eachRow(pack: WeekPack, row: (review: boolean, person: number, repo: number, at: number) => void): void {
  const p = pack.prs;
  const prRepos = refs(p, 'repo_id');
  const prAuthors = refs(p, 'author_id');
  for (let i = 0; i < p.n; i++) {
    // A PR is packed in each week of its creation, clock start and merge: count it once, in the week it was created.
    if (!(p.cols.home[i]! & HOME.created)) continue;
    row(false, prAuthors[p.cols.author_id[i]!]!, prRepos[p.cols.repo_id[i]!]!, p.cols.created_at[i]!);
  }
  const r = pack.reviews;
  const reviewRepos = refs(r, 'repo_id');
  const reviewers = refs(r, 'reviewer_id');
  for (let i = 0; i < r.n; i++) row(true, reviewers[r.cols.reviewer_id[i]!]!, reviewRepos[r.cols.repo_id[i]!]!, r.cols.submitted_at[i]!);
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
