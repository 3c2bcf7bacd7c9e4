import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { SignalPeopleTable, SignalPrFactsTable, SignalReviewFactsTable } from '../../server/db/signals.tables.ts';
import { readSettings, type Settings } from '../../server/settings.ts';
import { countedPeople } from './counted.ts';
import { append, chunk, loadFacts, type Facts } from './facts.derive.ts';
import { derivePeopleFacts, maxInto, minInto } from './newcomers.derive.ts';
import { rollupWeeks } from './rollup.derive.ts';
import { mergeTeams, teamsByPerson } from './teams.derive.ts';
import { analyseWindow } from './window.derive.ts';
import { insertRows } from './store.ts';
import { addDays, isoSeconds, weekOf, weekRange } from './weeks.ts';

// The derive stage: domain tables → signal tables. deriveAll recomputes everything;
// deriveIncremental recomputes only the PRs touched since a bookmark and the ISO weeks they
// fall in, then the default window.

/**
 * What changed: rows whose GitHub times (created, updated, submitted, requested) are at or after
 * `since`, or rows extracted from raw responses newer than `sinceRawId` (what the sync hook uses:
 * a backfill of an old repo brings rows with old timestamps, but always new raw ids).
 */
export type IncrementalOptions = ({ since: string } | { sinceRawId: number }) & { now?: string; window?: boolean };

export interface DeriveResult {
  /** Milliseconds per stage, for the benchmark. */
  timings: Record<string, number>;
  prs: number;
  reviews: number;
  weeks: number;
  windowFrom: string;
  windowTo: string;
  unknownTeamLogins: string[];
}

function stopwatch() {
  const timings: Record<string, number> = {};
  let last = performance.now();
  return {
    timings,
    lap(name: string) {
      const t = performance.now();
      timings[name] = (timings[name] ?? 0) + Math.round(t - last);
      last = t;
    },
  };
}

interface Context {
  settings: Settings;
  counted: Set<number>;
  teamsOf: Map<number, Set<string>>;
  people: { id: number; login: string }[];
  repoNames: Map<number, string>;
  unknownTeamLogins: string[];
}

async function prepare(db: Db): Promise<Context> {
  const settings = await readSettings(db);
  const people = await db.selectFrom('people').select(['id', 'login', 'is_bot', 'is_ghost']).execute();
  const counted = countedPeople(people, settings);
  const ghTeams = await db.selectFrom('teams').select(['id', 'slug', 'name']).where('source', '=', 'github').execute();
  const ghMembers = await db.selectFrom('team_members').select(['team_id', 'person_id']).execute();
  const byTeam = new Map<number, number[]>();
  for (const m of ghMembers) byTeam.set(m.team_id, [...(byTeam.get(m.team_id) ?? []), m.person_id]);
  const idByLogin = new Map(people.map((p) => [p.login.toLowerCase(), p.id]));
  const merged = mergeTeams(
    ghTeams.map((t) => ({ slug: t.slug, name: t.name, members: byTeam.get(t.id) ?? [] })),
    settings.teams,
    idByLogin,
  );
  const members = merged.members.filter((m) => counted.has(m.person_id));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('signal_team_members').execute();
    await trx.deleteFrom('signal_teams').execute();
    await insertRows(trx, 'signal_teams', merged.teams);
    await insertRows(trx, 'signal_team_members', members);
  });
  const repos = await db.selectFrom('repos').select(['id', 'full_name']).execute();
  return {
    settings,
    counted,
    teamsOf: teamsByPerson(members),
    people,
    repoNames: new Map(repos.map((r) => [r.id, r.full_name])),
    unknownTeamLogins: merged.unknownLogins,
  };
}

function factWeeks(prFacts: readonly Pick<SignalPrFactsTable, 'created_at' | 'clock_start' | 'merged_at'>[], reviewFacts: readonly Pick<SignalReviewFactsTable, 'submitted_at'>[], into = new Set<string>()): Set<string> {
  for (const p of prFacts) {
    into.add(weekOf(p.created_at));
    into.add(weekOf(p.clock_start));
    if (p.merged_at) into.add(weekOf(p.merged_at));
  }
  for (const r of reviewFacts) into.add(weekOf(r.submitted_at));
  return into;
}

/** Full recompute of every signal table. `now` is the end of the default window. */
export async function deriveAll(db: Db, options: { now?: string } = {}): Promise<DeriveResult> {
  const now = isoSeconds(Date.parse(options.now ?? new Date().toISOString()));
  const sw = stopwatch();
  const ctx = await prepare(db);
  sw.lap('prepare');
  const facts = await loadFacts(db, { counted: ctx.counted, teamsOf: ctx.teamsOf, rubberStampLines: ctx.settings.rubberStampLines });
  sw.lap('facts');
  const people = peopleFacts(ctx, facts, []);
  const weeks = factWeeks(facts.prFacts, facts.reviewFacts);
  const rollups = rollupWeeks({ weeks, prFacts: facts.prFacts, reviewFacts: facts.reviewFacts, repoNames: ctx.repoNames, teamsOf: ctx.teamsOf, asOf: now });
  sw.lap('rollups');
  await db.transaction().execute(async (trx) => {
    for (const t of ['signal_pr_facts', 'signal_review_facts', 'signal_people', 'signal_weekly', 'signal_person_weekly'] as const) await trx.deleteFrom(t).execute();
    await insertRows(trx, 'signal_pr_facts', facts.prFacts);
    await insertRows(trx, 'signal_review_facts', facts.reviewFacts);
    await insertRows(trx, 'signal_people', people);
    await insertRows(trx, 'signal_weekly', rollups.weekly);
    await insertRows(trx, 'signal_person_weekly', rollups.personWeekly);
  });
  sw.lap('write');
  const window = await storeDefaultWindow(db, ctx.settings, now);
  sw.lap('window');
  return { timings: sw.timings, prs: facts.prFacts.length, reviews: facts.reviewFacts.length, weeks: weeks.size, ...window, unknownTeamLogins: ctx.unknownTeamLogins };
}

/**
 * Recomputes the PRs with rows created or updated at or after `since`, the ISO weeks those
 * PRs' facts fall in (before and after) plus this week and last, and the default window.
 */
export async function deriveIncremental(db: Db, options: IncrementalOptions): Promise<DeriveResult> {
  const now = isoSeconds(Date.parse(options.now ?? new Date().toISOString()));
  const sw = stopwatch();
  const ctx = await prepare(db);
  sw.lap('prepare');
  const touched = 'sinceRawId' in options ? await touchedByRawId(db, options.sinceRawId) : await touchedPrIds(db, options.since);
  sw.lap('touched');

  const weeks = new Set<string>([weekOf(now)]);
  for (const ids of chunk(touched, 900)) {
    const oldPrs = await db.selectFrom('signal_pr_facts').select(['created_at', 'clock_start', 'merged_at']).where('pr_id', 'in', ids).execute();
    const oldReviews = await db.selectFrom('signal_review_facts').select('submitted_at').where('pr_id', 'in', ids).execute();
    factWeeks(oldPrs, oldReviews, weeks);
  }
  const facts = await loadFacts(db, { counted: ctx.counted, teamsOf: ctx.teamsOf, rubberStampLines: ctx.settings.rubberStampLines }, touched);
  factWeeks(facts.prFacts, facts.reviewFacts, weeks);
  // A PR still waiting counts with the time waited so far; in weeks no new data touches, that
  // figure is as of their last recompute (the full recompute brings every week up to date).
  weeks.add(weekOf(addDays(now, -7)));
  sw.lap('facts');

  const existing = await db.selectFrom('signal_people').selectAll().execute();
  const people = peopleFacts(ctx, facts, existing);

  await db.transaction().execute(async (trx) => {
    for (const ids of chunk(touched, 900)) {
      await trx.deleteFrom('signal_pr_facts').where('pr_id', 'in', ids).execute();
      await trx.deleteFrom('signal_review_facts').where('pr_id', 'in', ids).execute();
    }
    await insertRows(trx, 'signal_pr_facts', facts.prFacts);
    await insertRows(trx, 'signal_review_facts', facts.reviewFacts);
    await trx.deleteFrom('signal_people').execute();
    await insertRows(trx, 'signal_people', people);
  });
  sw.lap('write facts');

  // Rollups of the touched weeks, from the facts in those weeks.
  const weekList = [...weeks].sort();
  const prFacts: SignalPrFactsTable[] = [];
  const reviewFacts: SignalReviewFactsTable[] = [];
  const seen = new Set<number>();
  for (const span of spans(weekList)) {
    const prs = await db
      .selectFrom('signal_pr_facts')
      .selectAll()
      .where((eb) =>
        eb.or(
          (['created_at', 'clock_start', 'merged_at'] as const).map((c) => eb.and([eb(c, '>=', span.from), eb(c, '<', span.to)])),
        ),
      )
      .execute();
    for (const p of prs) if (!seen.has(p.pr_id) && (seen.add(p.pr_id), true)) prFacts.push(p);
    append(reviewFacts, await db.selectFrom('signal_review_facts').selectAll().where('submitted_at', '>=', span.from).where('submitted_at', '<', span.to).execute());
  }
  sw.lap('read weeks');
  const rollups = rollupWeeks({ weeks, prFacts, reviewFacts, repoNames: ctx.repoNames, teamsOf: ctx.teamsOf, asOf: now });
  sw.lap('rollups');
  await db.transaction().execute(async (trx) => {
    for (const ws of chunk(weekList, 900)) {
      await trx.deleteFrom('signal_weekly').where('week', 'in', ws).execute();
      await trx.deleteFrom('signal_person_weekly').where('week', 'in', ws).execute();
    }
    await insertRows(trx, 'signal_weekly', rollups.weekly);
    await insertRows(trx, 'signal_person_weekly', rollups.personWeekly);
  });
  sw.lap('write rollups');
  // window: false leaves the stored default window as it was (the API computes windows live).
  const window = options.window === false ? await storedWindow(db) : await storeDefaultWindow(db, ctx.settings, now);
  sw.lap('window');
  return { timings: sw.timings, prs: facts.prFacts.length, reviews: facts.reviewFacts.length, weeks: weeks.size, ...window, unknownTeamLogins: ctx.unknownTeamLogins };
}

async function storedWindow(db: Db): Promise<{ windowFrom: string; windowTo: string }> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'derive').executeTakeFirst();
  const v = row ? (JSON.parse(row.value) as { windowFrom: string; windowTo: string }) : { windowFrom: '', windowTo: '' };
  return { windowFrom: v.windowFrom, windowTo: v.windowTo };
}

/**
 * The hook the sync calls after each repository (SyncServices.onRepoSynced): a full recompute
 * the first time, then only what changed since the newest PR update seen by the last derive.
 */
export async function deriveAfterSync(db: Db, options: { now?: string } = {}): Promise<DeriveResult> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'raw_bookmark').executeTakeFirst();
  const newest = await db.selectFrom('raw_responses').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const result = row ? await deriveIncremental(db, { sinceRawId: Number(row.value), ...options }) : await deriveAll(db, options);
  const id = String(newest?.id ?? 0);
  await db
    .insertInto('signal_state')
    .values({ key: 'raw_bookmark', value: id })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: id }))
    .execute();
  return result;
}

async function touchedByRawId(db: Db, rawId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select id from pull_requests where raw_id > ${rawId}
    union select pull_request_id from reviews where raw_id > ${rawId}
    union select pull_request_id from review_comments where raw_id > ${rawId}
    union select pull_request_id from issue_comments where raw_id > ${rawId}
    union select pull_request_id from review_requests where raw_id > ${rawId}`.execute(db);
  return rows.rows.map((r) => r.id);
}

async function touchedPrIds(db: Db, since: string): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select id from pull_requests where updated_at >= ${since} or created_at >= ${since}
    union select pull_request_id from reviews where submitted_at >= ${since}
    union select pull_request_id from review_comments where created_at >= ${since}
    union select pull_request_id from issue_comments where created_at >= ${since}
    union select pull_request_id from review_requests where requested_at >= ${since}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** Contiguous runs of weeks as [from, to) instants, so touched weeks cost one query per run. */
function spans(weeks: readonly string[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const w of weeks) {
    const r = weekRange(w);
    const last = out[out.length - 1];
    if (last && last.to === r.from) last.to = r.to;
    else out.push({ ...r });
  }
  return out;
}

function peopleFacts(ctx: Context, facts: Facts, existing: readonly SignalPeopleTable[]): SignalPeopleTable[] {
  const first = new Map<number, string>();
  const last = new Map<number, string>();
  for (const p of existing) {
    if (p.first_activity_at) first.set(p.person_id, p.first_activity_at);
    if (p.last_activity_at) last.set(p.person_id, p.last_activity_at);
  }
  for (const a of facts.activity) {
    minInto(first, a.person_id, a.at);
    maxInto(last, a.person_id, a.at);
  }
  const fresh = derivePeopleFacts(ctx.people, ctx.counted, first, last, facts.prFacts, facts.reviewFacts);
  const old = new Map(existing.map((p) => [p.person_id, p]));
  const earliest = (a: string | null, b: string | null | undefined) => (a === null ? (b ?? null) : b == null ? a : a < b ? a : b);
  return fresh.map((p) => {
    const o = old.get(p.person_id);
    if (!o) return p;
    return {
      ...p,
      first_pr_at: earliest(p.first_pr_at, o.first_pr_at),
      first_review_received_at: earliest(p.first_review_received_at, o.first_review_received_at),
      first_review_given_at: earliest(p.first_review_given_at, o.first_review_given_at),
      first_approval_given_at: earliest(p.first_approval_given_at, o.first_approval_given_at),
    };
  });
}

/** Stores the default window (the 90 days ending at `now`) for the dashboard. */
async function storeDefaultWindow(db: Db, settings: Settings, now: string): Promise<{ windowFrom: string; windowTo: string }> {
  const windowTo = addDays(now, 0);
  const windowFrom = addDays(now, -90);
  // The window is half-open; one second past `now` keeps activity at exactly `now` inside it.
  const a = await analyseWindow(db, { from: windowFrom, to: isoSeconds(Date.parse(windowTo) + 1000) }, settings);
  await db.transaction().execute(async (trx) => {
    for (const t of ['mentoring_edges', 'newcomers', 'mentoring_gaps', 'contributor_tiers'] as const) await trx.deleteFrom(t).execute();
    await insertRows(trx, 'mentoring_edges', a.edges);
    await insertRows(
      trx,
      'newcomers',
      a.newcomers.map((n) => ({
        person_id: n.personId,
        first_pr_at: n.firstPrAt,
        first_review_received_at: n.firstReviewReceivedAt,
        distinct_reviewers_90d: n.distinctReviewers,
        first_review_given_at: n.firstReviewGivenAt,
        first_approval_given_at: n.firstApprovalGivenAt,
        mentor_count: n.mentors.length,
      })),
    );
    if (a.gaps.length) await trx.insertInto('mentoring_gaps').values(a.gaps.map((g) => ({ kind: g.kind, person_id: g.personId, reason: g.reason }))).execute();
    await insertRows(
      trx,
      'contributor_tiers',
      [...a.people.values()].filter((p) => p.tier !== null).map((p) => ({ person_id: p.personId, tier: p.tier!, previous_tier: p.previousTier, activity: p.prsOpened + p.reviewsGiven })),
    );
    const state = { derivedAt: now, windowFrom, windowTo, run: randomUUID() };
    await trx
      .insertInto('signal_state')
      .values({ key: 'derive', value: JSON.stringify(state) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(state) }))
      .execute();
  });
  return { windowFrom, windowTo };
}
