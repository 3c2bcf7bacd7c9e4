// evolveOrg: new activity after org.now, deterministically (same org in → same org out), so a
// second sync can be checked to pick up exactly what changed. Moves org.now and the truth on.
import type { SimCommit, SimFileChange, SimOrg, SimPerson, SimPull, SimRepo, SimReview } from '../model.ts';
import { isCodeFile } from './doa.ts';
import { nodeId } from './ids.ts';
import type { IdKind } from './ids.ts';
import { createRng, hash32 } from './random.ts';
import type { Rng } from './random.ts';
import { text } from './text.ts';
import { computeTruth } from './truth.ts';
import { DAY, HOUR, iso } from './time.ts';

export interface EvolveOptions {
  newPulls?: number;
  newReviewsOnOldPulls?: number;
  lateMerges?: number;
  /** How far org.now moves (days); new activity falls in between. */
  days?: number;
}

export interface PullRef {
  repo: string;
  number: number;
}

export interface EvolveSummary {
  from: string;
  to: string;
  newPulls: PullRef[];
  /** Older PRs that received a new review. */
  reviewedPulls: PullRef[];
  /** Older open PRs merged now. */
  lateMerged: PullRef[];
}

export function evolveOrg(org: SimOrg, opts: EvolveOptions = {}): EvolveSummary {
  const from = Date.parse(org.now);
  const to = from + (opts.days ?? 2) * DAY;
  const rng = createRng(hash32(`${org.seed}:${org.now}:${org.pulls.length}`));
  const ids = idCounters(org);
  const active = org.people.filter((p) => p.type === 'User' && !p.deleted && p.leftAt === null);
  if (active.length < 2) throw new Error('evolveOrg needs at least two active people in the org.');
  const at = () => from + HOUR + Math.floor(rng.next() * (to - from - 2 * HOUR));
  const repoByName = new Map(org.repos.map((r) => [r.name, r]));
  const summary: EvolveSummary = { from: org.now, to: iso(to), newPulls: [], reviewedPulls: [], lateMerged: [] };

  // Older open PRs: some get merged late, others a new review.
  const open = org.pulls.filter((p) => p.closedAt === null && !p.isDraft && Date.parse(p.createdAt) < from && !isDeletedOrGone(org, p.author));
  rng.shuffle(open);
  const merging = open.slice(0, opts.lateMerges ?? 2);
  // Reviews go to the other open PRs first, then to the most recently closed ones (post-merge reviews).
  const recent = org.pulls.filter((p) => p.closedAt !== null && !p.author.endsWith('[bot]')).sort((a, b) => cmp(b.closedAt as string, a.closedAt as string) || cmp(a.repo, b.repo) || a.number - b.number);
  const reviewing = [...open.slice(merging.length), ...recent].slice(0, opts.newReviewsOnOldPulls ?? 3);
  for (const p of reviewing) {
    const t = at();
    addReview(p, pickOther(rng, active, p.author), t, rng, ids);
    summary.reviewedPulls.push({ repo: p.repo, number: p.number });
  }
  for (const p of merging) {
    const t = at();
    const repo = repoByName.get(p.repo) as SimRepo;
    const author = org.people.find((x) => x.login === p.author) as SimPerson;
    const changes = validChanges(repo, p.files ?? []) ?? synthesize(repo, rng, p.additions, p.deletions);
    const c = squash(repo, author, p, t, changes);
    p.mergedAt = iso(t);
    p.closedAt = iso(t);
    p.mergedBy = author.login;
    p.commitIds = [c.id];
    p.files = changes;
    p.changedFiles = changes.length;
    touch(p, t);
    summary.lateMerged.push({ repo: p.repo, number: p.number });
  }
  // Brand-new PRs; most are merged within the period, each gets a review.
  for (let i = 0; i < (opts.newPulls ?? 5); i++) {
    const repo = rng.pick(org.repos);
    const author = rng.pick(active);
    const created = at();
    const number = 1 + org.pulls.reduce((m, p) => (p.repo === repo.name && p.number > m ? p.number : m), 0);
    const changes = synthesize(repo, rng, rng.int(3, 150), rng.int(0, 40));
    const id = ids('pull');
    const p: SimPull = {
      id, nodeId: nodeId('pull', id), repo: repo.name, number, title: text.prTitle(rng), body: text.prBody(rng),
      author: author.login, headRef: `${author.login}/change-${number}`, baseRef: repo.defaultBranch,
      createdAt: iso(created), updatedAt: iso(created), closedAt: null, mergedAt: null, mergedBy: null,
      isDraft: false, readyAt: null,
      additions: changes.reduce((n, c) => n + c.additions, 0), deletions: changes.reduce((n, c) => n + c.deletions, 0),
      changedFiles: changes.length, commitIds: [`pr${number}-head`], files: changes,
      reviewRequests: [], reviews: [], reviewComments: [], issueComments: [],
    };
    const reviewer = pickOther(rng, active, author.login);
    const reviewAt = Math.min(to - HOUR / 2, created + rng.int(1, 6) * HOUR);
    p.reviewRequests.push({ reviewer: reviewer.login, team: null, requestedAt: iso(created), pending: false });
    addReview(p, reviewer, reviewAt, rng, ids);
    if (rng.chance(0.6)) {
      const mergeAt = Math.min(to - HOUR / 4, reviewAt + HOUR);
      const c = squash(repo, author, p, mergeAt, changes);
      p.mergedAt = iso(mergeAt);
      p.closedAt = iso(mergeAt);
      p.mergedBy = author.login;
      p.commitIds = [c.id];
      touch(p, mergeAt);
    }
    org.pulls.push(p);
    summary.newPulls.push({ repo: p.repo, number: p.number });
  }
  const order = new Map(org.repos.map((r, i) => [r.name, i]));
  org.pulls.sort((a, b) => (order.get(a.repo) ?? 0) - (order.get(b.repo) ?? 0) || a.number - b.number);
  org.now = iso(to);
  org.truth = computeTruth(org);
  return summary;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDeletedOrGone(org: SimOrg, login: string): boolean {
  const p = org.people.find((x) => x.login === login);
  return !p || p.deleted || p.leftAt !== null || p.type === 'Bot';
}

function pickOther(rng: Rng, people: SimPerson[], not: string): SimPerson {
  for (;;) {
    const p = rng.pick(people);
    if (p.login !== not) return p;
  }
}

function touch(p: SimPull, t: number): void {
  if (t > Date.parse(p.updatedAt)) p.updatedAt = iso(t);
}

function addReview(p: SimPull, who: SimPerson, t: number, rng: Rng, ids: (k: IdKind) => number): void {
  const rid = ids('review');
  const withComment = rng.chance(0.5) && (p.files?.length ?? 0) > 0;
  const review: SimReview = {
    id: rid, nodeId: nodeId('review', rid), author: who.login,
    state: withComment ? 'COMMENTED' : 'APPROVED', body: withComment ? text.reviewBody(rng) : '', submittedAt: iso(t),
  };
  p.reviews.push(review);
  if (withComment) {
    const f = rng.pick(p.files as SimFileChange[]);
    const cid = ids('reviewComment');
    p.reviewComments.push({
      id: cid, nodeId: nodeId('reviewComment', cid), reviewId: rid, author: who.login, body: text.reviewComment(rng),
      path: f.path, line: Math.max(1, Math.min(f.additions, 40)), createdAt: iso(t), updatedAt: iso(t), inReplyTo: null,
    });
  }
  touch(p, t);
}

function squash(repo: SimRepo, author: SimPerson, p: SimPull, t: number, changes: SimFileChange[]): SimCommit {
  const c: SimCommit = {
    id: `c${String(repo.commits.length + 1).padStart(6, '0')}`, prNumber: p.number,
    authorLogin: author.deleted ? null : author.login, authorName: author.name ?? author.login, authorEmail: author.email,
    date: iso(t), message: `${p.title} (#${p.number})`, changes,
  };
  repo.commits.push(c);
  return c;
}

function headFiles(repo: SimRepo): Set<string> {
  const files = new Set<string>();
  for (const c of repo.commits) {
    for (const ch of c.changes) {
      if (ch.kind === 'delete') files.delete(ch.path);
      else {
        if (ch.kind === 'rename' && ch.from) files.delete(ch.from);
        files.add(ch.path);
      }
    }
  }
  return files;
}

/** The PR's own changes if they still apply to HEAD, else null. */
function validChanges(repo: SimRepo, changes: SimFileChange[]): SimFileChange[] | null {
  if (changes.length === 0) return null;
  const head = headFiles(repo);
  for (const c of changes) {
    if (c.kind === 'add' ? head.has(c.path) : !head.has(c.kind === 'rename' ? (c.from ?? '') : c.path)) return null;
  }
  return changes;
}

/** Modifications of existing code files, summing to the given additions and deletions. */
function synthesize(repo: SimRepo, rng: Rng, additions: number, deletions: number): SimFileChange[] {
  const code = [...headFiles(repo)].filter(isCodeFile).sort();
  const path = code.length > 0 ? rng.pick(code) : 'README.md';
  return [{ path, kind: 'modify', additions, deletions }];
}

/** New ids continue after the largest of each kind, like GitHub's growing sequences. */
function idCounters(org: SimOrg): (k: IdKind) => number {
  let pull = 0, review = 0, rc = 0;
  for (const p of org.pulls) {
    pull = Math.max(pull, p.id);
    for (const r of p.reviews) review = Math.max(review, r.id);
    for (const c of p.reviewComments) rc = Math.max(rc, c.id);
  }
  return (k) => {
    if (k === 'pull') return (pull += 7);
    if (k === 'review') return (review += 3);
    if (k === 'reviewComment') return (rc += 5);
    throw new Error(`evolveOrg does not create ${k} objects`);
  };
}
