import type { Db } from '../db/connect.ts';
import { readSettings, type Settings } from '../settings.ts';
import { analyseWindow, type WindowAnalysis } from './window.ts';
import { quantiles, round } from './gini.ts';
import { findingsOf, type Finding } from './findings.ts';
import { gapReason, type GapKind } from './gaps.ts';
import { groupLabel, orgName, resolveFilter, type ReportFilter, type ResolvedFilter } from './filter.ts';
import { pendingRequests } from './pending.ts';
import { readDeriveState } from './history.ts';
import { keepRecent } from './run-cache.ts';
import { storedReport } from './report.store.ts';

// The one mapping from signals to what a leader reads: every route, the brief and the report
// CLI call buildReport, so the numbers on screen and in the terminal are the same numbers.

export type { ReportFilter, ResolvedFilter } from './filter.ts';
export { resolveFilter } from './filter.ts';

export interface Report {
  org: string;
  from: string;
  to: string;
  /** Where waiting PRs' clocks stopped: `to`, or the end of the synced history when earlier. */
  asOf: string;
  team: string | null;
  /** The team's display name. */
  teamName: string | null;
  repo: string | null;
  /** Who the figures are about, in words ("team Platform", "the org"). */
  group: string;
  reviews: {
    prs: number;
    merged: number;
    mergedWithoutReview: number;
    coverage: number | null;
    timeToFirstReviewHours: { median: number | null; p90: number | null; p75: number | null };
    /** p75 of changed lines (additions + deletions) of the PRs opened (formula `prSize`). */
    prSizeP75Lines: number | null;
    waiting: number;
    reviews: number;
    substantiveShare: number | null;
    rubberStamps: number;
    activeReviewers: number;
    gini: number | null;
    sharingIndex: number | null;
    /** Reviews where reviewer and author share no team, of the reviews where both are in a team; each review once. */
    crossTeam: { reviews: number; of: number; share: number | null };
    /** Requests waiting on a person at `asOf` (server/signals/pending.ts), within the filters. */
    pendingRequests: number;
    loadCarriers: string[];
    rubberStampers: string[];
  };
  mentoring: {
    edges: { mentor: string; mentee: string; weight: number; substantiveReviews: number; inlineComments: number; firstAt: string; lastAt: string; tenureGapDays: number }[];
    newcomers: {
      login: string;
      firstPrAt: string;
      firstReviewReceivedAt: string | null;
      distinctReviewers: number;
      firstReviewGivenAt: string | null;
      firstApprovalGivenAt: string | null;
      mentors: string[];
      gaps: { kind: GapKind; reason: string }[];
    }[];
    newcomersWithoutMentor: string[];
    overloadedMentors: string[];
    gaps: { kind: GapKind; login: string; reason: string; figures: Record<string, number | undefined> }[];
  };
  tiers: { core: number; regular: number; casual: number; moves: Record<string, number> };
  people: { login: string; prsOpened: number; reviewsGiven: number; reviewsReceived: number; substantiveReviewsGiven: number; rubberStamps: number; tier: string | null }[];
  /** Per repository id: the same counts as the summary, by the same rules (the repo list). */
  byRepo: WindowAnalysis['byRepo'];
  /** Per team slug: what the team's own report counts (the team list). */
  byTeam: Map<string, { prs: number; merged: number; mergedWithoutReview: number; reviews: number }>;
  findings: Finding[];
}

export async function buildReport(db: Db, filter: ReportFilter, options: { now?: number; settings?: Settings } = {}): Promise<Report> {
  return reportFor(db, await reportKey(db, filter, options));
}

/** The report under a key reportKey worked out (a caller that needs the key too asks once). */
export async function reportFor(db: Db, { key, f, org, settings }: ReportKey): Promise<Report> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    keepRecent(cache, key, hit, CACHED_REPORTS);
    return hit;
  }
  // The same report asked for again while it is being made waits for that one.
  const pending = inFlight.get(key);
  if (pending) return pending;
  // A report the derive job made ahead (a period picker's window) is a row read, outside the
  // one-at-a-time slot: it never waits behind another reader's analysis.
  const making = storedReport<Report>(db, key).then(
    (stored) =>
      stored ??
      analysisSlots.run(async () => {
        const a = await analyseWindow(db, { from: f.from, to: f.to, asOf: f.asOf, team: f.team, repoId: f.repo?.id }, settings);
        const counted = a.teamMembers ?? new Set(a.logins.keys());
        const requests = await pendingRequests(db, { asOf: f.asOf, reviewers: counted, repoId: f.repo?.id });
        return toReport(a, org, f, settings, requests.length);
      }),
  );
  inFlight.set(key, making);
  try {
    const report = await making;
    keepRecent(cache!, key, report, CACHED_REPORTS);
    return report;
  } finally {
    inFlight.delete(key);
  }
}

/**
 * What a report is cached and stored by: its org, window, team and repo, the settings, and the
 * derive run and settings save it was made under. Reports only change when a derive or a
 * settings change lands, and either changes the key.
 */
export interface ReportKey {
  key: string;
  f: ResolvedFilter;
  org: string;
  settings: Settings;
}

export async function reportKey(db: Db, filter: ReportFilter, options: { now?: number; settings?: Settings } = {}): Promise<ReportKey> {
  const f = await resolveFilter(db, filter, options.now);
  const settings = options.settings ?? (await readSettings(db));
  const org = await orgName(db, filter.org);
  const state = await readDeriveState(db);
  const saved = await db.selectFrom('settings').select('updated_at').where('key', '=', 'signals').executeTakeFirst();
  const key = JSON.stringify([REPORT_FORMAT, org, f.from, f.to, f.team ?? null, f.repo?.id ?? null, settings, state?.run ?? null, saved?.updated_at ?? null]);
  return { key, f, org, settings };
}

/**
 * The Report shape's version, part of every key: a stored report made by a Guidepost whose
 * Report looked different is never read back. Bump it when a field is added, dropped or changes.
 */
const REPORT_FORMAT = 1;

/**
 * Window analyses run one at a time (each gives the event loop a turn every few milliseconds).
 * Many at once would each take their turn between two steps of every other request, so a
 * health check behind sixteen huge windows would wait for all of them; one at a time, it waits
 * for one slice.
 */
class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy++;
    // SQLite answers synchronously, so a queue of analyses would run back to back in one turn
    // of the event loop; a turn between them lets waiting requests (and health checks) in.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await task();
    } finally {
      this.busy--;
      this.waiting.shift()?.();
    }
  }
}

const analysisSlots = new Slots(1);
const inFlight = new Map<string, Promise<Report>>();

/**
 * Reports kept per database: every page of every team for each period of the picker, with the
 * overview's previous windows (8 per team and the org), for an org of 30 teams; a leader going
 * through the teams one by one then finds the first ones still kept.
 */
const CACHED_REPORTS = 256;

// Least-recently-used reports per database; callers must not mutate what they get back.
const caches = new WeakMap<Db, Map<string, Report>>();

/** Maps a window analysis to the report shape: logins for ids, hours for times, sorted lists. */
export function toReport(a: WindowAnalysis, org: string, f: ResolvedFilter, settings: Settings, pending: number): Report {
  const login = (id: number) => a.logins.get(id) ?? `#${id}`;
  const byLogin = (ids: Iterable<number>) => [...ids].map(login).sort();
  const s = a.summary;
  const group = groupLabel(f);
  const tierCount = { core: 0, regular: 0, casual: 0 };
  for (const p of a.people.values()) if (p.tier) tierCount[p.tier]++;
  const gap = (g: (typeof a.gaps)[number]) => ({ kind: g.kind, login: login(g.personId), reason: gapReason(g, group), figures: { ...g.figures } });
  const report: Report = {
    org,
    from: f.from,
    to: f.to,
    asOf: f.asOf,
    team: f.team ?? null,
    teamName: f.teamName ?? null,
    repo: f.repo?.fullName ?? null,
    group,
    reviews: {
      prs: s.prs,
      merged: s.merged,
      mergedWithoutReview: s.mergedWithoutReview,
      coverage: round(s.coverage, 3),
      timeToFirstReviewHours: { median: round(s.ttfrMedianHours), p90: round(s.ttfrP90Hours), p75: round(s.ttfrP75Hours) },
      prSizeP75Lines: round(quantiles(a.prSizes, [0.75])[0]!),
      waiting: s.waiting,
      reviews: s.reviews,
      substantiveShare: s.reviews ? round(s.substantiveReviews / s.reviews, 3) : null,
      rubberStamps: s.rubberStamps,
      activeReviewers: s.activeReviewers,
      gini: round(s.gini, 3),
      sharingIndex: round(s.sharingIndex, 3),
      crossTeam: { reviews: s.crossTeamReviews, of: s.teamReviews, share: round(s.crossTeamShare, 3) },
      pendingRequests: pending,
      loadCarriers: byLogin(a.loadCarriers),
      rubberStampers: byLogin(a.rubberStampers),
    },
    mentoring: {
      edges: a.edges.map((e) => ({
        mentor: login(e.mentor_id),
        mentee: login(e.mentee_id),
        weight: e.weight,
        substantiveReviews: e.substantive_reviews,
        inlineComments: e.inline_comments,
        firstAt: e.first_at,
        lastAt: e.last_at,
        tenureGapDays: e.tenure_gap_days,
      })),
      newcomers: a.newcomers.map((n) => ({
        login: login(n.personId),
        firstPrAt: n.firstPrAt,
        firstReviewReceivedAt: n.firstReviewReceivedAt,
        distinctReviewers: n.distinctReviewers,
        firstReviewGivenAt: n.firstReviewGivenAt,
        firstApprovalGivenAt: n.firstApprovalGivenAt,
        mentors: byLogin(n.mentors),
        gaps: n.gaps.map((g) => ({ kind: g.kind, reason: gapReason(g, group) })),
      })),
      newcomersWithoutMentor: byLogin(a.newcomers.filter((n) => n.mentors.length === 0).map((n) => n.personId)),
      overloadedMentors: byLogin(a.overloadedMentors.keys()),
      gaps: a.gaps.map(gap),
    },
    tiers: { ...tierCount, moves: a.tierMoves },
    // An explicit list in login order, never ranked: the report is read on purpose.
    people: [...a.people.values()]
      .map((p) => ({
        login: login(p.personId),
        prsOpened: p.prsOpened,
        reviewsGiven: p.reviewsGiven,
        reviewsReceived: p.reviewsReceived,
        substantiveReviewsGiven: p.substantiveReviewsGiven,
        rubberStamps: p.rubberStamps,
        tier: p.tier,
      }))
      .sort((x, y) => x.login.localeCompare(y.login)),
    byRepo: a.byRepo,
    byTeam: a.byTeam,
    findings: [],
  };
  report.findings = findingsOf({ group, rubberStampLines: settings.rubberStampLines, newcomers: report.mentoring.newcomers, gaps: report.mentoring.gaps, reviews: report.reviews });
  return report;
}

/** The report as JSON answers carry it: everything but the per-repo and per-team maps. */
export function reportJson(r: Report): Omit<Report, 'byRepo' | 'byTeam'> {
  const { byRepo: _byRepo, byTeam: _byTeam, ...rest } = r;
  return rest;
}
