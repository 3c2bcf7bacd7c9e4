// Who reviews each directory, for the truth (knowledge islands, CODEOWNERS): the reviewers of
// merged PRs touching it, as docs/simulator.md defines them. Shared by truth.ts and
// codeowners.truth.ts.
import type { SimCommit, SimPull, SimRepo } from '../model.ts';

/** Reviewers (not the author, counted people) of the repo's PRs merged in [since, now], by directory they touched. */
export function dirReviewers(repo: SimRepo, pulls: readonly SimPull[], since: number, now: number, counted: (login: string) => boolean): Map<string, Set<string>> {
  const byPr = new Map<number, SimCommit>();
  for (const c of repo.commits) if (c.prNumber !== null) byPr.set(c.prNumber, c);
  const reviewersByDir = new Map<string, Set<string>>();
  for (const p of pulls) {
    if (p.repo !== repo.name || !p.mergedAt || Date.parse(p.mergedAt) < since || Date.parse(p.mergedAt) > now) continue;
    const revs = p.reviews.map((r) => r.author).filter((r) => r !== p.author && counted(r));
    if (revs.length === 0) continue;
    const c = byPr.get(p.number);
    const dirs = new Set<string>();
    for (const ch of c?.changes ?? p.files ?? []) {
      dirs.add(dirOf(ch.path));
      if (ch.from) dirs.add(dirOf(ch.from));
    }
    for (const d of dirs) {
      let s = reviewersByDir.get(d);
      if (!s) reviewersByDir.set(d, (s = new Set()));
      for (const r of revs) s.add(r);
    }
  }
  return reviewersByDir;
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
