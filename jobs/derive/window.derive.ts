import type { Db } from '../../server/db/connect.ts';
import type { MentoringEdgesTable, SignalPeopleTable } from '../../server/db/signals.tables.ts';
import type { Settings } from '../../server/settings.ts';
import { sql } from 'kysely';
import { summaryFrom, loadCarriers, rubberStampers, type PrFact, type ReviewAggregates, type Summary } from './participation.derive.ts';
import { edgesFromPairs, overloadedMentors } from './mentoring.derive.ts';
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

  // PRs: the few columns the review clock and counts need. Reviews: totals per
  // (reviewer, author) pair straight from SQL, so a window costs one pass over an index.
  let prq = db
    .selectFrom('signal_pr_facts')
    .select(['pr_id', 'author_id', 'created_at', 'clock_start', 'first_review_at', 'merged_at', 'closed_at', 'reviewed_before_merge'])
    .where((eb) =>
      eb.or([
        eb.and([eb('created_at', '>=', from), eb('created_at', '<', to)]),
        eb.and([eb('merged_at', '>=', from), eb('merged_at', '<', to)]),
        eb.and([eb('clock_start', '>=', from), eb('clock_start', '<', to)]),
      ]),
    );
  let pq = db
    .selectFrom('signal_review_facts')
    .select((eb) => [
      'reviewer_id',
      'author_id',
      eb.fn.countAll<number>().as('reviews'),
      eb.fn.sum<number>('is_substantive').as('substantive'),
      eb.fn.sum<number>(sql`case when is_substantive = 1 then inline_comments else 0 end`).as('inline'),
      eb.fn.sum<number>('is_rubber_stamp').as('rubber_stamps'),
      eb.fn.sum<number>('is_approval').as('approvals'),
      eb.fn.count<number>('cross_team').as('cross_known'),
      eb.fn.sum<number>(sql`coalesce(cross_team, 0)`).as('cross'),
      eb.fn.min<string>(sql`case when is_substantive = 1 then submitted_at end`).as('first_at'),
      eb.fn.max<string>(sql`case when is_substantive = 1 then submitted_at end`).as('last_at'),
    ])
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', to)
    .groupBy(['reviewer_id', 'author_id']);
  if (q.repoId !== undefined) {
    prq = prq.where('repo_id', '=', q.repoId);
    pq = pq.where('repo_id', '=', q.repoId);
  }
  const prFacts: PrFact[] = await prq.execute();
  const pairs = (await pq.execute()).map((r) => ({
    reviewer_id: r.reviewer_id,
    author_id: r.author_id,
    reviews: Number(r.reviews),
    substantive: Number(r.substantive),
    inline: Number(r.inline),
    rubberStamps: Number(r.rubber_stamps),
    approvals: Number(r.approvals),
    crossKnown: Number(r.cross_known),
    cross: Number(r.cross),
    first_at: r.first_at ?? '',
    last_at: r.last_at ?? '',
  }));

  // The scope's review side is the reviews its members gave (all reviews without a team).
  const agg: ReviewAggregates = { byReviewer: new Map(), receivedByAuthor: new Map() };
  for (const p of pairs) {
    if (!inTeam(p.reviewer_id)) continue;
    let a = agg.byReviewer.get(p.reviewer_id);
    if (!a) agg.byReviewer.set(p.reviewer_id, (a = { reviews: 0, substantive: 0, rubberStamps: 0, approvals: 0, crossKnown: 0, cross: 0 }));
    a.reviews += p.reviews;
    a.substantive += p.substantive;
    a.rubberStamps += p.rubberStamps;
    a.approvals += p.approvals;
    a.crossKnown += p.crossKnown;
    a.cross += p.cross;
    agg.receivedByAuthor.set(p.author_id, (agg.receivedByAuthor.get(p.author_id) ?? 0) + p.reviews);
  }
  const summary = summaryFrom(
    prFacts.filter((p) => inTeam(p.author_id)),
    agg,
    from,
    to,
    to,
  );

  // Per person, over the whole window (team filter applied when listing).
  const stats = new Map<number, PersonStats>();
  const stat = (id: number) => {
    let s = stats.get(id);
    if (!s) stats.set(id, (s = { personId: id, prsOpened: 0, reviewsGiven: 0, reviewsReceived: 0, substantiveReviewsGiven: 0, rubberStamps: 0, approvals: 0, tier: null, previousTier: null }));
    return s;
  };
  for (const p of prFacts) if (p.created_at >= from && p.created_at < to) stat(p.author_id).prsOpened++;
  for (const p of pairs) {
    const g = stat(p.reviewer_id);
    g.reviewsGiven += p.reviews;
    g.substantiveReviewsGiven += p.substantive;
    g.rubberStamps += p.rubberStamps;
    g.approvals += p.approvals;
    stat(p.author_id).reviewsReceived += p.reviews;
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

  const edges = edgesFromPairs(pairs, firstActivity, { tenureGapDays: settings.mentorTenureGapDays }).filter((e) => inTeam(e.mentor_id) || inTeam(e.mentee_id));
  const overloaded = overloadedMentors(edges, settings.menteeLimit);
  const mentorsOf = new Map<number, number[]>();
  for (const e of edges) mentorsOf.set(e.mentee_id, [...(mentorsOf.get(e.mentee_id) ?? []), e.mentor_id]);

  const authorsHere = new Set(prFacts.map((f) => f.author_id));
  const newcomerIds = peopleRows
    .filter((p) => inTeam(p.person_id) && isNewcomer(p.first_pr_at, to, settings.newcomerDays))
    .filter((p) => q.repoId === undefined || authorsHere.has(p.person_id))
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
