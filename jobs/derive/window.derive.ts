import type { Db } from '../../server/db/connect.ts';
import type { MentoringEdgesTable, SignalPeopleTable, SignalPrFactsTable, SignalReviewFactsTable } from '../../server/db/signals.tables.ts';
import type { Settings } from '../../server/settings.ts';
import { summarise, loadCarriers, rubberStampers, type Summary } from './participation.derive.ts';
import { mentoringEdges, overloadedMentors } from './mentoring.derive.ts';
import { isNewcomer, trajectory, type Trajectory } from './newcomers.derive.ts';
import { mentorOverLimitGap, newcomerGaps, type Gap } from './gaps.derive.ts';
import { tiers, tierMoves, type Tier } from './tiers.derive.ts';
import { addDays } from './weeks.ts';
import { groupBy } from './facts.derive.ts';

// Every signal of one window [from, to), read from the fact tables with range queries and
// computed by the same pure functions the weekly rollups use. Shared by the report CLI, the
// API and the derive stage (which stores the default window).

export interface WindowQuery {
  from: string;
  to: string;
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
}

export async function analyseWindow(db: Db, q: WindowQuery, settings: Settings): Promise<WindowAnalysis> {
  const { from, to } = q;
  const peopleRows = await db.selectFrom('signal_people').selectAll().execute();
  const people = new Map<number, SignalPeopleTable>(peopleRows.map((p) => [p.person_id, p]));
  const logins = new Map(peopleRows.map((p) => [p.person_id, p.login]));
  const firstActivity = new Map<number, string>();
  for (const p of peopleRows) if (p.first_activity_at) firstActivity.set(p.person_id, p.first_activity_at);

  const teamMembers = q.team
    ? new Set((await db.selectFrom('signal_team_members').select('person_id').where('slug', '=', q.team).execute()).map((r) => r.person_id))
    : null;
  const inTeam = (id: number) => teamMembers === null || teamMembers.has(id);

  let prq = db
    .selectFrom('signal_pr_facts')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('created_at', '>=', from), eb('created_at', '<', to)]),
        eb.and([eb('merged_at', '>=', from), eb('merged_at', '<', to)]),
        eb.and([eb('clock_start', '>=', from), eb('clock_start', '<', to)]),
      ]),
    );
  let rq = db.selectFrom('signal_review_facts').selectAll().where('submitted_at', '>=', from).where('submitted_at', '<', to);
  if (q.repoId !== undefined) {
    prq = prq.where('repo_id', '=', q.repoId);
    rq = rq.where('repo_id', '=', q.repoId);
  }
  const prFacts: SignalPrFactsTable[] = await prq.execute();
  const reviewFacts: SignalReviewFactsTable[] = await rq.execute();
  const scopePrs = prFacts.filter((p) => inTeam(p.author_id));
  const scopeReviews = reviewFacts.filter((r) => inTeam(r.reviewer_id));
  const summary = summarise(scopePrs, scopeReviews, from, to, to);

  // Per person, over the whole window (team filter applied when listing).
  const stats = new Map<number, PersonStats>();
  const stat = (id: number) => {
    let s = stats.get(id);
    if (!s) stats.set(id, (s = { personId: id, prsOpened: 0, reviewsGiven: 0, reviewsReceived: 0, substantiveReviewsGiven: 0, rubberStamps: 0, approvals: 0, tier: null, previousTier: null }));
    return s;
  };
  for (const p of prFacts) if (p.created_at >= from && p.created_at < to) stat(p.author_id).prsOpened++;
  for (const r of reviewFacts) {
    const g = stat(r.reviewer_id);
    g.reviewsGiven++;
    g.substantiveReviewsGiven += r.is_substantive;
    g.rubberStamps += r.is_rubber_stamp;
    g.approvals += r.is_approval;
    stat(r.author_id).reviewsReceived++;
  }

  // Tiers by share of activity (PRs opened + reviews given), now and in the window before.
  const current = tiers(new Map([...stats].map(([id, s]) => [id, s.prsOpened + s.reviewsGiven])));
  const previous = tiers(await previousActivity(db, from, to, q.repoId));
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

  const edges = mentoringEdges(reviewFacts, firstActivity, { tenureGapDays: settings.mentorTenureGapDays }).filter((e) => inTeam(e.mentor_id) || inTeam(e.mentee_id));
  const overloaded = overloadedMentors(edges, settings.menteeLimit);
  const mentorsOf = new Map<number, number[]>();
  for (const e of edges) mentorsOf.set(e.mentee_id, [...(mentorsOf.get(e.mentee_id) ?? []), e.mentor_id]);

  const newcomerIds = peopleRows
    .filter((p) => inTeam(p.person_id) && isNewcomer(p.first_pr_at, to, settings.newcomerDays))
    .filter((p) => q.repoId === undefined || prFacts.some((f) => f.author_id === p.person_id))
    .map((p) => p.person_id);
  const received = newcomerIds.length
    ? groupBy(
        await db
          .selectFrom('signal_review_facts')
          .select(['author_id', 'reviewer_id', 'submitted_at', 'pr_id', 'is_silent_approval', 'is_substantive'])
          .where('author_id', 'in', newcomerIds)
          .where('submitted_at', '>=', addDays(to, -settings.newcomerDays))
          .where('submitted_at', '<', to)
          .execute(),
        (r) => r.author_id,
      )
    : new Map();
  const prsByAuthor = groupBy(
    prFacts.filter((p) => p.clock_start >= from && p.clock_start < to),
    (p) => p.author_id,
  );
  const orgP75 = summary.ttfrP75Hours;
  const gaps: Gap[] = [];
  const newcomers: NewcomerResult[] = newcomerIds.map((id) => {
    const person = people.get(id)!;
    const rec = received.get(id) ?? [];
    const mentors = mentorsOf.get(id) ?? [];
    const g = newcomerGaps(
      { personId: id, prs: prsByAuthor.get(id) ?? [], reviews: rec.filter((r: { submitted_at: string }) => r.submitted_at >= from), mentorCount: mentors.length },
      to,
      orgP75,
      settings.mentorTenureGapDays,
    );
    gaps.push(...g);
    return { personId: id, ...trajectory(person, rec, to, settings.newcomerDays), mentors, gaps: g };
  });
  for (const [mentor, n] of overloaded) gaps.push(mentorOverLimitGap(mentor, n, settings.menteeLimit));

  return {
    query: q,
    summary,
    people: new Map([...stats].filter(([id]) => inTeam(id))),
    logins,
    edges,
    newcomers: newcomers.sort((a, b) => a.firstPrAt.localeCompare(b.firstPrAt)),
    overloadedMentors: overloaded,
    loadCarriers: loadCarriers(given),
    rubberStampers: rubberStampers(stampStats),
    gaps,
    tierMoves: tierMoves(previous, current),
    teamMembers,
  };
}

/** Activity (PRs opened + reviews given) per person in the same-length window before `from`. */
async function previousActivity(db: Db, from: string, to: string, repoId: number | undefined): Promise<Map<number, number>> {
  const len = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  const start = addDays(from, -len);
  let pq = db.selectFrom('signal_pr_facts').select(['author_id as id', (eb) => eb.fn.countAll<number>().as('n')]).where('created_at', '>=', start).where('created_at', '<', from).groupBy('author_id');
  let rq = db.selectFrom('signal_review_facts').select(['reviewer_id as id', (eb) => eb.fn.countAll<number>().as('n')]).where('submitted_at', '>=', start).where('submitted_at', '<', from).groupBy('reviewer_id');
  if (repoId !== undefined) {
    pq = pq.where('repo_id', '=', repoId);
    rq = rq.where('repo_id', '=', repoId);
  }
  const out = new Map<number, number>();
  for (const r of [...(await pq.execute()), ...(await rq.execute())]) out.set(r.id, (out.get(r.id) ?? 0) + Number(r.n));
  return out;
}
