// Signals benchmark (issue 5). Prints ratios measured in this run:
//   full recompute ÷ reading the domain tables once                    (target ≤ 3)
//   incremental after one new day ÷ full recompute                     (target ≤ 0.05)
//     = deriveAfterSync exactly as the sync hook runs it: the PRs the sync re-fetched, the
//       weeks they change, and the stored default 90-day window refreshed; one sync a day
//       for five days, the first one (code not yet run in the process) shown apart
//   API p95 per route over 40 requests with distinct filters            (target < 50 ms)
//     no two requests share from/to/team/repo, so the report cache cannot answer them
//   and checks that the incrementals leave the same signal tables as a full recompute
// On each engine of the run (bench/engines.ts), then the full recompute PostgreSQL ÷ SQLite.
// Data: a generated org (default --scale=large) written into the domain tables by the
// BENCH-ONLY loader (bench/signals.loader.ts), not by the sync: benchmarks are not tests.
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { generateOrg } from '../simulator/generate/index.ts';
import type { Scale, SimOrg, SimPull } from '../simulator/model.ts';
import type { Db } from '../server/db/connect.ts';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { deriveAfterSync, deriveAll } from '../jobs/derive/signals.derive.ts';
import { prepareReports } from '../jobs/derive/reports.prepare.ts';
import { packRows } from '../server/signals/packs.ts';
import { readPacks } from '../server/signals/packs.read.ts';
import { buildReport } from '../server/signals/report.ts';
import { readDeriveState } from '../server/signals/history.ts';
import { loadSimOrgForBench } from './signals.loader.ts';
import { benchEngines, postgresOrigin, type BenchDatabase, type BenchEngine } from './engines.ts';

const DAY = 86_400_000;
const argScale = process.argv.find((a) => a.startsWith('--scale='))?.slice('--scale='.length) as Scale | undefined;

/** The org as it looked at `cut`: later PRs, reviews, comments and requests left out. */
function before(pulls: readonly SimPull[], cut: string): SimPull[] {
  return pulls
    .filter((p) => p.createdAt < cut)
    .map((p) => {
      const reviews = p.reviews.filter((r) => r.submittedAt < cut);
      const reviewComments = p.reviewComments.filter((c) => c.createdAt < cut);
      const issueComments = p.issueComments.filter((c) => c.createdAt < cut);
      const reviewRequests = p.reviewRequests.filter((r) => r.requestedAt < cut);
      const mergedAt = p.mergedAt && p.mergedAt < cut ? p.mergedAt : null;
      const closedAt = p.closedAt && p.closedAt < cut ? p.closedAt : null;
      // Updated then: the latest of what had happened to it by the cut.
      const times = [p.createdAt, mergedAt, closedAt, ...reviews.map((r) => r.submittedAt), ...reviewComments.map((c) => c.createdAt), ...issueComments.map((c) => c.createdAt), ...reviewRequests.map((r) => r.requestedAt)];
      const updatedAt = p.updatedAt < cut ? p.updatedAt : times.reduce<string>((a, b) => (b !== null && b > a ? b : a), p.createdAt);
      return { ...p, updatedAt, mergedAt, closedAt, reviewRequests, reviews, reviewComments, issueComments };
    });
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * A full garbage collection, so a measurement does not pay for the generated org's garbage.
 * Once only: a forced collection also drops compiled code, which a running server keeps.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A digest of each signal table's rows in key order (week packs as the rows they hold). */
async function signalTables(db: Db): Promise<Record<string, string>> {
  const order: Record<string, string> = {
    signal_pr_facts: 'pr_id',
    signal_review_facts: 'review_id',
    signal_people: 'person_id',
    signal_weekly: 'scope, scope_key, week',
    signal_person_weekly: 'person_id, week',
  };
  const out: Record<string, string> = {};
  for (const [table, by] of Object.entries(order)) {
    const rows = (await sql`select * from ${sql.table(table)} order by ${sql.raw(by)}`.execute(db)).rows;
    out[table] = createHash('sha1').update(JSON.stringify(rows)).digest('hex');
  }
  const packs = (await readPacks(db, '1970-01-01T00:00:00Z', '2999-01-01T00:00:00Z')).map((p) => {
    const r = packRows(p);
    return [p.week, r.prs.map((x, i) => [x, r.homes[i]] as const).sort((a, b) => a[0].pr_id - b[0].pr_id), r.reviews.sort((a, b) => a.review_id - b.review_id)];
  });
  out.signal_week_packs = createHash('sha1').update(JSON.stringify(packs)).digest('hex');
  return out;
}

const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const DAYS = 5;

export async function run(): Promise<void> {
  const scale: Scale = argScale ?? 'large';
  const engines = await benchEngines();
  console.log(`engines: ${engines.map((e) => e.name).join(', ')}${engines.some((e) => e.name === 'PostgreSQL') ? `; PostgreSQL is ${await postgresOrigin()}` : ''}`);
  const fullMs = new Map<string, number>();
  for (const engine of engines) fullMs.set(engine.name, await benchEngine(engine, scale));
  const sqlite = fullMs.get('SQLite');
  for (const [name, ms] of fullMs) {
    if (name !== 'SQLite' && sqlite) console.log(`RATIO derive (full recompute) ${name} ÷ SQLite = ${(ms / sqlite).toFixed(2)} (${(ms / 1000).toFixed(1)} s against ${(sqlite / 1000).toFixed(1)} s, ${scale}) [${load()}]`);
  }
}

/** Every figure of this bench on one engine; returns the full recompute's time. */
async function benchEngine(engine: BenchEngine, scale: Scale): Promise<number> {
  console.log(`-- ${engine.name}`);
  const target = await engine.fresh();
  const db = await target.open();
  try {
    const { now, days } = await loadOrg(db, scale);
    // A sync a day for the last days of the org's history, each followed by the derive the
    // sync hook runs. The first runs code this process has not run before; the later ones
    // are a running server's next syncs.
    collectGarbage(); // the generated org: the bench's data, not the derive's work
    const incs = [];
    for (const d of days) {
      await loadSimOrgForBench(db, d.org, d.pulls);
      incs.push({ ...(await time(() => deriveAfterSync(db, { now: d.now }))), refetched: d.pulls.length, day: d.now.slice(0, 10) });
    }
    const afterIncrementals = await signalTables(db);
    // The dashboard API of this running server (the state a day's sync leaves).
    const api = await apiLatency(db, target, now);
    // Floor: reading every domain table the derive stage reads, once.
    const readOnce = await time(async () => {
      let n = 0;
      for (const table of ['people', 'repos', 'teams', 'team_members', 'pull_requests', 'reviews', 'review_comments', 'review_requests', 'issue_comments'] as const) {
        n += (await sql`select * from ${sql.table(table)}`.execute(db)).rows.length;
      }
      return n;
    });
    const full = await time(() => deriveAll(db, { now }));
    // What the derive job does next: the period picker's reports, made ahead (reports.prepare.ts).
    const prepared = await time(() => prepareReports(db));
    const afterFull = await signalTables(db);
    const differ = Object.keys(afterFull).filter((k) => afterFull[k] !== afterIncrementals[k]);
    const on = `${engine.name}; ${load()}`;
    console.log(`read domain tables once: ${readOnce.ms.toFixed(0)} ms (${readOnce.value} rows)`);
    console.log(`full recompute (${engine.name}): ${full.ms.toFixed(0)} ms (${full.value.prs} PR facts, ${full.value.reviews} review facts, ${full.value.weeks} weeks)`);
    console.log(`  stages: ${JSON.stringify(full.value.timings)}`);
    console.log(`then the period picker's reports made ahead (${engine.name}): ${prepared.value.reports} reports in ${prepared.ms.toFixed(0)} ms = ${(prepared.ms / full.ms).toFixed(2)} of the full recompute`);
    for (const [i, inc] of incs.entries()) {
      console.log(`incremental after the sync of ${inc.day}${i === 0 ? ' (first derive on this database)' : ''}: deriveAfterSync ${inc.ms.toFixed(0)} ms = ${(inc.ms / full.ms).toFixed(3)} of full (${inc.refetched} PRs re-fetched, ${inc.value.prs} PR facts, ${inc.value.weeks} weeks, window refresh included)`);
      console.log(`  stages: ${JSON.stringify(inc.value.timings)}`);
    }
    console.log(`signal tables after the incrementals = after a full recompute at the same instant: ${differ.length ? `NO, ${differ.join(', ')} differ` : 'yes, every table'}`);
    const later = incs.slice(1).map((i) => i.ms).sort((a, b) => a - b);
    const median = later[Math.floor((later.length - 1) / 2)]!;
    console.log(`RATIO full ÷ read-once = ${(full.ms / readOnce.ms).toFixed(2)} (target ≤ 3) [${on}]`);
    console.log(`RATIO incremental after one new day (deriveAfterSync with window refresh; median of the ${later.length} syncs after the first) ÷ full = ${(median / full.ms).toFixed(3)} (target ≤ 0.05) [${on}]`);
    console.log(`  the first derive after the process started: ${(incs[0]!.ms / full.ms).toFixed(3)}; worst of the later ones: ${(later.at(-1)! / full.ms).toFixed(3)}`);

    for (const line of api) console.log(line);
    return full.ms;
  } finally {
    await db.destroy();
    await target.drop();
  }
}

/**
 * Loads the org as it was DAYS days before its end and derives it (the first derive after a
 * sync is a full one and sets the raw bookmark). Returns each following day as the next sync
 * brings it: every PR updated since the day before, replaced whole, as the org was at the end
 * of that day. The generated org itself is dropped on return, so the measurements run in a
 * process of a server's size.
 */
async function loadOrg(db: Db, scale: Scale): Promise<{ now: string; days: { now: string; org: SimOrg; pulls: SimPull[] }[] }> {
  const g = await time(async () => generateOrg({ seed: 1, scale }));
  const org = g.value;
  const now = org.truth.now;
  const at = (daysBack: number) => new Date(Date.parse(now) - daysBack * DAY).toISOString().replace('.000Z', 'Z');
  const reviews = org.pulls.reduce((s, p) => s + p.reviews.length, 0);
  console.log(`scale ${scale}: ${org.pulls.length} PRs, ${reviews} reviews, ${org.people.length} people (generated in ${(g.ms / 1000).toFixed(1)} s)`);
  const l = await time(() => loadSimOrgForBench(db, org, before(org.pulls, at(DAYS))));
  console.log(`  loaded in ${(l.ms / 1000).toFixed(1)} s`);
  await deriveAfterSync(db, { now: at(DAYS) });
  // What the loader needs besides the PRs (people, teams, repos without their git history).
  const meta: SimOrg = { ...org, repos: org.repos.map((r) => ({ ...r, commits: [] })), pulls: [] };
  const days = [];
  for (let d = DAYS - 1; d >= 0; d--) {
    const end = at(d);
    const start = at(d + 1);
    days.push({ now: end, org: meta, pulls: (d === 0 ? org.pulls : before(org.pulls, end)).filter((p) => p.updatedAt >= start) });
  }
  return { now, days };
}

/**
 * p95 per route over requests a cache cannot answer: every request of the run (across routes)
 * has its own from/to/team/repo, as a user changing filters would send. The cached p95 repeats
 * one request, which the report cache (server/signals/report.ts) may answer.
 */
async function apiLatency(db: Db, target: BenchDatabase, now: string): Promise<string[]> {
  const out: string[] = [];
  // The whole Hono app over the database, asked with app.request() (no port, no sync running).
  const app = createApp({ db, config: target.config, logger: createLogger('silent') }, { webRoot: join(target.config.dataDir, 'no-web') });
  const people = [...new Set((await buildReport(db, { to: now })).mentoring.edges.map((e) => e.mentor))].sort();
  const teams = (await db.selectFrom('signal_teams').select('slug').orderBy('slug').execute()).map((r) => r.slug);
  const repos = (await db.selectFrom('repos').select('full_name').orderBy('full_name').execute()).map((r) => r.full_name);
  const end = Date.parse(now);
  const used = new Set<string>();
  let k = 0;
  /** The next filter no earlier request used: window length, end day, team and repo vary. */
  const nextFilter = (opts: { team: boolean; repo: boolean }) => {
    for (;;) {
      const i = k++;
      const weeks = [4, 12, 26, 52][i % 4]!;
      const to = day(end - (Math.floor(i / 4) % 45) * DAY);
      const from = day(Date.parse(to) + DAY - weeks * 7 * DAY);
      // Windows repeat every 180 requests; each round then pairs them with other teams and repos
      // (a small org has too few of them to make 180 filters unique on their own).
      const round = Math.floor(i / 180);
      const team = opts.team && i % 3 === 1 ? teams[(i + round) % teams.length] : undefined;
      const repo = opts.repo && i % 3 === 2 ? repos[(i + round) % repos.length] : undefined;
      const key = JSON.stringify([from, to, team, repo]);
      if (used.has(key)) continue;
      used.add(key);
      return `from=${from}&to=${to}${team ? `&team=${team}` : ''}${repo ? `&repo=${repo}` : ''}`;
    }
  };
  const routes: { name: string; url: (i: number) => string }[] = [
    { name: '/api/overview', url: () => `/api/overview?${nextFilter({ team: true, repo: true })}` },
    { name: '/api/brief', url: () => `/api/brief?${nextFilter({ team: true, repo: true })}` },
    { name: '/api/trends', url: (i) => `/api/trends?${nextFilter({ team: i % 2 === 0, repo: i % 2 === 1 })}` },
    { name: '/api/reviews', url: () => `/api/reviews?${nextFilter({ team: true, repo: true })}` },
    { name: '/api/review-matrix', url: () => `/api/review-matrix?${nextFilter({ team: false, repo: true })}` },
    { name: '/api/mentoring', url: () => `/api/mentoring?${nextFilter({ team: true, repo: true })}` },
    { name: '/api/people', url: () => `/api/people?${nextFilter({ team: true, repo: true })}` },
    { name: '/api/people/:login', url: (i) => `/api/people/${people[i % people.length] ?? 'nobody'}?${nextFilter({ team: false, repo: true })}` },
    { name: '/api/teams', url: () => `/api/teams?${nextFilter({ team: false, repo: false })}` },
    { name: '/api/teams/:slug', url: (i) => `/api/teams/${teams[i % teams.length] ?? 'none'}?${nextFilter({ team: false, repo: true })}` },
    { name: '/api/repos', url: () => `/api/repos?${nextFilter({ team: false, repo: true })}` },
    { name: '/api/repos/:owner/:name', url: (i) => `/api/repos/${repos[i % repos.length] ?? 'none/none'}?${nextFilter({ team: true, repo: false })}` },
  ];
  const get = async (url: string) => {
    const r = await time(async () => {
      const res = await app.request(url);
      await res.arrayBuffer();
      return res.status;
    });
    if (r.value !== 200) throw new Error(`${url} answered ${r.value}: ${await (await app.request(url)).text()}`);
    return r.ms;
  };
  out.push(`API latency (${target.engine}), measured after the last day's sync: uncached p95 = 40 requests per route, each with filters no other request of this run used (windows of 4/12/26/52 weeks, teams, repos), so the report cache cannot answer (decoded week packs stay in memory between requests, as SQLite's page cache does; no result does); cached p95 = one of them repeated 40 times [${load()}]`);
  let worst = 0;
  for (const r of routes) {
    const urls = Array.from({ length: 40 }, (_, i) => r.url(i));
    const uncached: number[] = [];
    for (const u of urls) uncached.push(await get(u));
    const cached: number[] = [];
    for (let i = 0; i < 40; i++) cached.push(await get(urls[0]!));
    const p = p95(uncached);
    worst = Math.max(worst, p);
    out.push(`API ${target.engine} ${r.name.padEnd(26)} uncached p95 ${p.toFixed(1).padStart(6)} ms (max ${Math.max(...uncached).toFixed(1)}) | cached p95 ${p95(cached).toFixed(1).padStart(5)} ms  ${p < 50 ? 'ok' : 'OVER 50 ms'}`);
  }
  out.push(`RATIO worst route uncached p95 ÷ 50 ms = ${(worst / 50).toFixed(2)} (target < 1; ${target.engine}) [${load()}]`);

  // The slowest window a client can ask for: everything (from year 1 to year 9999), which the
  // read model clamps to the synced history. Each request starts a minute later than the one
  // before, so no two share a cached report; the baseline is one-year windows, each ending a day apart.
  const history = (await readDeriveState(db))!;
  const start = Date.parse(history.historyFrom!);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const huge: number[] = [];
  const year: number[] = [];
  for (let i = 0; i < 20; i++) {
    huge.push(await get(`/api/overview?from=${i === 0 ? '0001-01-01' : iso(start + i * 60_000)}&to=9999-12-30`));
    const to = end - (i + 1) * DAY;
    year.push(await get(`/api/overview?from=${day(to - 365 * DAY)}&to=${day(to)}`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  out.push(`worst window (year 1 to 9999, clamped to the history ${history.historyFrom!.slice(0, 10)}…${history.historyTo!.slice(0, 10)}): median ${median(huge).toFixed(1)} ms, p95 ${p95(huge).toFixed(1)} ms; one-year window: median ${median(year).toFixed(1)} ms, p95 ${p95(year).toFixed(1)} ms`);
  out.push(`RATIO slowest window a client can ask for ÷ a one-year window (median /api/overview, uncached) = ${(median(huge) / median(year)).toFixed(2)} (history of ${Math.round((Date.parse(history.historyTo!) - start) / DAY / 36.5) / 10} years; ${target.engine}) [${load()}]`);
  return out;
}
