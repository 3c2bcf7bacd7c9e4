import type { SignalPersonWeeklyTable, SignalPrFactsTable, SignalReviewFactsTable, SignalWeeklyTable } from '../../server/db/signals.tables.ts';
import { summarise, ttfrAt, type PrFact, type Summary } from './participation.derive.ts';
import { weekOf, weekRange } from './weeks.ts';

// Weekly rollups per org, team and repo (ISO weeks, UTC), and per person. Pure: facts in,
// rollup rows out, for the weeks asked for only (the incremental derive asks for few).

export interface RollupInput {
  weeks: ReadonlySet<string>;
  prFacts: readonly SignalPrFactsTable[];
  reviewFacts: readonly SignalReviewFactsTable[];
  repoNames: ReadonlyMap<number, string>;
  teamsOf: ReadonlyMap<number, ReadonlySet<string>>;
  asOf: string;
}

interface Bucket {
  prs: Set<SignalPrFactsTable>;
  reviews: SignalReviewFactsTable[];
}

export function rollupWeeks(input: RollupInput): { weekly: SignalWeeklyTable[]; personWeekly: SignalPersonWeeklyTable[] } {
  const buckets = new Map<string, Bucket>();
  const bucket = (week: string) => {
    let b = buckets.get(week);
    if (!b) buckets.set(week, (b = { prs: new Set(), reviews: [] }));
    return b;
  };
  for (const pr of input.prFacts) {
    for (const at of [pr.created_at, pr.clock_start, pr.merged_at]) {
      if (at === null) continue;
      const w = weekOf(at);
      if (input.weeks.has(w)) bucket(w).prs.add(pr);
    }
  }
  for (const r of input.reviewFacts) {
    const w = weekOf(r.submitted_at);
    if (input.weeks.has(w)) bucket(w).reviews.push(r);
  }

  // Each PR is summarised in its org, repo and team rows: work out its review clock once.
  const ttfr = new Map<PrFact, ReturnType<typeof ttfrAt>>();
  for (const b of buckets.values()) for (const p of b.prs) if (!ttfr.has(p)) ttfr.set(p, ttfrAt(p, input.asOf));

  const weekly: SignalWeeklyTable[] = [];
  const personWeekly: SignalPersonWeeklyTable[] = [];
  for (const [week, b] of buckets) {
    const { from, to } = weekRange(week);
    const prs = [...b.prs];
    const add = (scope: SignalWeeklyTable['scope'], key: string, p: readonly SignalPrFactsTable[], r: readonly SignalReviewFactsTable[]) =>
      weekly.push(toRow(week, scope, key, summarise(p, r, from, to, input.asOf, ttfr)));
    add('org', '', prs, b.reviews);

    const prsByRepo = new Map<number, SignalPrFactsTable[]>();
    for (const p of prs) push(prsByRepo, p.repo_id, p);
    const reviewsByRepo = new Map<number, SignalReviewFactsTable[]>();
    for (const r of b.reviews) push(reviewsByRepo, r.repo_id, r);
    for (const repoId of new Set([...prsByRepo.keys(), ...reviewsByRepo.keys()])) {
      add('repo', input.repoNames.get(repoId) ?? String(repoId), prsByRepo.get(repoId) ?? [], reviewsByRepo.get(repoId) ?? []);
    }

    // A team's PRs are its members' PRs; its reviews are the reviews its members gave.
    const prsByTeam = new Map<string, SignalPrFactsTable[]>();
    for (const p of prs) for (const t of input.teamsOf.get(p.author_id) ?? []) push(prsByTeam, t, p);
    const reviewsByTeam = new Map<string, SignalReviewFactsTable[]>();
    for (const r of b.reviews) for (const t of input.teamsOf.get(r.reviewer_id) ?? []) push(reviewsByTeam, t, r);
    for (const slug of new Set([...prsByTeam.keys(), ...reviewsByTeam.keys()])) {
      add('team', slug, prsByTeam.get(slug) ?? [], reviewsByTeam.get(slug) ?? []);
    }

    const people = new Map<number, SignalPersonWeeklyTable>();
    const person = (id: number) => {
      let row = people.get(id);
      if (!row) people.set(id, (row = { week, person_id: id, prs_opened: 0, reviews_given: 0, reviews_received: 0, substantive_given: 0, rubber_stamps: 0, approvals: 0 }));
      return row;
    };
    for (const p of prs) if (p.created_at >= from && p.created_at < to) person(p.author_id).prs_opened++;
    for (const r of b.reviews) {
      const g = person(r.reviewer_id);
      g.reviews_given++;
      g.substantive_given += r.is_substantive;
      g.rubber_stamps += r.is_rubber_stamp;
      g.approvals += r.is_approval;
      person(r.author_id).reviews_received++;
    }
    personWeekly.push(...people.values());
  }
  return { weekly, personWeekly };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function toRow(week: string, scope: SignalWeeklyTable['scope'], scope_key: string, s: Summary): SignalWeeklyTable {
  return {
    week,
    scope,
    scope_key,
    prs_opened: s.prs,
    prs_merged: s.merged,
    merged_without_review: s.mergedWithoutReview,
    coverage: s.coverage,
    ttfr_median_hours: s.ttfrMedianHours,
    ttfr_p90_hours: s.ttfrP90Hours,
    waiting: s.waiting,
    reviews: s.reviews,
    substantive_reviews: s.substantiveReviews,
    rubber_stamps: s.rubberStamps,
    approvals: s.approvals,
    active_reviewers: s.activeReviewers,
    gini: s.gini,
    sharing_index: s.sharingIndex,
    cross_team_share: s.crossTeamShare,
  };
}
