import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { SignalPeopleTable, SignalPersonWeeklyTable, SignalPrFactsTable, SignalReviewFactsTable, SignalWeeklyTable } from '../../server/db/signals.tables.ts';
import { readSettings, type Settings } from '../../server/settings.ts';
import { countedPeople } from '../../server/signals/counted.ts';
import { append, loadFacts, type Facts } from './facts.derive.ts';
import { chunk } from '../../server/db/bulk.ts';
import { derivePeopleFacts, maxInto, minInto } from '../../server/signals/newcomers.ts';
import { refreshClocks, rollupWeeks } from './rollup.derive.ts';
import { mergeTeams, teamsByPerson } from './teams.derive.ts';
import { readDeriveState, spanOf, type DeriveState } from '../../server/signals/history.ts';
import { derivedScope, type OrgScope } from '../../server/signals/scope.ts';
import { changedRows, insertRows, replaceChanged } from './store.ts';
import { decodeWeek, encodeWeeks, factsByWeek, patchWeek } from '../../server/signals/packs.ts';
import { readWeeks } from '../../server/signals/packs.read.ts';
import { ensurePacks, writePacks } from './packs.write.ts';
import { addDays, isoSeconds, weekOf } from '../../server/signals/weeks.ts';

// The derive stage: domain tables → signal tables. deriveAll recomputes everything;
// deriveIncremental recomputes only the PRs touched since a bookmark and the ISO weeks where
// their facts changed (rollups and week packs). Windows are not stored here: the read model
// (server/signals/) computes each one from the packs; the derive job then makes the period
// picker's reports ahead (reports.prepare.ts). Review clocks of PRs still waiting stop at
// the end of the synced history (`now` below), never at today's date.

/**
 * What changed: rows whose GitHub times (created, updated, submitted, requested) are at or after
 * `since`, or rows extracted from raw responses newer than `sinceRawId` (what the sync hook uses:
 * a backfill of an old repo brings rows with old timestamps, but always new raw ids).
 */
export type IncrementalOptions = ({ since: string } | { sinceRawId: number }) & { now?: string };

export interface DeriveResult {
  /** Milliseconds per stage, for the benchmark. */
  timings: Record<string, number>;
  prs: number;
  reviews: number;
  weeks: number;
  /** The synced history's span, as the read model clamps windows to it. */
  historyFrom: string | null;
  historyTo: string | null;
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
  /** The shown org, when the database holds several (server/signals/scope.ts). */
  scope: OrgScope | null;
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
  const scope = await derivedScope(db);
  // Another org's teams are not the shown org's.
  let teamsQuery = db.selectFrom('teams').select(['id', 'slug', 'name']).where('source', '=', 'github');
  if (scope) teamsQuery = teamsQuery.where('org', '=', scope.org);
  const ghTeams = await teamsQuery.execute();
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
  const oldTeams = await db.selectFrom('signal_teams').selectAll().execute();
  const oldMembers = await db.selectFrom('signal_team_members').selectAll().execute();
  await db.transaction().execute(async (trx) => {
    await replaceChanged(trx, 'signal_teams', ['slug'], oldTeams, merged.teams);
    await replaceChanged(trx, 'signal_team_members', ['slug', 'person_id'], oldMembers, members);
  });
  const repos = await db.selectFrom('repos').select(['id', 'full_name']).execute();
  return {
    settings,
    scope,
    counted,
    teamsOf: teamsByPerson(members),
    people,
    repoNames: new Map(repos.map((r) => [r.id, r.full_name])),
    unknownTeamLogins: merged.unknownLogins,
  };
}

function factsContext(ctx: Context) {
  return { counted: ctx.counted, teamsOf: ctx.teamsOf, rubberStampLines: ctx.settings.rubberStampLines, repoIds: ctx.scope?.repoIds };
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

/** Full recompute of every signal table. `now` (default: the end of the synced history) is where waiting review clocks stop. */
export async function deriveAll(db: Db, options: { now?: string } = {}): Promise<DeriveResult> {
  const sw = stopwatch();
  const ctx = await prepare(db);
  sw.lap('prepare');
  const facts = await loadFacts(db, factsContext(ctx));
  const history = historyWith(spanOf(facts.prFacts, facts.reviewFacts), options.now);
  const now = clockEnd(options.now, history.to);
  sw.lap('facts');
  const people = peopleFacts(ctx, facts, []);
  const weeks = factWeeks(facts.prFacts, facts.reviewFacts);
  const packs = encodeWeeks(factsByWeek(facts.prFacts, facts.reviewFacts));
  sw.lap('packs');
  const rollups = rollupWeeks(packs.map(decodeWeek), { repoNames: ctx.repoNames, teamsOf: ctx.teamsOf, asOf: now });
  sw.lap('rollups');
  await db.transaction().execute(async (trx) => {
    for (const t of ['signal_pr_facts', 'signal_review_facts', 'signal_people', 'signal_weekly', 'signal_person_weekly'] as const) await trx.deleteFrom(t).execute();
    await insertRows(trx, 'signal_pr_facts', facts.prFacts);
    await insertRows(trx, 'signal_review_facts', facts.reviewFacts);
    await insertRows(trx, 'signal_people', people);
    await insertRows(trx, 'signal_weekly', rollups.weekly);
    await insertRows(trx, 'signal_person_weekly', rollups.personWeekly);
    await writePacks(trx, packs, { all: true });
    await writeState(trx, now, history, ctx.scope?.org ?? null);
  });
  sw.lap('write');
  return { timings: sw.timings, prs: facts.prFacts.length, reviews: facts.reviewFacts.length, weeks: weeks.size, historyFrom: history.from, historyTo: history.to, unknownTeamLogins: ctx.unknownTeamLogins };
}

/**
 * The history's span. A caller that passes `now` says the data is complete up to then (a sync
 * finished then, or a test's history ends then), so the history reaches at least that far.
 */
function historyWith(span: { from: string | null; to: string | null }, now: string | undefined): { from: string | null; to: string | null } {
  if (now === undefined) return span;
  const at = isoSeconds(Date.parse(now));
  return { from: span.from, to: span.to === null || span.to < at ? at : span.to };
}

/** Where review clocks of waiting PRs stop: the caller's `now`, else the history's end, else today. */
function clockEnd(now: string | undefined, historyTo: string | null): string {
  return isoSeconds(Date.parse(now ?? historyTo ?? new Date().toISOString()));
}

async function writeState(db: Db, now: string, history: { from: string | null; to: string | null }, org: string | null): Promise<void> {
  const state: DeriveState = { derivedAt: now, run: randomUUID(), historyFrom: history.from, historyTo: history.to, org };
  const value = JSON.stringify(state);
  await db
    .insertInto('signal_state')
    .values({ key: 'derive', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * Recomputes the PRs with rows created or updated at or after `since`, then the ISO weeks where
 * their facts changed (before and after), the review clocks of weeks with PRs still waiting,
 * and the default window. The signal tables come out as a full recompute at `now` makes them.
 */
export async function deriveIncremental(db: Db, options: IncrementalOptions): Promise<DeriveResult> {
  const sw = stopwatch();
  const ctx = await prepare(db);
  await ensurePacks(db); // the changed weeks' packs are patched, so they must all be there
  sw.lap('prepare');
  const touched = 'sinceRawId' in options ? await touchedByRawId(db, options.sinceRawId) : await touchedPrIds(db, options.since);
  sw.lap('touched');

  const oldPrs: SignalPrFactsTable[] = [];
  const oldReviews: SignalReviewFactsTable[] = [];
  for (const ids of chunk(touched, 900)) {
    append(oldPrs, await db.selectFrom('signal_pr_facts').selectAll().where('pr_id', 'in', ids).execute());
    append(oldReviews, await db.selectFrom('signal_review_facts').selectAll().where('pr_id', 'in', ids).execute());
  }
  const facts = await loadFacts(db, factsContext(ctx), touched);
  const stored = await readDeriveState(db);
  const history = historyWith(spanOf(facts.prFacts, facts.reviewFacts, { from: stored?.historyFrom ?? null, to: stored?.historyTo ?? null }), options.now);
  const now = clockEnd(options.now, history.to);
  // A week changes when a fact packed in it changed; a touched PR whose facts came out the
  // same (a sync re-fetches whole PRs) changes none.
  const prChanges = changedRows(['pr_id'], oldPrs, facts.prFacts);
  const reviewChanges = changedRows(['review_id'], oldReviews, facts.reviewFacts);
  const weeks = factWeeks([...prChanges.gone, ...prChanges.added], [...reviewChanges.gone, ...reviewChanges.added]);
  // Time passing changes one thing in weeks whose facts did not: a PR still waiting for its
  // first review has waited longer. Those weeks get their review clocks brought up to date.
  const since = await lastDerivedBefore(db, now);
  const clockWeeks = [...new Set((await waitingClockStarts(db, since)).map(weekOf))].filter((w) => !weeks.has(w)).sort();
  const existing = await db.selectFrom('signal_people').selectAll().execute();
  const people = peopleFacts(ctx, facts, existing);
  sw.lap('facts');

  // The changed weeks' packs, less the touched PRs, plus the touched PRs' facts in those weeks.
  // No other week holds a changed fact, so no other pack changes.
  const weekList = [...weeks].sort();
  const dropped = new Set(touched);
  const fresh = factsByWeek(facts.prFacts, facts.reviewFacts, weeks);
  const old = new Map((await readWeeks(db, weekList)).map((p) => [p.week, p]));
  const packs = weekList.map((w) => patchWeek(w, old.get(w), dropped, fresh.get(w)!)).filter((p) => p !== null);
  sw.lap('patch packs');
  const rollupCtx = { repoNames: ctx.repoNames, teamsOf: ctx.teamsOf, asOf: now };
  const rollups = rollupWeeks(packs.map(decodeWeek), rollupCtx);
  const oldWeekly: SignalWeeklyTable[] = [];
  const oldPersonWeekly: SignalPersonWeeklyTable[] = [];
  for (const ws of chunk(weekList, 900)) {
    append(oldWeekly, await db.selectFrom('signal_weekly').selectAll().where('week', 'in', ws).execute());
    append(oldPersonWeekly, await db.selectFrom('signal_person_weekly').selectAll().where('week', 'in', ws).execute());
  }
  const oldClocks: SignalWeeklyTable[] = [];
  for (const ws of chunk(clockWeeks, 900)) append(oldClocks, await db.selectFrom('signal_weekly').selectAll().where('week', 'in', ws).execute());
  const clocks = refreshClocks(await readWeeks(db, clockWeeks), oldClocks, rollupCtx, since);
  sw.lap('rollups');

  // Only what changed is written: most facts of a re-fetched PR, most people and most rows of a
  // recomputed week come out as they were.
  await db.transaction().execute(async (trx) => {
    await replaceChanged(trx, 'signal_pr_facts', ['pr_id'], oldPrs, facts.prFacts);
    await replaceChanged(trx, 'signal_review_facts', ['review_id'], oldReviews, facts.reviewFacts);
    await replaceChanged(trx, 'signal_people', ['person_id'], existing, people);
    await writePacks(trx, packs, { weeks: weekList });
    await replaceChanged(trx, 'signal_weekly', ['scope', 'scope_key', 'week'], [...oldWeekly, ...oldClocks], [...rollups.weekly, ...clocks]);
    await replaceChanged(trx, 'signal_person_weekly', ['person_id', 'week'], oldPersonWeekly, rollups.personWeekly);
    await writeState(trx, now, history, ctx.scope?.org ?? null);
  });
  sw.lap('write');
  return { timings: sw.timings, prs: facts.prFacts.length, reviews: facts.reviewFacts.length, weeks: weeks.size, historyFrom: history.from, historyTo: history.to, unknownTeamLogins: ctx.unknownTeamLogins };
}

/**
 * The hook the sync calls after each repository (SyncServices.onRepoSynced): a full recompute
 * the first time, then only what changed since the newest PR update seen by the last derive.
 */
export async function deriveAfterSync(db: Db, options: { now?: string } = {}): Promise<DeriveResult> {
  const row = await db.selectFrom('signal_state').select('value').where('key', '=', 'raw_bookmark').executeTakeFirst();
  const newest = await db.selectFrom('raw_responses').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  // Signals derived for another org than the one shown now (a second org's first repo arrived,
  // or the lead switched) are recomputed in full: an increment would keep the other org's facts.
  const incremental = row && (await scopeUnchanged(db));
  const result = incremental ? await deriveIncremental(db, { sinceRawId: Number(row.value), ...options }) : await deriveAll(db, options);
  const id = String(newest?.id ?? 0);
  await db
    .insertInto('signal_state')
    .values({ key: 'raw_bookmark', value: id })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: id }))
    .execute();
  return result;
}

/** The signals were derived for the org the derive would read now (scope.ts). */
export async function scopeUnchanged(db: Db): Promise<boolean> {
  const state = await readDeriveState(db);
  return (state?.org ?? null) === ((await derivedScope(db))?.org ?? null);
}

/** The earlier of the last derive's `now` and this one's: review clocks running then may have moved. */
async function lastDerivedBefore(db: Db, now: string): Promise<string> {
  const last = (await readDeriveState(db))?.derivedAt || null;
  return last && last < now ? last : now;
}

/** Clock starts of the PRs whose review clock runs at `at`: no first review and not closed by then. */
async function waitingClockStarts(db: Db, at: string): Promise<string[]> {
  const rows = await db
    .selectFrom('signal_pr_facts')
    .select('clock_start')
    .where((eb) => eb.or([eb('first_review_at', 'is', null), eb('first_review_at', '>', at)]))
    .where((eb) => eb.or([eb(eb.fn.coalesce('merged_at', 'closed_at'), 'is', null), eb(eb.fn.coalesce('merged_at', 'closed_at'), '>', at)]))
    .execute();
  return rows.map((r) => r.clock_start);
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
  // With several orgs in the database, the shown org's people are those active in its
  // repositories or on its teams; the people table holds everyone's.
  const people = ctx.scope ? ctx.people.filter((p) => first.has(p.id) || ctx.teamsOf.has(p.id)) : ctx.people;
  const fresh = derivePeopleFacts(people, ctx.counted, first, last, facts.prFacts, facts.reviewFacts);
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
