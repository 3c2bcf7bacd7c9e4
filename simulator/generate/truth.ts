// The planted truth, computed by applying the shared definitions (docs/simulator.md) to the
// generated data itself: straightforward reference implementations, independent of the product.
import type { SimOrg, SimPull, Truth } from '../model.ts';
import { commitIdentities, doaAuthors, isCodeFile } from './doa.ts';
import { DAY } from './time.ts';
import { codeownersTruth } from './codeowners.truth.ts';
import { dirOf, dirReviewers } from './dir-reviewers.ts';

export const SETTINGS = { newcomerDays: 90, menteeLimit: 5, rubberStampLines: 200, mentorTenureGapDays: 180 };

export function computeTruth(org: SimOrg): Truth {
  const now = Date.parse(org.now);
  const winStart = now - 90 * DAY;
  const inWin = (iso: string) => { const t = Date.parse(iso); return t >= winStart && t <= now; };
  const bots = org.people.filter((p) => p.type === 'Bot' || p.login.endsWith('[bot]')).map((p) => p.login).sort();
  const ghost = org.people.find((p) => p.deleted)?.login ?? null;
  const excluded = new Set([...bots, ...(ghost ? [ghost] : [])]);
  const counted = (login: string) => !excluded.has(login);

  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const firstPr = new Map<string, number>();
  const touch = (login: string, iso: string, isActivityForTenure = true) => {
    const t = Date.parse(iso);
    if (isActivityForTenure && t < (first.get(login) ?? Infinity)) first.set(login, t);
    if (t > (last.get(login) ?? -Infinity)) last.set(login, t);
  };
  for (const p of org.pulls) {
    touch(p.author, p.createdAt);
    if (Date.parse(p.createdAt) < (firstPr.get(p.author) ?? Infinity)) firstPr.set(p.author, Date.parse(p.createdAt));
    for (const r of p.reviews) touch(r.author, r.submittedAt);
    for (const c of p.reviewComments) touch(c.author, c.createdAt);
    for (const c of p.issueComments) touch(c.author, c.createdAt);
  }
  for (const repo of org.repos) for (const c of repo.commits) if (c.authorLogin) touch(c.authorLogin, c.date, false);
  const tenure = (login: string) => (now - (first.get(login) ?? now)) / DAY;

  // Mentoring edges in the analysis window.
  const substantive = new Map<string, number>();
  for (const p of org.pulls) {
    if (!counted(p.author)) continue;
    const perReview = commentsPerReview(p);
    for (const r of p.reviews) {
      if (r.author === p.author || !counted(r.author) || !inWin(r.submittedAt)) continue;
      if (r.state === 'CHANGES_REQUESTED' || (perReview.get(r.id) ?? 0) >= 1 || r.body.trim() !== '') {
        const k = `${r.author}\u0000${p.author}`;
        substantive.set(k, (substantive.get(k) ?? 0) + 1);
      }
    }
  }
  const mentorPairs: { mentor: string; mentee: string }[] = [];
  for (const [k, n] of substantive) {
    const [mentor, mentee] = k.split('\u0000') as [string, string];
    if (n >= 2 && tenure(mentor) - tenure(mentee) >= SETTINGS.mentorTenureGapDays) mentorPairs.push({ mentor, mentee });
  }
  mentorPairs.sort((a, b) => cmp(a.mentor, b.mentor) || cmp(a.mentee, b.mentee));

  const newcomers = [...firstPr].filter(([login, t]) => counted(login) && t >= winStart && t <= now).map(([l]) => l).sort();
  const mentored = new Set(mentorPairs.map((e) => e.mentee));
  const menteesOf = new Map<string, Set<string>>();
  for (const e of mentorPairs) {
    let s = menteesOf.get(e.mentor);
    if (!s) menteesOf.set(e.mentor, (s = new Set()));
    s.add(e.mentee);
  }
  const overloadedMentors = [...menteesOf].filter(([, s]) => s.size > SETTINGS.menteeLimit).map(([m]) => m).sort();

  // Review load and rubber stamps in the window.
  const given = new Map<string, number>();
  const approvals = new Map<string, number>();
  const stamps = new Map<string, number>();
  for (const p of org.pulls) {
    const perReview = commentsPerReview(p);
    const big = p.additions + p.deletions > SETTINGS.rubberStampLines;
    for (const r of p.reviews) {
      if (!counted(r.author) || !inWin(r.submittedAt)) continue;
      given.set(r.author, (given.get(r.author) ?? 0) + 1);
      if (r.state !== 'APPROVED') continue;
      approvals.set(r.author, (approvals.get(r.author) ?? 0) + 1);
      if (big && (perReview.get(r.id) ?? 0) === 0 && r.body.trim() === '') stamps.set(r.author, (stamps.get(r.author) ?? 0) + 1);
    }
  }
  let sum = 0;
  for (const n of given.values()) sum += n;
  const mean = given.size === 0 ? 0 : sum / given.size;
  const loadCarriers = [...given].filter(([, n]) => n >= 3 * mean).map(([l]) => l).sort();
  const rubberStampers = [...stamps].filter(([l, n]) => n >= 3 && n / (approvals.get(l) ?? 1) >= 0.5).map(([l]) => l).sort();

  const activeRecently = (login: string) => (last.get(login) ?? -Infinity) >= winStart;
  const { knowledgeIslands, departedOwners } = knowledge(org, now, activeRecently, counted);
  const codeowners = codeownersTruth(org, now, counted);

  return {
    org: org.org.login, now: org.now, seed: org.seed, settings: { ...SETTINGS },
    mentorPairs, newcomers, newcomersWithoutMentor: newcomers.filter((n) => !mentored.has(n)),
    overloadedMentors, loadCarriers, rubberStampers, knowledgeIslands, departedOwners, bots, ghost,
    ...(codeowners.length ? { codeowners } : {}),
  };
}

function knowledge(org: SimOrg, now: number, active: (login: string) => boolean, counted: (login: string) => boolean) {
  const knowledgeIslands: Truth['knowledgeIslands'] = [];
  const owned = new Map<string, string[]>();
  const people = new Set(org.people.map((p) => p.login));
  const since = now - 180 * DAY;
  const pullsByRepo = new Map<string, SimPull[]>();
  for (const p of org.pulls) {
    let list = pullsByRepo.get(p.repo);
    if (!list) pullsByRepo.set(p.repo, (list = []));
    list.push(p);
  }
  for (const repo of org.repos) {
    const identityOf = commitIdentities(repo.commits);
    const authors = doaAuthors(repo.commits, identityOf);
    // Departed owners: count files (code) per author.
    const perAuthor = new Map<string, number>();
    const dirFiles = new Map<string, string[]>();
    for (const [path, list] of authors) {
      if (!isCodeFile(path)) continue;
      for (const a of list) perAuthor.set(a, (perAuthor.get(a) ?? 0) + 1);
      const d = dirOf(path);
      let l = dirFiles.get(d);
      if (!l) dirFiles.set(d, (l = []));
      l.push(path);
    }
    for (const [a, n] of perAuthor) {
      if (n < 10 || !people.has(a) || !counted(a) || active(a)) continue;
      const repos = owned.get(a) ?? [];
      repos.push(repo.name);
      owned.set(a, repos);
    }
    const reviewersByDir = dirReviewers(repo, pullsByRepo.get(repo.name) ?? [], since, now, counted);
    for (const [dir, files] of dirFiles) {
      if (files.length < 3) continue;
      const set = new Set<string>();
      for (const f of files) for (const a of authors.get(f) ?? []) set.add(a);
      for (const r of reviewersByDir.get(dir) ?? []) set.add(r);
      const [only] = set;
      if (set.size === 1 && only && people.has(only) && counted(only) && active(only)) knowledgeIslands.push({ repo: repo.name, directory: dir, owner: only });
    }
  }
  knowledgeIslands.sort((a, b) => cmp(a.repo, b.repo) || cmp(a.directory, b.directory));
  const departedOwners = [...owned].map(([login, repos]) => ({ login, repos: repos.sort() })).sort((a, b) => cmp(a.login, b.login));
  return { knowledgeIslands, departedOwners };
}

function commentsPerReview(p: SimPull): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of p.reviewComments) m.set(c.reviewId, (m.get(c.reviewId) ?? 0) + 1);
  return m;
}


function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
