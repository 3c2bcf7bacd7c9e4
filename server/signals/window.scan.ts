import { addTtfrMs, emptyPrTotals, type PrTotals, type ReviewerAggregate } from './participation.ts';
import type { ClockedPr } from './gaps.ts';
import { hasExactTime, timeText } from './packs.codec.ts';
import { HOME, type PrPack, type ReviewPack } from './packs.ts';
import type { WeekPack } from './packs.read.ts';
import type { PairAggregate } from './mentoring.ts';
import type { SignalReviewFactsTable } from '../db/signals.tables.ts';
import { pauser } from './pause.ts';

// One pass over the week packs of a window: the totals a window report is made of, counted
// with the same rules the SQL over the fact tables used (a PR is in the window when it was
// created, merged or its review clock started in it; a review when it was submitted in it).
// Times are epoch milliseconds here; text is made only for the few rows a report lists.

export interface ScanQuery {
  from: number;
  to: number;
  /**
   * The parts of the same-length window before `from` (tiers move from there) whose activity
   * the scan counts, as [start, end) instants; the caller counts the rest another way.
   */
  previous: readonly (readonly [number, number])[];
  /** Start of the newcomer window ending at `to`. */
  newcomerFrom: number;
  repoId: number | undefined;
  /** Where waiting PRs' review clocks stop: the window's end, or the end of the synced history when that is earlier. */
  asOf: number;
  /** The team filter: PRs counted in the summary are its members'. */
  inTeam: (personId: number) => boolean;
  /** People who may be newcomers: their reviews received and PRs are kept as rows. */
  newcomerCandidates: ReadonlySet<number>;
  /** Which reviewer → author pairs to keep substantive totals for (those that can be mentoring edges). */
  keepPair: (reviewer: number, author: number) => boolean;
}

/** A review a newcomer received; `at` is when it was submitted (epoch ms). */
export type NewcomerReview = Pick<SignalReviewFactsTable, 'reviewer_id' | 'pr_id' | 'is_silent_approval' | 'is_substantive'> & { at: number };

export interface WindowScan {
  /** PR side of the summary: PRs in the window whose author is in the team filter. */
  prTotals: PrTotals;
  /** Changed lines (additions + deletions) of each PR counted in `prTotals.prs`, in no order. */
  prSizes: number[];
  /** PRs opened in the window per author (everyone). */
  prsOpened: Map<number, number>;
  /** Authors of any PR in the window. */
  authorsHere: Set<number>;
  /** Reviews given in the window, per reviewer (every reviewer; the team filter is the caller's). */
  given: Map<number, ReviewerAggregate>;
  /** Reviews received in the window per author: from anyone, and from the team filter's reviewers. */
  received: Map<number, number>;
  receivedInScope: Map<number, number>;
  /**
   * Pairs reviewer → author with their substantive reviews in the window (what mentoring edges
   * are made of), for the pairs `keep` accepts.
   */
  pairsWhere: (keep: (reviewer: number, author: number, substantive: number) => boolean) => PairAggregate[];
  /** PRs opened + reviews given per person in the `previous` parts. */
  previous: Map<number, number>;
  /** Reviews received by newcomer candidates in [newcomerFrom, to), any repo. */
  newcomerReviews: Map<number, NewcomerReview[]>;
  /** Newcomer candidates' PRs whose clock started in the window. */
  newcomerPrs: Map<number, ClockedPr[]>;
  /** The summary's PR and review counts per repository, by the same rules (the repo list's figures). */
  byRepo: Map<number, RepoTotals>;
  /** PRs merged in the window per author (everyone), and those merged without a review. */
  mergedBy: Map<number, { merged: number; mergedWithoutReview: number }>;
}

export interface RepoTotals {
  prs: number;
  merged: number;
  mergedWithoutReview: number;
  reviews: number;
  /** Ids of the people who gave those reviews: the repo's active reviewers. */
  reviewers: Set<number>;
}

function repoTotals(m: Map<number, RepoTotals>, id: number): RepoTotals {
  let t = m.get(id);
  if (!t) m.set(id, (t = { prs: 0, merged: 0, mergedWithoutReview: 0, reviews: 0, reviewers: new Set() }));
  return t;
}

const PR_TIMES = ['created_at', 'clock_start', 'merged_at'] as const;

export async function scanWindow(packs: readonly WeekPack[], q: ScanQuery): Promise<WindowScan> {
  const pause = pauser();
  const { from, to, newcomerFrom, repoId } = q;
  // At most two parts (before and after the whole weeks the caller counts).
  const [p0, p1] = [q.previous[0] ?? [0, 0], q.previous[1] ?? [0, 0]];
  if (q.previous.length > 2) throw new Error('scanWindow: at most two parts of the previous window');
  const inPreviousPart = (at: number) => (at >= p0[0] && at < p0[1]) || (at >= p1[0] && at < p1[1]);
  const ids = packs[0]?.people.index.ids ?? [];
  const n = ids.length;
  // The repo filter as each pack's ref index (-1: no row of that pack is in the repo).
  const repoRef = (d: PrPack | ReviewPack) => (repoId === undefined ? -1 : (d.header.refs.repo_id ?? []).indexOf(repoId));
  const inTeam = new Uint8Array(n);
  const candidate = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    inTeam[k] = q.inTeam(ids[k]!) ? 1 : 0;
    candidate[k] = q.newcomerCandidates.has(ids[k]!) ? 1 : 0;
  }
  const opened = new Int32Array(n);
  const previous = new Int32Array(n);
  const here = new Uint8Array(n);
  const opener = new Uint8Array(n);
  const merges = new Int32Array(n);
  const unreviewedMerges = new Int32Array(n);

  const prTotals = emptyPrTotals();
  const prSizes: number[] = [];
  const byRepo = new Map<number, RepoTotals>();
  const newcomerPrs = new Map<number, ClockedPr[]>();
  const seen = new Set<number>(); // PRs with times not in GitHub's form (see below)
  for (const pack of packs) {
    await pause();
    const p = pack.prs;
    const c = p.cols;
    const prAuthor = pack.people.prAuthor;
    const repos = p.header.refs.repo_id ?? [];
    const repo = repoRef(p);
    if (repoId !== undefined && repo < 0) continue;
    const exact = PR_TIMES.some((t) => p.header.exact[t] !== undefined);
    for (let i = 0; i < p.n; i++) {
      if (repoId !== undefined && c.repo_id[i] !== repo) continue;
      const created = c.created_at[i]!;
      const merged = c.merged_at[i]!;
      const clock = c.clock_start[i]!;
      const inPrevious = inPreviousPart(created);
      const isOpened = created >= from && created < to;
      const isMerged = merged >= from && merged < to;
      const isClock = clock >= from && clock < to;
      if (!inPrevious && !isOpened && !isMerged && !isClock) continue;
      // A PR is packed in up to three weeks; it is counted in the week of the first of its
      // times that is in the window (created, then clock start, then merge). Times kept as
      // written (not GitHub's form) may name another week than their instant: those PRs are
      // counted where first met instead.
      let countPrevious: boolean;
      let countWindow: boolean;
      if (exact && hasExactTime(p, PR_TIMES, i)) {
        if (seen.has(c.pr_id[i]!)) continue;
        seen.add(c.pr_id[i]!);
        countPrevious = inPrevious;
        countWindow = isOpened || isMerged || isClock;
      } else {
        const home = c.home[i]!;
        countPrevious = inPrevious && (home & HOME.created) !== 0;
        const first = isOpened ? HOME.created : isClock ? HOME.clock : isMerged ? HOME.merged : 0;
        countWindow = first !== 0 && (home & first) !== 0;
      }
      const a = prAuthor[c.author_id[i]!]!;
      if (countPrevious) previous[a]!++;
      if (!countWindow) continue;
      here[a] = 1;
      if (isOpened) opened[a]!++;
      if (isMerged) {
        merges[a]!++;
        if (!c.reviewed_before_merge[i]) unreviewedMerges[a]!++;
      }
      if (isClock && candidate[a]) push(newcomerPrs, ids[a]!, { clockStart: clock, firstReview: c.first_review_at[i]!, closed: Number.isNaN(merged) ? c.closed_at[i]! : merged });
      if (!inTeam[a]) continue;
      if (isOpened || isMerged) {
        const rt = repoTotals(byRepo, repos[c.repo_id[i]!]!);
        if (isOpened) rt.prs++;
        if (isMerged) {
          rt.merged++;
          if (!c.reviewed_before_merge[i]) rt.mergedWithoutReview++;
        }
      }
      if (isOpened) {
        prTotals.prs++;
        opener[a] = 1;
        prSizes.push(c.size[i]!);
      }
      if (isMerged) {
        prTotals.merged++;
        if (!c.reviewed_before_merge[i]) prTotals.mergedWithoutReview++;
      }
      if (isClock) addTtfrMs(prTotals, clock, c.first_review_at[i]!, Number.isNaN(merged) ? c.closed_at[i]! : merged, q.asOf);
    }
  }

  // Totals per person live in dense arrays. Pairs are kept for substantive reviews only, and
  // only pairs that can be mentoring edges (the edges are made of those), in typed arrays: reviews hit pairs in no
  // order, and small arrays keep those hits in cache where one object per pair would not.
  const given = { reviews: new Int32Array(n), substantive: new Int32Array(n), rubberStamps: new Int32Array(n), approvals: new Int32Array(n), crossKnown: new Int32Array(n), cross: new Int32Array(n) };
  const received = new Int32Array(n);
  const receivedInScope = new Int32Array(n);
  const dense = n * n <= 4_000_000 ? new Int32Array(n * n).fill(-1) : null;
  const sparse = new Map<number, number>();
  const t = new PairTable();
  const reviewPacks = packs.map((p) => p.reviews);
  const newcomerReviews = new Map<number, NewcomerReview[]>();
  for (let k = 0; k < packs.length; k++) {
    await pause();
    const pack = packs[k]!;
    const r = pack.reviews;
    const c = r.cols;
    const { reviewer, reviewAuthor } = pack.people;
    const repo = repoRef(r);
    const repos = r.header.refs.repo_id ?? [];
    for (let i = 0; i < r.n; i++) {
      const at = c.submitted_at[i]!;
      const a = reviewAuthor[c.author_id[i]!]!;
      // Reviews received by newcomers count in every repo (their first months are one story).
      if (candidate[a] && at >= newcomerFrom && at < to) {
        push(newcomerReviews, ids[a]!, { reviewer_id: ids[reviewer[c.reviewer_id[i]!]!]!, at, pr_id: c.pr_id[i]!, is_silent_approval: c.is_silent_approval[i]!, is_substantive: c.is_substantive[i]! });
      }
      if (repoId !== undefined && c.repo_id[i] !== repo) continue;
      const g = reviewer[c.reviewer_id[i]!]!;
      if (inPreviousPart(at)) previous[g]!++;
      if (at < from || at >= to) continue;
      given.reviews[g]!++;
      if (inTeam[g]) {
        const rt = repoTotals(byRepo, repos[c.repo_id[i]!]!);
        rt.reviews++;
        rt.reviewers.add(ids[g]!);
      }
      given.rubberStamps[g]! += c.is_rubber_stamp[i]!;
      given.approvals[g]! += c.is_approval[i]!;
      const cross = c.cross_team[i]!;
      if (cross >= 0) {
        given.crossKnown[g]!++;
        given.cross[g]! += cross;
      }
      received[a]!++;
      receivedInScope[a]! += inTeam[g]!;
      if (!c.is_substantive[i]) continue;
      given.substantive[g]!++;
      const key = g * n + a;
      let slot = dense ? dense[key]! : (sparse.get(key) ?? -1);
      if (slot === -1) {
        // First met: -2 marks a pair that can never be an edge, so it costs nothing again.
        slot = q.keepPair(ids[g]!, ids[a]!) ? t.add(g, a) : -2;
        if (dense) dense[key] = slot;
        else sparse.set(key, slot);
      }
      if (slot === -2) continue;
      t.substantive[slot]!++;
      t.inline[slot]! += c.inline_comments[i]!;
      if (at < t.firstMs[slot]!) {
        t.firstMs[slot] = at;
        t.firstPack[slot] = k;
        t.firstRow[slot] = i;
      }
      if (at > t.lastMs[slot]!) {
        t.lastMs[slot] = at;
        t.lastPack[slot] = k;
        t.lastRow[slot] = i;
      }
    }
  }
  /** The pairs `keep` accepts, with their first and last substantive review as stored text. */
  const pairsWhere = (keep: (reviewer: number, author: number, substantive: number) => boolean): PairAggregate[] => {
    const out: PairAggregate[] = [];
    for (let k = 0; k < t.size; k++) {
      const reviewer = ids[t.reviewer[k]!]!;
      const author = ids[t.author[k]!]!;
      if (!keep(reviewer, author, t.substantive[k]!)) continue;
      out.push({
        reviewer_id: reviewer,
        author_id: author,
        substantive: t.substantive[k]!,
        inline: t.inline[k]!,
        first_at: timeText(reviewPacks[t.firstPack[k]!]!, 'submitted_at', t.firstRow[k]!)!,
        last_at: timeText(reviewPacks[t.lastPack[k]!]!, 'submitted_at', t.lastRow[k]!)!,
      });
    }
    return out;
  };

  const prsOpened = new Map<number, number>();
  const mergedBy = new Map<number, { merged: number; mergedWithoutReview: number }>();
  const previousActivity = new Map<number, number>();
  const authorsHere = new Set<number>();
  const givenBy = new Map<number, ReviewerAggregate>();
  const receivedBy = new Map<number, number>();
  const receivedInScopeBy = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const id = ids[k]!;
    if (opened[k]) prsOpened.set(id, opened[k]!);
    if (merges[k]) mergedBy.set(id, { merged: merges[k]!, mergedWithoutReview: unreviewedMerges[k]! });
    if (previous[k]) previousActivity.set(id, previous[k]!);
    if (here[k]) authorsHere.add(id);
    if (opener[k]) prTotals.openers.add(id);
    if (given.reviews[k]) {
      givenBy.set(id, { reviews: given.reviews[k]!, substantive: given.substantive[k]!, rubberStamps: given.rubberStamps[k]!, approvals: given.approvals[k]!, crossKnown: given.crossKnown[k]!, cross: given.cross[k]! });
    }
    if (received[k]) receivedBy.set(id, received[k]!);
    if (receivedInScope[k]) receivedInScopeBy.set(id, receivedInScope[k]!);
  }
  return { prTotals, prSizes, prsOpened, authorsHere, given: givenBy, received: receivedBy, receivedInScope: receivedInScopeBy, pairsWhere, previous: previousActivity, newcomerReviews, newcomerPrs, byRepo, mergedBy };
}

/** Per-pair totals, one typed array per field, grown as pairs are met. */
class PairTable {
  size = 0;
  reviewer = new Int32Array(0);
  author = new Int32Array(0);
  substantive = new Int32Array(0);
  inline = new Int32Array(0);
  firstMs = new Float64Array(0);
  lastMs = new Float64Array(0);
  firstPack = new Int32Array(0);
  firstRow = new Int32Array(0);
  lastPack = new Int32Array(0);
  lastRow = new Int32Array(0);

  add(reviewer: number, author: number): number {
    if (this.size === this.substantive.length) this.grow(Math.max(1024, this.size * 2));
    const k = this.size++;
    this.reviewer[k] = reviewer;
    this.author[k] = author;
    this.firstMs[k] = Infinity;
    this.lastMs[k] = -Infinity;
    this.firstPack[k] = -1;
    this.lastPack[k] = -1;
    return k;
  }

  private grow(capacity: number): void {
    const int = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const float = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.reviewer = int(this.reviewer);
    this.author = int(this.author);
    this.substantive = int(this.substantive);
    this.inline = int(this.inline);
    this.firstMs = float(this.firstMs);
    this.lastMs = float(this.lastMs);
    this.firstPack = int(this.firstPack);
    this.firstRow = int(this.firstRow);
    this.lastPack = int(this.lastPack);
    this.lastRow = int(this.lastRow);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
