import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { readSettings, type Settings } from '../settings.ts';
import { analyseWindow, type WindowAnalysis } from './window.ts';
import { round } from './gini.ts';

// The one mapping from signals to what a leader reads: the API's overview and the report CLI
// both call buildReport, so the numbers on screen and in the terminal are the same numbers.

export interface ReportFilter {
  from?: string | undefined;
  to?: string | undefined;
  team?: string | undefined;
  repo?: string | undefined;
  /** Only used to name the org; repos of other owners are still counted. */
  org?: string | undefined;
}

export interface ResolvedFilter {
  from: string;
  to: string;
  team: string | undefined;
  repo: { id: number; fullName: string } | undefined;
}

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a date flag or query value; a date alone means the start of that day (UTC). */
export function parseDate(name: string, value: string): number {
  if (!DATE_ONLY.test(value) && !ISO.test(value)) {
    throw new AppError('bad_request', `${name} "${value}" is not a date; use YYYY-MM-DD or an ISO-8601 time such as 2026-01-31T12:00:00Z.`);
  }
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || (DATE_ONLY.test(value) && new Date(ms).toISOString().slice(0, 10) !== value)) {
    throw new AppError('bad_request', `${name} "${value}" is not a real date; use YYYY-MM-DD.`);
  }
  return ms;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The window [from, to): default the 90 days ending `now`; a date-only `to` includes that day. */
export function resolveWindow(from: string | undefined, to: string | undefined, now = Date.now()): { from: string; to: string } {
  // The default end is now, to the minute, so repeated dashboard loads share one cached report.
  const toMs = to === undefined ? Math.floor(now / 60_000) * 60_000 : parseDate('to', to) + (DATE_ONLY.test(to) ? DAY : 0);
  const fromMs = from === undefined ? toMs - 90 * DAY : parseDate('from', from);
  if (fromMs >= toMs) throw new AppError('bad_request', `from (${from ?? iso(fromMs)}) must be before to (${to ?? iso(toMs)}).`);
  return { from: iso(fromMs), to: iso(toMs) };
}

/** Checks the team and repo filters exist; unknown names are a 400 that names them. */
export async function resolveFilter(db: Db, f: ReportFilter, now?: number): Promise<ResolvedFilter> {
  const window = resolveWindow(f.from, f.to, now);
  let team: string | undefined;
  if (f.team !== undefined) {
    const row = await db.selectFrom('signal_teams').select('slug').where('slug', '=', f.team).executeTakeFirst();
    if (!row) {
      const known = (await db.selectFrom('signal_teams').select('slug').orderBy('slug').limit(20).execute()).map((r) => r.slug);
      throw new AppError('bad_request', `Unknown team "${f.team}". ${known.length ? `Known teams: ${known.join(', ')}.` : 'No teams are known yet; sync the org or define teams in settings.'}`);
    }
    team = row.slug;
  }
  let repo: ResolvedFilter['repo'];
  if (f.repo !== undefined) {
    const name = f.repo;
    const row = await db
      .selectFrom('repos')
      .select(['id', 'full_name'])
      .where((eb) => (name.includes('/') ? eb('full_name', '=', name) : eb('name', '=', name)))
      .executeTakeFirst();
    if (!row) throw new AppError('bad_request', `Unknown repo "${name}". Use a repository name or owner/name that has been synced.`);
    repo = { id: row.id, fullName: row.full_name };
  }
  return { ...window, team, repo };
}

export async function orgName(db: Db, wanted?: string): Promise<string> {
  if (wanted) {
    const known = await db.selectFrom('repos').select('owner').where('owner', '=', wanted).executeTakeFirst();
    const conn = await db.selectFrom('connections').select('org').where('org', '=', wanted).executeTakeFirst();
    if (!known && !conn) throw new AppError('bad_request', `Unknown org "${wanted}". Sync it first with \`guidepost sync\`.`);
    return wanted;
  }
  const conn = await db.selectFrom('connections').select('org').orderBy('id').executeTakeFirst();
  if (conn) return conn.org;
  const repo = await db.selectFrom('repos').select('owner').executeTakeFirst();
  return repo?.owner ?? '';
}

export interface Report {
  org: string;
  from: string;
  to: string;
  team: string | null;
  repo: string | null;
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
    crossTeamShare: number | null;
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
      gaps: { kind: string; reason: string }[];
    }[];
    newcomersWithoutMentor: string[];
    overloadedMentors: string[];
    gaps: { kind: string; login: string; reason: string }[];
  };
  tiers: { core: number; regular: number; casual: number; moves: Record<string, number> };
  people: { login: string; prsOpened: number; reviewsGiven: number; reviewsReceived: number; substantiveReviewsGiven: number; rubberStamps: number; tier: string | null }[];
  findings: string[];
}

export async function buildReport(db: Db, filter: ReportFilter, options: { now?: number; settings?: Settings } = {}): Promise<Report> {
  const f = await resolveFilter(db, filter, options.now);
  const settings = options.settings ?? (await readSettings(db));
  const org = await orgName(db, filter.org);
  // Reports only change when a derive or a settings change lands: cache them until then.
  const stamp = await db
    .selectFrom('signal_state')
    .select('value')
    .where('key', '=', 'derive')
    .unionAll(db.selectFrom('settings').select('updated_at as value').where('key', '=', 'signals'))
    .execute();
  const key = JSON.stringify([org, f.from, f.to, f.team ?? null, f.repo?.id ?? null, settings, stamp.map((r) => r.value)]);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const a = await analyseWindow(db, { from: f.from, to: f.to, team: f.team, repoId: f.repo?.id }, settings);
  const report = toReport(a, org, f, settings);
  cache.set(key, report);
  if (cache.size > 64) cache.delete(cache.keys().next().value!);
  return report;
}

// Least-recently-used reports per database; callers must not mutate what they get back.
const caches = new WeakMap<Db, Map<string, Report>>();

/** Maps a window analysis to the report shape: logins for ids, hours for times, sorted lists. */
export function toReport(a: WindowAnalysis, org: string, f: ResolvedFilter, settings: Settings): Report {
  const login = (id: number) => a.logins.get(id) ?? `#${id}`;
  const byLogin = (ids: Iterable<number>) => [...ids].map(login).sort();
  const s = a.summary;
  const tierCount = { core: 0, regular: 0, casual: 0 };
  for (const p of a.people.values()) if (p.tier) tierCount[p.tier]++;
  const report: Report = {
    org,
    from: f.from,
    to: f.to,
    team: f.team ?? null,
    repo: f.repo?.fullName ?? null,
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
      crossTeamShare: round(s.crossTeamShare, 3),
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
        gaps: n.gaps.map((g) => ({ kind: g.kind, reason: g.reason })),
      })),
      newcomersWithoutMentor: byLogin(a.newcomers.filter((n) => n.mentors.length === 0).map((n) => n.personId)),
      overloadedMentors: byLogin(a.overloadedMentors.keys()),
      gaps: a.gaps.map((g) => ({ kind: g.kind, login: login(g.personId), reason: g.reason })),
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
    findings: [],
  };
  report.findings = findings(report, a, settings);
  return report;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const hrs = (h: number) => (h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`);
const list = (xs: string[], max = 5) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);

/** The handful of findings a leader should act on this week, most urgent first, in sentences. */
function findings(r: Report, a: WindowAnalysis, settings: Settings): string[] {
  const out: string[] = [];
  const lonely = r.mentoring.newcomers.filter((n) => n.mentors.length === 0);
  if (lonely.length) {
    const detail = lonely.slice(0, 5).map((n) => `${n.login} (${n.gaps.find((g) => g.kind === 'no_mentor')?.reason ?? 'no mentor'})`);
    out.push(`${lonely.length} of ${r.mentoring.newcomers.length} newcomers have no mentor: ${list(detail)}. Pair each with someone experienced who reviews their next PRs in depth.`);
  }
  const slow = r.mentoring.gaps.filter((g) => g.kind === 'slow_first_review');
  if (slow.length) out.push(`${slow.length} newcomer${slow.length === 1 ? ' waits' : 's wait'} longer than most for a first review: ${list(slow.map((g) => `${g.login} (${g.reason})`), 3)}.`);
  for (const m of r.mentoring.gaps.filter((g) => g.kind === 'mentor_over_limit')) out.push(`${m.login} ${m.reason}; spread mentoring to others before they burn out.`);
  if (r.reviews.loadCarriers.length) {
    const mean = r.reviews.activeReviewers ? r.reviews.reviews / r.reviews.activeReviewers : 0;
    out.push(`Review work piles up on ${list(r.reviews.loadCarriers)}: each gave at least 3× the average of ${mean.toFixed(1)} reviews per active reviewer.`);
  }
  if (r.reviews.rubberStampers.length) {
    out.push(`${list(r.reviews.rubberStampers)} approved PRs over ${settings.rubberStampLines} changed lines without a single comment, for at least half of their approvals.`);
  }
  if (r.reviews.merged && r.reviews.mergedWithoutReview) {
    out.push(`${r.reviews.mergedWithoutReview} of ${r.reviews.merged} merged PRs (${pct(r.reviews.mergedWithoutReview / r.reviews.merged)}) were merged without a review.`);
  }
  const t = r.reviews.timeToFirstReviewHours;
  if (t.median !== null && t.p90 !== null) {
    out.push(`A PR waits a median of ${hrs(t.median)} for its first review (p90 ${hrs(t.p90)})${r.reviews.waiting ? `; ${r.reviews.waiting} PRs are still waiting` : ''}.`);
  }
  if (a.summary.gini !== null && a.summary.gini > 0.5) out.push(`Review load is concentrated (Gini ${a.summary.gini.toFixed(2)}): a few people give most reviews.`);
  if (out.length === 0) out.push('Nothing needs your attention in this window: no newcomer without a mentor, no overloaded reviewer, no unreviewed merges.');
  return out;
}
