// The dashboard API while a sync runs (issue 16), on each engine: the simulated org's year is
// synced into a fresh database first, in this process and many calls at a time (only to be
// quick: at 200 ms a call, serve's own first sync of a large org takes minutes), and derived.
// Then `guidepost serve` is spawned on it as a user runs it and the org is connected through
// POST /api/connections (a sync that finds nothing new). Then, twice, the org gets a burst of new
// activity and "Sync now" is pressed; while that sync runs inside serve, reads go to the
// dashboard's routes, CONCURRENCY at a time, and after it the same reads idle:
//   - custom filters: each read's filter is one no other read of the run used (window length,
//     end day, team, repo), so no cached report answers it: the worst case, every read a fresh
//     analysis;
//   - pages opened: what the dashboard sends when leaders open its pages, with the period
//     picker's windows (4, 12, 26 or 52 weeks ending where the synced data ends, as Sync status
//     says at that moment, and the overview's previous window) for the org or one team.
// The reads during and after a sync meet the same data (that sync's, and then some), so their
// ratio is the sync's cost to a reader. The bench never looks inside serve: however it runs
// its jobs, it is spawned, asked over HTTP, and read from its answers.
import { loadavg, setPriority } from 'node:os';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import type { BenchDatabase, BenchEngine } from './engines.ts';
import { startServe, stopProc, type Proc } from '../tests/worker.fixture.ts';
import { simEvolve, simSync, startSim, type SimInfo } from './sync.sim-client.ts';

const LATENCY_MS = 200;
/** Calls in flight while the database is filled before serve starts (the simulator allows twice that). */
const PREFILL_CONCURRENCY = 16;
/** Requests in flight at once: a few dashboards open, each loading its page's calls together. */
const CONCURRENCY = 8;
const REQUESTS = 2000;
const DAY = 86_400_000;
const SYNC_TIMEOUT_MS = 20 * 60_000;
/**
 * A busy week of the org's activity before "Sync now": new PRs and reviews on older ones, so the
 * sync re-fetches thousands of PRs and derives their signals again (a large org's catch-up).
 */
const BURST_PRS = 4000;

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface SyncStatus {
  running: boolean;
  queued: number;
  repos: { repo: string; status: string }[];
  errors: string[];
  dataEnd: string | null;
}

interface Serving {
  url: string;
  proc: Proc;
  stop(): Promise<void>;
}

/** `guidepost serve --port 0` on the database, as tests/worker.fixture.ts starts it; never left behind when the bench ends early. */
async function serveOn(target: BenchDatabase, backfillDays: number): Promise<Serving> {
  const env = { GUIDEPOST_LOG_LEVEL: 'warn', GUIDEPOST_BACKFILL_DAYS: String(backfillDays), GUIDEPOST_DATABASE_URL: '', GUIDEPOST_DB: '' };
  const { proc, url } = await startServe(target.config, ['--host', '127.0.0.1'], env);
  const orphaned = () => proc.child.kill('SIGKILL');
  process.once('exit', orphaned);
  return {
    url,
    proc,
    async stop() {
      process.off('exit', orphaned);
      await stopProc(proc);
    },
  };
}

/** A POST as the dashboard sends it: the CSRF token from /api/auth/me, echoed in a header. */
async function post(s: Serving, path: string, body?: unknown): Promise<Response> {
  const csrf = ((await (await fetch(`${s.url}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
  return fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { cookie: `gp_csrf=${csrf}`, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: s.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function syncStatus(s: Serving): Promise<SyncStatus> {
  if (!s.proc.alive()) throw new Error(`guidepost serve exited during the bench: ${s.proc.output().slice(-1500)}`);
  return (await (await fetch(`${s.url}/api/sync`)).json()) as SyncStatus;
}

/** Until no job is left (the sync, its derives and the clones' retries are rows, gone once done). */
async function quiet(s: Serving): Promise<SyncStatus> {
  for (const until = Date.now() + SYNC_TIMEOUT_MS; ; await new Promise((r) => setTimeout(r, 250))) {
    const st = await syncStatus(s);
    if (!st.running && st.queued === 0 && st.repos.length > 0) return st;
    if (Date.now() > until) throw new Error(`the sync did not finish in ${SYNC_TIMEOUT_MS / 60_000} min: ${JSON.stringify(st).slice(0, 600)}`);
  }
}

const ROUTES = ['/api/overview', '/api/reviews', '/api/mentoring', '/api/people', '/api/teams', '/api/repos', '/api/trends'];

/**
 * Dashboard reads, each with a filter no earlier one used (window of 4 to 52 weeks ending on one
 * of the last 120 days, and a team or a repo for two in three), across the routes a page loads.
 */
function customReads(end: string, teams: string[], repos: string[]): () => string {
  const used = new Set<string>();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  let k = 0;
  return () => {
    for (;;) {
      const i = k++;
      const route = ROUTES[i % ROUTES.length]!;
      const weeks = [4, 12, 26, 52][Math.floor(i / ROUTES.length) % 4]!;
      const to = day(Date.parse(end) - (Math.floor(i / (ROUTES.length * 4)) % 120) * DAY);
      const from = day(Date.parse(to) + DAY - weeks * 7 * DAY);
      const pick = Math.floor(i / (ROUTES.length * 4 * 120));
      const team = route !== '/api/teams' && i % 3 === 1 && teams.length ? teams[(i + pick) % teams.length] : undefined;
      const repo = route !== '/api/repos' && i % 3 === 2 && repos.length ? repos[(i + pick) % repos.length] : undefined;
      const url = `${route}?from=${from}&to=${to}${team ? `&team=${encodeURIComponent(team)}` : ''}${repo ? `&repo=${encodeURIComponent(repo)}` : ''}`;
      if (used.has(url)) continue;
      used.add(url);
      return url;
    }
  };
}

/**
 * Pages as leaders open them: a page (its route; the overview also asks for the previous window,
 * for its "vs previous" changes), a period of the picker and the org or one team, in turn, each
 * window ending on the day the synced data ends, as the dashboard works it out (web/src/lib/periods.ts).
 */
function pageReads(end: () => string, teams: string[]): () => string {
  const scopes = [undefined, ...teams];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  let k = 0;
  let previousOf: string | null = null;
  return () => {
    if (previousOf) {
      const url = previousOf;
      previousOf = null;
      return url;
    }
    const i = k++;
    const route = ROUTES[i % ROUTES.length]!;
    const weeks = [12, 4, 26, 52][Math.floor(i / ROUTES.length) % 4]!;
    const team = route === '/api/teams' ? undefined : scopes[Math.floor(i / (ROUTES.length * 4)) % scopes.length];
    const to = day(Date.parse(end()));
    const from = day(Date.parse(to) + DAY - weeks * 7 * DAY);
    const scope = team ? `&team=${encodeURIComponent(team)}` : '';
    if (route === '/api/overview') previousOf = `${route}?from=${day(Date.parse(from) - weeks * 7 * DAY)}&to=${day(Date.parse(from) - DAY)}${scope}`;
    return `${route}?from=${from}&to=${to}${scope}`;
  };
}

interface Phase {
  mix: string;
  during: { samples: Sample[]; syncS: number };
  after: SyncStatus;
  idle: Sample[];
}

interface Sample {
  route: string;
  ms: number;
}

/** Up to `n` reads, CONCURRENCY in flight, until `done()` says stop; a non-200 answer fails the bench. */
async function readLoad(s: Serving, next: () => string, n: number, done: () => boolean = () => false): Promise<Sample[]> {
  const samples: Sample[] = [];
  let started = 0;
  const worker = async () => {
    while (started < n && !done()) {
      started++;
      const url = next();
      const t0 = performance.now();
      const res = await fetch(`${s.url}${url}`);
      const body = await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
      // A read that ended after the sync did is not a read during it.
      if (!done()) samples.push({ route: url.slice(0, url.indexOf('?')), ms });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return samples;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

async function benchEngine(engine: BenchEngine, scale: string, burst: Burst): Promise<void> {
  const sim = await startSim(scale, LATENCY_MS, PREFILL_CONCURRENCY * 2);
  const target = await engine.fresh();
  const prefill = await fill(target, sim.info);
  // The sync goes back a year before the simulated org's "now", as the filling one did.
  const backfillDays = Math.ceil((Date.now() - Date.parse(sim.info.now)) / DAY) + 365;
  // From here on the simulator stands in for github.com, whose work is on GitHub's machines, not
  // the one serving the dashboard: at the lowest CPU priority it takes only what Guidepost's own
  // processes leave of the two cores, so what is measured is Guidepost's sync against its reads.
  setPriority(sim.pid, 19);
  const serving = await serveOn(target, backfillDays);
  try {
    const res = await post(serving, '/api/connections', { org: sim.info.org, apiUrl: sim.info.url, token: sim.info.token });
    if (res.status !== 201) throw new Error(`connecting the simulated org failed: ${res.status} ${await res.text()}`);
    const first = await quiet(serving);
    const { teams, repos } = await dashboardLists(serving);
    const status = { dataEnd: first.dataEnd ?? '' };
    const custom = customReads(status.dataEnd, teams, repos);
    const pages = pageReads(() => status.dataEnd, teams);
    const phases: Phase[] = [];
    for (const [mix, next] of [['custom filters', custom], ['pages opened', pages]] as const) {
      await simEvolve(sim.info.url, burst);
      const during = await readsDuringSync(serving, next, (st) => void (status.dataEnd = st.dataEnd ?? status.dataEnd));
      const after = await quiet(serving);
      status.dataEnd = after.dataEnd ?? status.dataEnd;
      phases.push({ mix, during, after, idle: await readLoad(serving, next, REQUESTS) });
    }
    report(engine.name, scale, sim.info, burst, prefill, phases);
  } finally {
    await serving.stop();
    sim.stop();
    await target.drop();
  }
}

/** The org's year synced and derived into the database, before serve opens it; times in s. */
async function fill(target: BenchDatabase, info: SimInfo): Promise<{ syncS: number; deriveS: number }> {
  const db = await target.open();
  try {
    const t0 = performance.now();
    const failed = await simSync(db, info, { concurrency: PREFILL_CONCURRENCY, dataDir: target.config.dataDir }).sync();
    if (failed.length) throw new Error(`filling the database failed: ${JSON.stringify(failed).slice(0, 600)}`);
    const t1 = performance.now();
    await deriveAll(db);
    return { syncS: (t1 - t0) / 1000, deriveS: (performance.now() - t1) / 1000 };
  } finally {
    await db.destroy();
  }
}

/** The teams (those shown) and repos the dashboard lists. */
async function dashboardLists(s: Serving): Promise<{ teams: string[]; repos: string[] }> {
  const teams = ((await (await fetch(`${s.url}/api/teams`)).json()) as { teams: { slug: string; suppressed: unknown }[] }).teams.filter((t) => !t.suppressed).map((t) => t.slug);
  const repos = ((await (await fetch(`${s.url}/api/repos`)).json()) as { repos: { name: string }[] }).repos.map((r) => r.name);
  return { teams, repos };
}

/**
 * "Sync now", then reads until the sync's work is over: the first status after it started that
 * shows no job running and no repository syncing (a clone waiting for its retry is not work).
 */
async function readsDuringSync(s: Serving, next: () => string, onStatus: (st: SyncStatus) => void): Promise<{ samples: Sample[]; syncS: number; polls: number }> {
  const t0 = performance.now();
  const res = await post(s, '/api/sync');
  if (res.status !== 202) throw new Error(`Sync now failed: ${res.status} ${await res.text()}`);
  let over = false;
  let seen = false;
  let polls = 0;
  let syncS = NaN;
  const watch = (async () => {
    for (const until = Date.now() + SYNC_TIMEOUT_MS; !over; await new Promise((r) => setTimeout(r, 250))) {
      const st = await syncStatus(s);
      onStatus(st);
      polls++;
      const busy = st.running || st.repos.some((r) => r.status === 'running');
      seen ||= busy;
      // A sync over before the first look (never seen busy) ends once the queue is empty too.
      if ((seen && !busy) || (!busy && st.queued === 0 && polls > 8) || Date.now() > until) {
        syncS = (performance.now() - t0) / 1000;
        over = true;
      }
    }
  })();
  const samples = await readLoad(s, next, REQUESTS, () => over);
  // 2,000 reads may end before the sync does; its time is still wanted.
  await watch;
  return { samples, syncS, polls };
}

function report(engine: string, scale: string, sim: SimInfo, burst: Burst, prefill: { syncS: number; deriveS: number }, phases: Phase[]): void {
  console.log(`-- API latency while guidepost serve syncs: ${scale} (${sim.repos} repos, ${sim.pulls} PRs), ${LATENCY_MS} ms per call, ${engine} [${load()}]`);
  console.log(`   filled before serve started: the org's year synced in this process, ${PREFILL_CONCURRENCY} calls in flight, in ${prefill.syncS.toFixed(1)} s, derived in ${prefill.deriveS.toFixed(1)} s; serve connected on it`);
  console.log(`   then, for each mix of reads, a burst of ${burst.newPulls} new PRs, ${burst.newReviewsOnOldPulls} reviews on older ones and ${burst.lateMerges} late merges, and Sync now (the simulator serves no git, so each clone fails, is retried twice and marked unavailable)`);
  console.log(`   reads: ${CONCURRENCY} in flight over /api/overview, reviews, mentoring, people, teams, repos, trends; each latency includes the wait behind the other reads in flight; serve's child worker runs 10 nice steps below serve, the simulator (GitHub's stand-in) at nice 19`);
  for (const ph of phases) {
    const during = ph.during.samples.map((x) => x.ms);
    const idle = ph.idle.map((x) => x.ms);
    const ratio = pct(during, 95) / pct(idle, 95);
    console.log(`   ${ph.mix}: the sync's work in serve took ${ph.during.syncS.toFixed(1)} s (${ph.after.errors.length} errors listed after it)`);
    if (during.length < REQUESTS / 4) console.log(`   NOTE only ${during.length} reads ended while the sync ran: a short sync makes the p99 during it a rough figure`);
    console.log(`API p95 idle, ${ph.mix} = ${pct(idle, 95).toFixed(1)} ms (p99 ${pct(idle, 99).toFixed(1)} ms, ${idle.length} reads after the sync)`);
    console.log(`API p95 during sync, ${ph.mix} = ${pct(during, 95).toFixed(1)} ms (p99 ${pct(during, 99).toFixed(1)} ms, ${during.length} reads while it ran)`);
    const routes = [...new Set(ph.idle.map((x) => x.route))];
    const worst = routes.map((route) => ({ route, p: pct(ph.during.samples.filter((x) => x.route === route).map((x) => x.ms), 95) })).sort((a, b) => b.p - a.p)[0];
    if (worst) console.log(`   slowest route during the sync: ${worst.route} p95 ${worst.p.toFixed(1)} ms`);
    console.log(`RATIO API p95 during sync ÷ idle, ${ph.mix} = ${ratio.toFixed(2)} (target ≤ 1.5; ${engine}) [${load()}]`);
    console.log(`API p95 during sync (${scale}), ${ph.mix} = ${pct(during, 95).toFixed(0)} ms (target < 50; ${engine}) ${pct(during, 95) < 50 ? 'ok' : 'OVER'}`);
  }
}

interface Burst {
  newPulls: number;
  newReviewsOnOldPulls: number;
  lateMerges: number;
  days: number;
}

/**
 * On every engine of the run; `--api-latency-scale=medium` for a quicker look (large by default,
 * as the issue asks), `--api-latency-burst=N` for N new PRs and N reviews on older ones.
 */
export async function benchApiLatency(engines: BenchEngine[]): Promise<void> {
  const scale = arg('api-latency-scale') ?? 'large';
  const n = Number(arg('api-latency-burst') ?? BURST_PRS);
  const burst = { newPulls: n, newReviewsOnOldPulls: n, lateMerges: Math.round(n / 20), days: 7 };
  for (const e of engines) await benchEngine(e, scale, burst);
}
