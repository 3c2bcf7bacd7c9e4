import type { SignalPersonWeeklyTable, SignalWeeklyTable } from '../../server/db/signals.tables.ts';
import { addTtfrMs, emptyPrTotals, summaryOf, type PrTotals, type ReviewerAggregate, type Summary } from '../../server/signals/participation.ts';
import { HOME, type PrPack, type ReviewPack } from '../../server/signals/packs.ts';
import { refs } from '../../server/signals/packs.codec.ts';
import { quantiles } from '../../server/signals/gini.ts';

// Weekly rollups per org, team and repo (ISO weeks, UTC), and per person, from each week's
// pack: a PR counts in a week as opened, merged and by its review clock when that time falls
// in the week (the pack's home bits say which); a review when it was submitted in it. A team's
// PRs are its members' PRs; its reviews are the reviews its members gave.

export interface RollupContext {
  repoNames: ReadonlyMap<number, string>;
  teamsOf: ReadonlyMap<number, ReadonlySet<string>>;
  /** Instant PRs still waiting are measured to. */
  asOf: string;
}

export interface PackedWeek {
  week: string;
  prs: PrPack;
  reviews: ReviewPack;
}

interface Scope {
  scope: SignalWeeklyTable['scope'];
  key: string;
  prs: PrTotals;
  /** Reviews given in the scope by the pack's reviewer number: count, substantive, stamps, approvals, cross known, cross. */
  given: Int32Array[] | null;
  /** Reviews received in the scope by the pack's author number. */
  received: Int32Array | null;
}

export function rollupWeeks(weeks: readonly PackedWeek[], ctx: RollupContext): { weekly: SignalWeeklyTable[]; personWeekly: SignalPersonWeeklyTable[] } {
  const asOf = Date.parse(ctx.asOf);
  const weekly: SignalWeeklyTable[] = [];
  const personWeekly: SignalPersonWeeklyTable[] = [];
  for (const { week, prs, reviews } of weeks) {
    if (prs.n === 0 && reviews.n === 0) continue;
    const scopes = new WeekScopes(ctx);
    const people = new Map<number, SignalPersonWeeklyTable>();
    const person = (id: number) => {
      let row = people.get(id);
      if (!row) people.set(id, (row = { week, person_id: id, prs_opened: 0, reviews_given: 0, reviews_received: 0, substantive_given: 0, rubber_stamps: 0, approvals: 0 }));
      return row;
    };
    addPrs(prs, scopes, asOf, (author) => person(author).prs_opened++);

    const r = reviews.cols;
    const reviewers = refs(reviews, 'reviewer_id');
    const authors = refs(reviews, 'author_id');
    const reviewScopes = scopes.of(refs(reviews, 'repo_id'), reviewers);
    const given = new Int32Array(reviewers.length * 4);
    const received = new Int32Array(authors.length);
    for (let i = 0; i < reviews.n; i++) {
      const g = r.reviewer_id[i]!;
      const a = r.author_id[i]!;
      const substantive = r.is_substantive[i]!;
      const stamp = r.is_rubber_stamp[i]!;
      const approval = r.is_approval[i]!;
      const cross = r.cross_team[i]!;
      const list = reviewScopes(r.repo_id[i]!, g);
      for (let k = 0; k < list.length; k++) {
        const s = list[k]!;
        if (!s.given) {
          s.given = Array.from({ length: 6 }, () => new Int32Array(reviewers.length));
          s.received = new Int32Array(authors.length);
        }
        s.given[0]![g]!++;
        s.given[1]![g]! += substantive;
        s.given[2]![g]! += stamp;
        s.given[3]![g]! += approval;
        if (cross >= 0) {
          s.given[4]![g]!++;
          s.given[5]![g]! += cross;
        }
        s.received![a]!++;
      }
      given[g * 4]!++;
      given[g * 4 + 1]! += substantive;
      given[g * 4 + 2]! += stamp;
      given[g * 4 + 3]! += approval;
      received[a]!++;
    }
    for (let g = 0; g < reviewers.length; g++) {
      if (!given[g * 4]) continue;
      const row = person(reviewers[g]!);
      row.reviews_given += given[g * 4]!;
      row.substantive_given += given[g * 4 + 1]!;
      row.rubber_stamps += given[g * 4 + 2]!;
      row.approvals += given[g * 4 + 3]!;
    }
    for (let a = 0; a < authors.length; a++) if (received[a]) person(authors[a]!).reviews_received += received[a]!;

    for (const s of scopes.all()) {
      const byReviewer = new Map<number, ReviewerAggregate>();
      const receivedByAuthor = new Map<number, number>();
      if (s.given) {
        const [n, sub, stamps, approvals, known, cross] = s.given as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
        for (let g = 0; g < reviewers.length; g++) {
          if (n[g]) byReviewer.set(reviewers[g]!, { reviews: n[g]!, substantive: sub[g]!, rubberStamps: stamps[g]!, approvals: approvals[g]!, crossKnown: known[g]!, cross: cross[g]! });
        }
        for (let a = 0; a < authors.length; a++) if (s.received![a]) receivedByAuthor.set(authors[a]!, s.received![a]!);
      }
      weekly.push(toRow(week, s.scope, s.key, summaryOf(s.prs, { byReviewer, receivedByAuthor })));
    }
    for (const row of people.values()) personWeekly.push(row);
  }
  return { weekly, personWeekly };
}

/**
 * The weekly rows of weeks whose facts did not change, brought to a new `asOf`: only a PR still
 * waiting for its first review counts differently as time passes (hours waited so far), so
 * only the time-to-first-review figures and the waiting count of the scopes holding such a PR
 * (waiting at `since`, the earlier of the last derive and now) are worked out again; the
 * rest is as stored.
 */
export function refreshClocks(weeks: readonly PackedWeek[], rows: readonly SignalWeeklyTable[], ctx: RollupContext, since: string): SignalWeeklyTable[] {
  const asOf = Date.parse(ctx.asOf);
  const sinceMs = Date.parse(since);
  const clocks = new Map<string, { median: number | null; p90: number | null; waiting: number }>();
  for (const w of weeks) {
    const scopes = new WeekScopes(ctx);
    addPrs(w.prs, scopes, asOf);
    const p = w.prs.cols;
    const scopesOf = scopes.of(refs(w.prs, 'repo_id'), refs(w.prs, 'author_id'));
    const running = new Set<Scope>();
    for (let i = 0; i < w.prs.n; i++) {
      if (!(p.home[i]! & HOME.clock)) continue;
      const merged = p.merged_at[i]!;
      if (!clockRunning(p.first_review_at[i]!, Number.isNaN(merged) ? p.closed_at[i]! : merged, sinceMs)) continue;
      for (const s of scopesOf(p.repo_id[i]!, p.author_id[i]!)) running.add(s);
    }
    for (const s of running) {
      const [median = null, p90 = null] = quantiles(s.prs.hours, [0.5, 0.9]);
      clocks.set(`${w.week}|${s.scope}|${s.key}`, { median, p90, waiting: s.prs.waiting });
    }
  }
  return rows.map((row) => {
    const c = clocks.get(`${row.week}|${row.scope}|${row.scope_key}`);
    return c ? { ...row, ttfr_median_hours: c.median, ttfr_p90_hours: c.p90, waiting: c.waiting } : row;
  });
}

/** Whether a PR's review clock still runs at `at`: no first review and not closed by then. */
function clockRunning(firstReview: number, closed: number, at: number): boolean {
  return !(firstReview <= at) && !(closed <= at);
}

/** The rollup scopes of one week, made as rows of the week's packs name them. */
class WeekScopes {
  private readonly scopes = new Map<string, Scope>();
  private readonly org: Scope;
  constructor(private readonly ctx: Pick<RollupContext, 'repoNames' | 'teamsOf'>) {
    this.org = this.scope('org', '');
  }

  all(): Iterable<Scope> {
    return this.scopes.values();
  }

  /** The scopes a row counts in, by a pack's ref numbers: the org, its repo, the person's teams. */
  of(repoIds: readonly number[], personIds: readonly number[]): (repo: number, person: number) => Scope[] {
    const repoScope = repoIds.map((id) => this.scope('repo', this.ctx.repoNames.get(id) ?? String(id)));
    const teamScopes = personIds.map((id) => [...(this.ctx.teamsOf.get(id) ?? [])].map((slug) => this.scope('team', slug)));
    const memo = new Map<number, Scope[]>();
    return (repo, person) => {
      const k = repo * personIds.length + person;
      let list = memo.get(k);
      if (!list) memo.set(k, (list = [this.org, repoScope[repo]!, ...teamScopes[person]!]));
      return list;
    };
  }

  private scope(kind: Scope['scope'], key: string): Scope {
    const id = `${kind}:${key}`;
    let s = this.scopes.get(id);
    if (!s) this.scopes.set(id, (s = { scope: kind, key, prs: emptyPrTotals(), given: null, received: null }));
    return s;
  }
}

/** Adds a week's PRs to the PR totals of their scopes; `opened` hears of each PR opened that week. */
function addPrs(prs: PrPack, scopes: WeekScopes, asOf: number, opened?: (author: number) => void): void {
  const p = prs.cols;
  const authors = refs(prs, 'author_id');
  const scopesOf = scopes.of(refs(prs, 'repo_id'), authors);
  for (let i = 0; i < prs.n; i++) {
    const home = p.home[i]!;
    const author = authors[p.author_id[i]!]!;
    const merged = p.merged_at[i]!;
    if (home & HOME.created) opened?.(author);
    const list = scopesOf(p.repo_id[i]!, p.author_id[i]!);
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      if (home & HOME.created) {
        s.prs.prs++;
        s.prs.openers.add(author);
      }
      if (home & HOME.merged) {
        s.prs.merged++;
        if (!p.reviewed_before_merge[i]) s.prs.mergedWithoutReview++;
      }
      if (home & HOME.clock) addTtfrMs(s.prs, p.clock_start[i]!, p.first_review_at[i]!, Number.isNaN(merged) ? p.closed_at[i]! : merged, asOf);
    }
  }
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
