import type { Db } from '../db/connect.ts';
import { readSettings, type Settings } from '../settings.ts';
import { analyseWindow, type WindowAnalysis } from './window.ts';
import { round } from './gini.ts';
import { findingsOf, type Finding } from './findings.ts';
import { gapReason, type GapKind } from './gaps.ts';
import { groupLabel, orgName, resolveFilter, type ReportFilter, type ResolvedFilter } from './filter.ts';
import { pendingRequests } from './pending.ts';
import { readDeriveState } from './history.ts';

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
  byRepo: Map<number, { prs: number; merged: number; mergedWithoutReview: number; reviews: number }>;
  findings: Finding[];
}

export async function buildReport(db: Db, filter: ReportFilter, options: { now?: number; settings?: Settings } = {}): Promise<Report> {
  const f = await resolveFilter(db, filter, options.now);
  const settings = options.settings ?? (await readSettings(db));
  const org = await orgName(db, filter.org);
  // Reports only change when a derive or a settings change lands: cache them until then.
  const state = await readDeriveState(db);
  const saved = await db.selectFrom('settings').select('updated_at').where('key', '=', 'signals').executeTakeFirst();
  const key = JSON.stringify([org, f.from, f.to, f.team ?? null, f.repo?.id ?? null, settings, state?.run ?? null, saved?.updated_at ?? null]);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const a = await analyseWindow(db, { from: f.from, to: f.to, asOf: f.asOf, team: f.team, repoId: f.repo?.id }, settings);
  const counted = a.teamMembers ?? new Set(a.logins.keys());
  const pending = await pendingRequests(db, { asOf: f.asOf, reviewers: counted, repoId: f.repo?.id });
  const report = toReport(a, org, f, settings, pending.length);
  cache.set(key, report);
  if (cache.size > 64) cache.delete(cache.keys().next().value!);
  return report;
}

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
    findings: [],
  };
  report.findings = findingsOf({ group, rubberStampLines: settings.rubberStampLines, newcomers: report.mentoring.newcomers, gaps: report.mentoring.gaps, reviews: report.reviews });
  return report;
}

/** The report as JSON answers carry it: everything but the per-repo map. */
export function reportJson(r: Report): Omit<Report, 'byRepo'> {
  const { byRepo: _byRepo, ...rest } = r;
  return rest;
}
