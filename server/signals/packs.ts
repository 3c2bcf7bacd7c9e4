import type { SignalPrFactsTable, SignalReviewFactsTable } from '../db/signals.tables.ts';
import { decode, encode, reader, refs, texts, timeText, type ColumnKind, type Decoded, type Getters, type Schema } from './packs.codec.ts';
import { weekOf } from './weeks.ts';

// Week packs (signal_week_packs): the fact rows of each ISO week, packed column by column.
// A PR is packed in the weeks of its creation, clock start and merge (the weeks it counts in),
// a review in the week it was submitted. Written with the facts by every derive, they are what
// window reports and rollups read: one row per week instead of one per PR and review. This
// file holds the layout; packs.read.ts reads and keeps them, jobs/derive/packs.write.ts writes them.

export const PR_COLUMNS = {
  pr_id: 'f64',
  repo_id: 'ref',
  author_id: 'ref',
  created_at: 'time',
  clock_start: 'time',
  clock_source: 'text',
  first_review_at: 'time',
  merged_at: 'time',
  closed_at: 'time',
  reviewed_before_merge: 'u8',
  size: 'f64',
  /** Which of created_at (1), clock_start (2), merged_at (4) fall in this pack's week. */
  home: 'u8',
} as const satisfies Record<keyof SignalPrFactsTable | 'home', ColumnKind>;

export const REVIEW_COLUMNS = {
  review_id: 'f64',
  pr_id: 'f64',
  repo_id: 'ref',
  reviewer_id: 'ref',
  author_id: 'ref',
  submitted_at: 'time',
  state: 'text',
  is_approval: 'u8',
  is_substantive: 'u8',
  is_silent_approval: 'u8',
  is_rubber_stamp: 'u8',
  inline_comments: 'i32',
  cross_team: 'tri',
} as const satisfies Record<keyof SignalReviewFactsTable, ColumnKind>;

/** The bits of PR_COLUMNS.home. */
/** Bumped when the packed layout changes: a database whose packs are older is repacked. */
export const PACKS_FORMAT = '1';

export const HOME = { created: 1, clock: 2, merged: 4 } as const;

export type PrPack = Decoded<typeof PR_COLUMNS>;
export type ReviewPack = Decoded<typeof REVIEW_COLUMNS>;

export interface WeekFacts {
  prs: SignalPrFactsTable[];
  /** Per PR: which of its times fall in this week (HOME bits). */
  homes: number[];
  reviews: SignalReviewFactsTable[];
}

/** Facts grouped by the weeks they are packed in; only the weeks in `only` when given. */
export function factsByWeek(prFacts: readonly SignalPrFactsTable[], reviewFacts: readonly SignalReviewFactsTable[], only?: ReadonlySet<string>): Map<string, WeekFacts> {
  const out = new Map<string, WeekFacts>();
  const bucket = (week: string) => {
    let b = out.get(week);
    if (!b) out.set(week, (b = { prs: [], homes: [], reviews: [] }));
    return b;
  };
  for (const w of only ?? []) bucket(w);
  const add = (w: string, p: SignalPrFactsTable, home: number) => {
    if (only && !only.has(w)) return;
    const b = bucket(w);
    b.prs.push(p);
    b.homes.push(home);
  };
  for (const p of prFacts) {
    const a = weekOf(p.created_at);
    const b = weekOf(p.clock_start);
    const c = p.merged_at === null ? null : weekOf(p.merged_at);
    const bits = (w: string) => (a === w ? HOME.created : 0) | (b === w ? HOME.clock : 0) | (c === w ? HOME.merged : 0);
    add(a, p, bits(a));
    if (b !== a) add(b, p, bits(b));
    if (c !== null && c !== a && c !== b) add(c, p, bits(c));
  }
  for (const r of reviewFacts) {
    const w = weekOf(r.submitted_at);
    if (!only || only.has(w)) bucket(w).reviews.push(r);
  }
  return out;
}

/**
 * A week's pack with the rows of the `drop`ped PRs taken out and `add`'s rows put in (the
 * incremental derive's patch). Kept rows go from the old columns to the new ones without
 * becoming objects. Null when the week is left with no facts.
 */
export function patchWeek(week: string, old: { prs: PrPack; reviews: ReviewPack } | undefined, drop: ReadonlySet<number>, add: WeekFacts): EncodedWeek | null {
  const keptPrs: number[] = [];
  const keptReviews: number[] = [];
  if (old) {
    for (let i = 0; i < old.prs.n; i++) if (!drop.has(old.prs.cols.pr_id[i]!)) keptPrs.push(i);
    for (let i = 0; i < old.reviews.n; i++) if (!drop.has(old.reviews.cols.pr_id[i]!)) keptReviews.push(i);
  }
  const prs = keptPrs.length + add.prs.length;
  const reviews = keptReviews.length + add.reviews.length;
  if (prs === 0 && reviews === 0) return null;
  const merge = <S extends Schema, R>(schema: S, d: Decoded<S> | undefined, kept: number[], rows: readonly R[], fresh: (name: keyof S & string) => (row: R, j: number) => unknown) => {
    const get = {} as Getters<S>;
    for (const name of Object.keys(schema) as (keyof S & string)[]) {
      const before = d ? reader(schema, d, name) : () => null;
      const after = fresh(name);
      get[name] = (i) => (i < kept.length ? before(kept[i]!) : after(rows[i - kept.length]!, i - kept.length));
    }
    return get;
  };
  return {
    week,
    prs,
    reviews,
    pr_pack: encode(PR_COLUMNS, prs, merge(PR_COLUMNS, old?.prs, keptPrs, add.prs, (name) => (name === 'home' ? (_, j) => add.homes[j] : (row) => row[name as keyof SignalPrFactsTable]))),
    review_pack: encode(REVIEW_COLUMNS, reviews, merge(REVIEW_COLUMNS, old?.reviews, keptReviews, add.reviews, (name) => (row) => row[name])),
  };
}

/** One week's facts, packed. */
export interface EncodedWeek {
  week: string;
  prs: number;
  reviews: number;
  pr_pack: Buffer;
  review_pack: Buffer;
}

/** Packs each week that has facts. */
export function encodeWeeks(byWeek: ReadonlyMap<string, WeekFacts>): EncodedWeek[] {
  const out: EncodedWeek[] = [];
  for (const [week, f] of byWeek) {
    if (f.prs.length === 0 && f.reviews.length === 0) continue;
    out.push({ week, prs: f.prs.length, reviews: f.reviews.length, pr_pack: encodePrs(f), review_pack: encodeReviews(f.reviews) });
  }
  return out;
}

/** A packed week's columns, read in place. */
export function decodeWeek(e: EncodedWeek): { week: string; prs: PrPack; reviews: ReviewPack } {
  return { week: e.week, prs: decode(PR_COLUMNS, e.pr_pack), reviews: decode(REVIEW_COLUMNS, e.review_pack) };
}

function encodePrs({ prs, homes }: WeekFacts): Buffer {
  return encode(PR_COLUMNS, prs.length, {
    pr_id: (i) => prs[i]!.pr_id,
    repo_id: (i) => prs[i]!.repo_id,
    author_id: (i) => prs[i]!.author_id,
    created_at: (i) => prs[i]!.created_at,
    clock_start: (i) => prs[i]!.clock_start,
    clock_source: (i) => prs[i]!.clock_source,
    first_review_at: (i) => prs[i]!.first_review_at,
    merged_at: (i) => prs[i]!.merged_at,
    closed_at: (i) => prs[i]!.closed_at,
    reviewed_before_merge: (i) => prs[i]!.reviewed_before_merge,
    size: (i) => prs[i]!.size,
    home: (i) => homes[i]!,
  });
}

function encodeReviews(reviews: readonly SignalReviewFactsTable[]): Buffer {
  return encode(REVIEW_COLUMNS, reviews.length, {
    review_id: (i) => reviews[i]!.review_id,
    pr_id: (i) => reviews[i]!.pr_id,
    repo_id: (i) => reviews[i]!.repo_id,
    reviewer_id: (i) => reviews[i]!.reviewer_id,
    author_id: (i) => reviews[i]!.author_id,
    submitted_at: (i) => reviews[i]!.submitted_at,
    state: (i) => reviews[i]!.state,
    is_approval: (i) => reviews[i]!.is_approval,
    is_substantive: (i) => reviews[i]!.is_substantive,
    is_silent_approval: (i) => reviews[i]!.is_silent_approval,
    is_rubber_stamp: (i) => reviews[i]!.is_rubber_stamp,
    inline_comments: (i) => reviews[i]!.inline_comments,
    cross_team: (i) => reviews[i]!.cross_team,
  });
}

/** Row i of a PR pack as the fact row it was packed from. */
export function prRow(p: PrPack, i: number): SignalPrFactsTable {
  const c = p.cols;
  return {
    pr_id: c.pr_id[i]!,
    repo_id: refs(p, 'repo_id')[c.repo_id[i]!]!,
    author_id: refs(p, 'author_id')[c.author_id[i]!]!,
    created_at: timeText(p, 'created_at', i)!,
    clock_start: timeText(p, 'clock_start', i)!,
    clock_source: texts(p, 'clock_source')[c.clock_source[i]!] as SignalPrFactsTable['clock_source'],
    first_review_at: timeText(p, 'first_review_at', i),
    merged_at: timeText(p, 'merged_at', i),
    closed_at: timeText(p, 'closed_at', i),
    reviewed_before_merge: c.reviewed_before_merge[i]!,
    size: c.size[i]!,
  };
}

/** Row i of a review pack as the fact row it was packed from. */
export function reviewRow(p: ReviewPack, i: number): SignalReviewFactsTable {
  const c = p.cols;
  const cross = c.cross_team[i]!;
  return {
    review_id: c.review_id[i]!,
    pr_id: c.pr_id[i]!,
    repo_id: refs(p, 'repo_id')[c.repo_id[i]!]!,
    reviewer_id: refs(p, 'reviewer_id')[c.reviewer_id[i]!]!,
    author_id: refs(p, 'author_id')[c.author_id[i]!]!,
    submitted_at: timeText(p, 'submitted_at', i)!,
    state: texts(p, 'state')[c.state[i]!]!,
    is_approval: c.is_approval[i]!,
    is_substantive: c.is_substantive[i]!,
    is_silent_approval: c.is_silent_approval[i]!,
    is_rubber_stamp: c.is_rubber_stamp[i]!,
    inline_comments: c.inline_comments[i]!,
    cross_team: cross < 0 ? null : cross,
  };
}

/** The fact rows of a packed week, as they were written. */
export function packRows(p: { prs: PrPack; reviews: ReviewPack }): WeekFacts {
  const out: WeekFacts = { prs: [], homes: [], reviews: [] };
  for (let i = 0; i < p.prs.n; i++) {
    out.prs.push(prRow(p.prs, i));
    out.homes.push(p.prs.cols.home[i]!);
  }
  for (let i = 0; i < p.reviews.n; i++) out.reviews.push(reviewRow(p.reviews, i));
  return out;
}
