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
  // At most two parts (before and after the whole weeks the caller counts).
  if (q.previous.length > 2) throw new Error('scanWindow: at most two parts of the previous window');
  const ids = packs[0]?.people.index.ids ?? [];
  const s = new ScanState(q, ids);
  // The loops over rows are plain functions of one pack: V8 keeps their locals in registers,
  // where in this async function every variable lives across the awaits in a context object.
  for (const pack of packs) {
    await pause();
    scanPrs(s, pack);
  }
  for (let k = 0; k < packs.length; k++) {
    await pause();
    scanReviews(s, packs[k]!, k);
  }
  return s.result(packs.map((p) => p.reviews));
}

/** What one scan adds up: totals per person in dense arrays (PersonIndex numbers), per pair in a PairTable. */
class ScanState {
  readonly n: number;
  readonly from: number;
  readonly to: number;
  readonly newcomerFrom: number;
  readonly asOf: number;
  readonly repoId: number | undefined;
  readonly p0s: number;
  readonly p0e: number;
  readonly p1s: number;
  readonly p1e: number;
  readonly inTeam: Uint8Array;
  readonly candidate: Uint8Array;
  readonly opened: Int32Array;
  readonly previous: Int32Array;
  readonly here: Uint8Array;
  readonly opener: Uint8Array;
  readonly merges: Int32Array;
  readonly unreviewedMerges: Int32Array;
  readonly prTotals = emptyPrTotals();
  readonly prSizes: number[] = [];
  readonly byRepo = new Map<number, RepoTotals>();
  private readonly slots = new Map<number, RepoSlot>();
  readonly newcomerPrs = new Map<number, ClockedPr[]>();
  /** PRs with times not in GitHub's form (see scanPrs). */
  readonly seen = new Set<number>();
  readonly reviews: Int32Array;
  readonly substantive: Int32Array;
  readonly rubberStamps: Int32Array;
  readonly approvals: Int32Array;
  readonly crossKnown: Int32Array;
  readonly cross: Int32Array;
  readonly received: Int32Array;
  readonly receivedInScope: Int32Array;
  /** Pair slot per reviewer × author (-1 not met yet, -2 never an edge); sparse when dense would be too big. */
  readonly dense: Int32Array | null;
  readonly sparse = new Map<number, number>();
  readonly pairs = new PairTable();
  readonly newcomerReviews = new Map<number, NewcomerReview[]>();

  constructor(
    readonly q: ScanQuery,
    readonly ids: readonly number[],
  ) {
    const n = (this.n = ids.length);
    this.from = q.from;
    this.to = q.to;
    this.newcomerFrom = q.newcomerFrom;
    this.asOf = q.asOf;
    this.repoId = q.repoId;
    const [p0, p1] = [q.previous[0] ?? [0, 0], q.previous[1] ?? [0, 0]];
    [this.p0s, this.p0e, this.p1s, this.p1e] = [p0[0], p0[1], p1[0], p1[1]];
    this.inTeam = new Uint8Array(n);
    this.candidate = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      this.inTeam[k] = q.inTeam(ids[k]!) ? 1 : 0;
      this.candidate[k] = q.newcomerCandidates.has(ids[k]!) ? 1 : 0;
    }
    this.opened = new Int32Array(n);
    this.previous = new Int32Array(n);
    this.here = new Uint8Array(n);
    this.opener = new Uint8Array(n);
    this.merges = new Int32Array(n);
    this.unreviewedMerges = new Int32Array(n);
    this.reviews = new Int32Array(n);
    this.substantive = new Int32Array(n);
    this.rubberStamps = new Int32Array(n);
    this.approvals = new Int32Array(n);
    this.crossKnown = new Int32Array(n);
    this.cross = new Int32Array(n);
    this.received = new Int32Array(n);
    this.receivedInScope = new Int32Array(n);
    this.dense = n * n <= 4_000_000 ? new Int32Array(n * n).fill(-1) : null;
  }

  /** The repo filter as a pack's ref index (-1: no row of that pack is in the repo). */
  repoRef(d: PrPack | ReviewPack): number {
    return this.repoId === undefined ? -1 : (d.header.refs.repo_id ?? []).indexOf(this.repoId);
  }

  result(reviewPacks: readonly ReviewPack[]): WindowScan {
    const { ids, n, pairs: t, prTotals } = this;
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
      if (this.opened[k]) prsOpened.set(id, this.opened[k]!);
      if (this.merges[k]) mergedBy.set(id, { merged: this.merges[k]!, mergedWithoutReview: this.unreviewedMerges[k]! });
      if (this.previous[k]) previousActivity.set(id, this.previous[k]!);
      if (this.here[k]) authorsHere.add(id);
      if (this.opener[k]) prTotals.openers.add(id);
      if (this.reviews[k]) {
        givenBy.set(id, { reviews: this.reviews[k]!, substantive: this.substantive[k]!, rubberStamps: this.rubberStamps[k]!, approvals: this.approvals[k]!, crossKnown: this.crossKnown[k]!, cross: this.cross[k]! });
      }
      if (this.received[k]) receivedBy.set(id, this.received[k]!);
      if (this.receivedInScope[k]) receivedInScopeBy.set(id, this.receivedInScope[k]!);
    }
    return {
      prTotals,
      prSizes: this.prSizes,
      prsOpened,
      authorsHere,
      given: givenBy,
      received: receivedBy,
      receivedInScope: receivedInScopeBy,
      pairsWhere,
      previous: previousActivity,
      newcomerReviews: this.newcomerReviews,
      newcomerPrs: this.newcomerPrs,
      byRepo: this.byRepo,
      mergedBy,
    };
  }

  /** A repo's totals, made when a row first counts there. */
  repoSlot(id: number): RepoSlot {
    let slot = this.slots.get(id);
    if (!slot) this.slots.set(id, (slot = { totals: repoTotals(this.byRepo, id), reviewed: new Uint8Array(this.n) }));
    return slot;
  }
}

/** A repo's totals, and which people (by PersonIndex number) are already among its reviewers. */
interface RepoSlot {
  totals: RepoTotals;
  reviewed: Uint8Array;
}

/** One pack's PRs: a PR is in the window when it was created, merged or its review clock started in it. */
function scanPrs(s: ScanState, pack: WeekPack): void {
  // Locals for what the loop reads, as in scanReviews.
  const { from, to, repoId, ids, inTeam, candidate, opened, previous, here, opener, merges, unreviewedMerges, prTotals, prSizes, seen, p0s, p0e, p1s, p1e, asOf } = s;
  const p = pack.prs;
  const c = p.cols;
  const { repo_id: repoRefs, created_at: createdAt, merged_at: mergedAt, clock_start: clockStart, closed_at: closedAt, first_review_at: firstReviewAt, reviewed_before_merge: reviewedBeforeMerge, author_id: authorRef, home: homes, size: sizes, pr_id: prId } = c;
  const prAuthor = pack.people.prAuthor;
  const repo = s.repoRef(p);
  if (repoId !== undefined && repo < 0) return;
  // The repo totals of each of the pack's repo refs, looked up once per pack and ref.
  const repos = p.header.refs.repo_id ?? [];
  const repoSlots: (RepoSlot | undefined)[] = [];
  const exact = PR_TIMES.some((t) => p.header.exact[t] !== undefined);
  for (let i = 0; i < p.n; i++) {
    if (repoId !== undefined && repoRefs[i] !== repo) continue;
    const created = createdAt[i]!;
    const merged = mergedAt[i]!;
    const clock = clockStart[i]!;
    const inPrevious = (created >= p0s && created < p0e) || (created >= p1s && created < p1e);
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
      if (seen.has(prId[i]!)) continue;
      seen.add(prId[i]!);
      countPrevious = inPrevious;
      countWindow = isOpened || isMerged || isClock;
    } else {
      const home = homes[i]!;
      countPrevious = inPrevious && (home & HOME.created) !== 0;
      const first = isOpened ? HOME.created : isClock ? HOME.clock : isMerged ? HOME.merged : 0;
      countWindow = first !== 0 && (home & first) !== 0;
    }
    const a = prAuthor[authorRef[i]!]!;
    if (countPrevious) previous[a]!++;
    if (!countWindow) continue;
    here[a] = 1;
    if (isOpened) opened[a]!++;
    if (isMerged) {
      merges[a]!++;
      if (!reviewedBeforeMerge[i]) unreviewedMerges[a]!++;
    }
    if (isClock && candidate[a]) push(s.newcomerPrs, ids[a]!, { clockStart: clock, firstReview: firstReviewAt[i]!, closed: Number.isNaN(merged) ? closedAt[i]! : merged });
    if (!inTeam[a]) continue;
    if (isOpened || isMerged) {
      const ref = repoRefs[i]!;
      const rt = (repoSlots[ref] ??= s.repoSlot(repos[ref]!)).totals;
      if (isOpened) rt.prs++;
      if (isMerged) {
        rt.merged++;
        if (!reviewedBeforeMerge[i]) rt.mergedWithoutReview++;
      }
    }
    if (isOpened) {
      prTotals.prs++;
      opener[a] = 1;
      prSizes.push(sizes[i]!);
    }
    if (isMerged) {
      prTotals.merged++;
      if (!reviewedBeforeMerge[i]) prTotals.mergedWithoutReview++;
    }
    if (isClock) addTtfrMs(prTotals, clock, firstReviewAt[i]!, Number.isNaN(merged) ? closedAt[i]! : merged, asOf);
  }
}

/**
 * One pack's reviews (pack number k of the scan): a review is in the window when it was
 * submitted in it. Pairs are kept for substantive reviews only, and only pairs that can be
 * mentoring edges (the edges are made of those), in typed arrays: reviews hit pairs in no
 * order, and small arrays keep those hits in cache where one object per pair would not.
 */
function scanReviews(s: ScanState, pack: WeekPack, k: number): void {
  // Everything the loop reads lives in a local: a field or column read per row would be read
  // again after every call the loop may make.
  const { from, to, newcomerFrom, repoId, ids, n, inTeam, candidate, previous, dense, sparse, pairs: t, received, receivedInScope, p0s, p0e, p1s, p1e } = s;
  const { reviews, substantive, rubberStamps, approvals, crossKnown, cross } = s;
  const r = pack.reviews;
  const { submitted_at: submittedAt, author_id: authorRef, reviewer_id: reviewerRef, repo_id: repoRefs, pr_id: prId, is_silent_approval: silent, is_substantive: isSubstantive, is_rubber_stamp: rubberStamp, is_approval: approval, cross_team: crossTeam, inline_comments: inline } = r.cols;
  const { reviewer, reviewAuthor } = pack.people;
  const repo = s.repoRef(r);
  const repos = r.header.refs.repo_id ?? [];
  const repoSlots: (RepoSlot | undefined)[] = [];
  for (let i = 0; i < r.n; i++) {
    const at = submittedAt[i]!;
    const a = reviewAuthor[authorRef[i]!]!;
    // Reviews received by newcomers count in every repo (their first months are one story).
    if (candidate[a] && at >= newcomerFrom && at < to) {
      push(s.newcomerReviews, ids[a]!, { reviewer_id: ids[reviewer[reviewerRef[i]!]!]!, at, pr_id: prId[i]!, is_silent_approval: silent[i]!, is_substantive: isSubstantive[i]! });
    }
    if (repoId !== undefined && repoRefs[i] !== repo) continue;
    const g = reviewer[reviewerRef[i]!]!;
    if ((at >= p0s && at < p0e) || (at >= p1s && at < p1e)) previous[g]!++;
    if (at < from || at >= to) continue;
    reviews[g]!++;
    if (inTeam[g]) {
      const ref = repoRefs[i]!;
      const rt = (repoSlots[ref] ??= s.repoSlot(repos[ref]!));
      rt.totals.reviews++;
      if (!rt.reviewed[g]) {
        rt.reviewed[g] = 1;
        rt.totals.reviewers.add(ids[g]!);
      }
    }
    rubberStamps[g]! += rubberStamp[i]!;
    approvals[g]! += approval[i]!;
    const x = crossTeam[i]!;
    if (x >= 0) {
      crossKnown[g]!++;
      cross[g]! += x;
    }
    received[a]!++;
    receivedInScope[a]! += inTeam[g]!;
    if (!isSubstantive[i]) continue;
    substantive[g]!++;
    const key = g * n + a;
    let slot = dense ? dense[key]! : (sparse.get(key) ?? -1);
    if (slot === -1) {
      // First met: -2 marks a pair that can never be an edge, so it costs nothing again.
      slot = s.q.keepPair(ids[g]!, ids[a]!) ? t.add(g, a) : -2;
      if (dense) dense[key] = slot;
      else sparse.set(key, slot);
    }
    if (slot === -2) continue;
    t.substantive[slot]!++;
    t.inline[slot]! += inline[i]!;
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
