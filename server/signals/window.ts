import type { Db } from '../db/connect.ts';
import type { MentoringEdgesTable, SignalPeopleTable } from '../db/signals.tables.ts';
import type { Settings } from '../settings.ts';
import { summaryOf, loadCarriers, rubberStampers, type ReviewAggregates, type Summary } from './participation.ts';
import { edgesFromPairs, firstActivityMs, mentoringGap, overloadedMentors, tenureGap } from './mentoring.ts';
import { isNewcomer, trajectory, type Trajectory } from './newcomers.ts';
import { mentorOverLimitGap, newcomerGaps, type Gap } from './gaps.ts';
import { tiers, tierMoves, type Tier } from './tiers.ts';
import { readWeeks } from './packs.read.ts';
import { perRun } from './run-cache.ts';
import { scanWindow, type WindowScan } from './window.scan.ts';
import { addDays, wholeWeeks, weeksOverlapping } from './weeks.ts';

// Every signal of one window [from, to), read from the week packs (the facts of each week,
// packed) and computed by the same pure functions the weekly rollups use. The report
// (report.ts) is made of it, and every surface reads the report.

export interface WindowQuery {
  from: string;
  to: string;
  /** Where waiting PRs' review clocks stop: `to`, or the end of the synced history when earlier. */
  asOf: string;
  /** Team slug: the team's PRs, the reviews its members gave, its people. */
  team?: string | undefined;
  /** Repo id: PRs and reviews in that repository. */
  repoId?: number | undefined;
}

export interface PersonStats {
  personId: number;
  prsOpened: number;
  reviewsGiven: number;
  reviewsReceived: number;
  substantiveReviewsGiven: number;
  rubberStamps: number;
  approvals: number;
  tier: Tier | null;
  previousTier: Tier | null;
}

export interface NewcomerResult extends Trajectory {
  personId: number;
  mentors: number[];
  gaps: Gap[];
}

export interface WindowAnalysis {
  query: WindowQuery;
  summary: Summary;
  /** Changed lines of each PR the summary counts as opened (its `prs`). */
  prSizes: number[];
  people: Map<number, PersonStats>;
  logins: Map<number, string>;
  edges: MentoringEdgesTable[];
  newcomers: NewcomerResult[];
  overloadedMentors: Map<number, number>;
  loadCarriers: number[];
  rubberStampers: number[];
  gaps: Gap[];
  tierMoves: Record<string, number>;
  /** Members of the team filter (null without one). */
  teamMembers: Set<number> | null;
  /** The summary's PR and review counts per repository id. */
  byRepo: WindowScan['byRepo'];
  /** The summary's PR and review counts per team slug (its members' PRs and the reviews they gave). */
  byTeam: Map<string, { prs: number; merged: number; mergedWithoutReview: number; reviews: number }>;
}

export async function analyseWindow(db: Db, q: WindowQuery, settings: Settings): Promise<WindowAnalysis> {
  const { from, to } = q;
  const peopleRows = await signalPeople(db);
  const people = new Map<number, SignalPeopleTable>(peopleRows.map((p) => [p.person_id, p]));
  const logins = new Map(peopleRows.map((p) => [p.person_id, p.login]));
  const firstActivity = new Map<number, string>();
  for (const p of peopleRows) if (p.first_activity_at) firstActivity.set(p.person_id, p.first_activity_at);

  const membership = await teamMembership(db);
  const teamMembers = q.team ? new Set(membership.get(q.team) ?? []) : null;
  const inTeam = (id: number) => teamMembers === null || teamMembers.has(id);

  // Activity in the same-length window before (tiers move from there): whole weeks from the
  // weekly person rollups (no repo filter), the part-weeks at either end from the packs. The
  // packs read are those weeks, the window's and the newcomer window's.
  const len = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  const previousFrom = addDays(from, -len);
  const newcomerFrom = addDays(to, -settings.newcomerDays);
  const whole = q.repoId === undefined ? wholeWeeks(previousFrom, from) : null;
  const parts: [string, string][] = whole ? [[previousFrom, whole.from], [whole.to, from]] : [[previousFrom, from]];
  const weeks = new Set([...weeksOverlapping(from, to), ...weeksOverlapping(newcomerFrom < from ? newcomerFrom : from, to)]);
  for (const [a, b] of parts) if (a < b) for (const w of weeksOverlapping(a, b)) weeks.add(w);
  const mentoring = { tenureGapDays: settings.mentorTenureGapDays };
  const firstMs = firstActivityMs(firstActivity);
  const candidates = peopleRows.filter((p) => inTeam(p.person_id) && isNewcomer(p.first_pr_at, to, settings.newcomerDays)).map((p) => p.person_id);
  const packs = await readWeeks(db, [...weeks].sort());
  const scan = await scanWindow(packs, {
    from: Date.parse(from),
    to: Date.parse(to),
    previous: parts.map(([a, b]) => [Date.parse(a), Date.parse(b)] as const),
    newcomerFrom: Date.parse(newcomerFrom),
    repoId: q.repoId,
    asOf: Date.parse(q.asOf),
    inTeam,
    newcomerCandidates: new Set(candidates),
    keepPair: (reviewer, author) => tenureGap(reviewer, author, firstMs, mentoring) !== null,
  });
  const previousActivity = scan.previous;
  if (whole) {
    const [a, b] = [whole.from.slice(0, 10), whole.to.slice(0, 10)];
    for (const w of await weeklyActivity(db)) {
      if (w.week < a || w.week >= b) continue;
      for (let k = 0; k < w.person.length; k++) previousActivity.set(w.person[k]!, (previousActivity.get(w.person[k]!) ?? 0) + w.n[k]!);
    }
  }

  // The scope's review side is the reviews its members gave (all reviews without a team).
  const agg: ReviewAggregates = { byReviewer: new Map([...scan.given].filter(([id]) => inTeam(id))), receivedByAuthor: scan.receivedInScope };
  const summary = summaryOf(scan.prTotals, agg);

  // Per person, over the whole window (team filter applied when listing).
  const stats = new Map<number, PersonStats>();
  const stat = (id: number) => {
    let s = stats.get(id);
    if (!s) stats.set(id, (s = { personId: id, prsOpened: 0, reviewsGiven: 0, reviewsReceived: 0, substantiveReviewsGiven: 0, rubberStamps: 0, approvals: 0, tier: null, previousTier: null }));
    return s;
  };
  for (const [id, n] of scan.prsOpened) stat(id).prsOpened = n;
  for (const [id, g] of scan.given) {
    const s = stat(id);
    s.reviewsGiven = g.reviews;
    s.substantiveReviewsGiven = g.substantive;
    s.rubberStamps = g.rubberStamps;
    s.approvals = g.approvals;
  }
  for (const [id, n] of scan.received) stat(id).reviewsReceived = n;

  // Tiers by share of activity (PRs opened + reviews given), now and in the window before.
  const current = tiers(new Map([...stats].map(([id, s]) => [id, s.prsOpened + s.reviewsGiven])));
  const previous = tiers(previousActivity);
  for (const [id, s] of stats) {
    s.tier = current.get(id) ?? null;
    s.previousTier = previous.get(id) ?? null;
  }

  const given = new Map<number, number>();
  const stampStats = new Map<number, { approvals: number; rubberStamps: number }>();
  for (const [id, s] of stats) {
    if (!inTeam(id)) continue;
    if (s.reviewsGiven > 0) given.set(id, s.reviewsGiven);
    if (s.approvals > 0) stampStats.set(id, { approvals: s.approvals, rubberStamps: s.rubberStamps });
  }

  // Only pairs that pass the edge rule get their first and last review as text.
  const edgePairs = scan.pairsWhere((reviewer, author, substantive) => mentoringGap(reviewer, author, substantive, firstMs, mentoring) !== null);
  const edges = edgesFromPairs(edgePairs, firstActivity, mentoring).filter((e) => inTeam(e.mentor_id) || inTeam(e.mentee_id));
  const overloaded = overloadedMentors(edges, settings.menteeLimit);
  const mentorsOf = new Map<number, number[]>();
  for (const e of edges) mentorsOf.set(e.mentee_id, [...(mentorsOf.get(e.mentee_id) ?? []), e.mentor_id]);

  const newcomerIds = candidates.filter((id) => q.repoId === undefined || scan.authorsHere.has(id));
  const orgP75 = summary.ttfrP75Hours;
  const fromMs = Date.parse(from);
  const newcomers: NewcomerResult[] = newcomerIds.map((id) => {
    const person = people.get(id)!;
    const rec = scan.newcomerReviews.get(id) ?? [];
    const mentors = mentorsOf.get(id) ?? [];
    const g = newcomerGaps(
      { personId: id, prs: scan.newcomerPrs.get(id) ?? [], reviews: rec.filter((r) => r.at >= fromMs), mentorCount: mentors.length },
      q.asOf,
      orgP75,
      settings.mentorTenureGapDays,
    );
    return { personId: id, ...trajectory(person, rec, to, settings.newcomerDays), mentors, gaps: g };
  });
  // Newcomers (and so their gaps) in the order they started, then by id: the same on every engine,
  // whatever order the database listed the candidates in.
  newcomers.sort((a, b) => a.firstPrAt.localeCompare(b.firstPrAt) || a.personId - b.personId);
  const gaps: Gap[] = newcomers.flatMap((n) => n.gaps);
  for (const [mentor, n] of overloaded) gaps.push(mentorOverLimitGap(mentor, n, settings.menteeLimit));

  return {
    query: q,
    summary,
    prSizes: scan.prSizes,
    people: new Map([...stats].filter(([id]) => inTeam(id))),
    logins,
    edges,
    newcomers,
    overloadedMentors: overloaded,
    loadCarriers: loadCarriers(given),
    rubberStampers: rubberStampers(stampStats),
    gaps,
    tierMoves: tierMoves(previous, current),
    teamMembers,
    byRepo: scan.byRepo,
    byTeam: await teamTotals(db, scan),
  };
}

/**
 * Each team's totals as a team filter would count them: the PRs its members opened and merged,
 * the reviews they gave. Summed per member from one scan, so the team list costs one analysis.
 */
async function teamTotals(db: Db, scan: WindowScan): Promise<WindowAnalysis['byTeam']> {
  const out: WindowAnalysis['byTeam'] = new Map();
  for (const [slug, members] of await teamMembership(db)) {
    const t = { prs: 0, merged: 0, mergedWithoutReview: 0, reviews: 0 };
    out.set(slug, t);
    for (const id of members) {
      const merged = scan.mergedBy.get(id);
      t.prs += scan.prsOpened.get(id) ?? 0;
      t.merged += merged?.merged ?? 0;
      t.mergedWithoutReview += merged?.mergedWithoutReview ?? 0;
      t.reviews += scan.given.get(id)?.reviews ?? 0;
    }
  }
  return out;
}

/** Everyone the signals know (signal_people), once per derive run. */
export function signalPeople(db: Db): Promise<SignalPeopleTable[]> {
  return perRun(db, 'signal_people', (d) => d.selectFrom('signal_people').selectAll().execute());
}

/** Each team's members, by slug in the order the table lists them, once per derive run. */
function teamMembership(db: Db): Promise<Map<string, number[]>> {
  return perRun(db, 'signal_team_members', async (d) => {
    const out = new Map<string, number[]>();
    for (const m of await d.selectFrom('signal_team_members').select(['slug', 'person_id']).orderBy('slug').orderBy('person_id').execute()) {
      const list = out.get(m.slug);
      if (list) list.push(m.person_id);
      else out.set(m.slug, [m.person_id]);
    }
    return out;
  });
}

/** PRs opened + reviews given per person and week (the weeks with any), once per derive run. */
function weeklyActivity(db: Db): Promise<{ week: string; person: number[]; n: number[] }[]> {
  return perRun(db, 'signal_person_weekly', async (d) => {
    const rows = await d
      .selectFrom('signal_person_weekly')
      .select(['week', 'person_id', (eb) => eb('prs_opened', '+', eb.ref('reviews_given')).as('n')])
      .orderBy('week')
      .orderBy('person_id')
      .execute();
    const out: { week: string; person: number[]; n: number[] }[] = [];
    for (const r of rows) {
      const n = Number(r.n);
      if (n <= 0) continue;
      if (out.at(-1)?.week !== r.week) out.push({ week: r.week, person: [], n: [] });
      out.at(-1)!.person.push(r.person_id);
      out.at(-1)!.n.push(n);
    }
    return out;
  });
}
