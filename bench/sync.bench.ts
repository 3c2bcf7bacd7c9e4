// Sync benchmark against the simulated GitHub (medium and large): API units per PR, units to
// re-check an unchanged org, wall time against the latency floor, peak memory; then the same
// sync and the derive after it on PostgreSQL, as ratios to SQLite; then the dashboard API's
// latency while `guidepost serve` syncs (bench/sync.api-latency.ts); then webhooks. Prints ratios.
import { loadavg } from 'node:os';
import type { Db } from '../server/db/connect.ts';
import { NESTED_PAGE_SIZE, PULLS_PAGE_SIZE, PULLS_QUERY, type PullsPageData } from '../jobs/github/pulls.query.ts';
import { createLogger } from '../server/logger.ts';
import { createGithubClient, type GraphqlResult } from '../jobs/github/client.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { benchEngines, postgresOrigin, type BenchEngine } from './engines.ts';
import { benchApiLatency } from './sync.api-latency.ts';
import { simCall, simStats, simSync, startSim, type SimInfo } from './sync.sim-client.ts';
import { benchWebhooks } from './sync.webhooks.ts';

// Each call waits this long in the simulator before it is answered. 200 ms is on the quick side
// for GitHub (a page of 100 PRs with nested lists often takes it a second or more); at 50 ms the
// CPU both processes spend per answer, on the same two cores, is a large share of the latency,
// so that run is a stress figure.
const LATENCIES_MS = [200, 50];
const CONCURRENCY = 4;

/**
 * One full sync of `scale` into a fresh database of `engine`, then deriveAll over what it stored.
 * `figures`: the API units, the re-check of an unchanged org, the latency floor, the simulator's
 * own share and memory (SQLite only, to keep the run short: they do not depend on the engine).
 */
async function benchScale(scale: string, latencyMs: number, engine: BenchEngine, o: { first: boolean; figures: boolean }): Promise<{ wallMs: number; deriveMs: number }> {
  const sim = await startSim(scale, latencyMs, CONCURRENCY * 2);
  const target = await engine.fresh();
  const db = await target.open();
  try {
    const { gh, sync } = simSync(db, sim.info, { concurrency: CONCURRENCY, dataDir: target.config.dataDir });

    await simCall(`${sim.info.url}/_sim/reset-stats`, { method: 'POST' });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const failed = await sync();
    const wall = performance.now() - t0;
    const slotMs = gh.stats().slotMs;
    const cpu = process.cpuUsage(cpu0);
    const syncCpuMs = (cpu.user + cpu.system) / 1000;
    const full = await simStats(sim.info.url);
    const prs = Number((await db.selectFrom('pull_requests').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const floor = (latencyMs * full.total) / CONCURRENCY;
    // The signals over the synced org, as the sync hook's first derive computes them.
    const d0 = performance.now();
    const derived = await deriveAll(db);
    const deriveMs = performance.now() - d0;
    const busy = loadavg()[0]!;
    console.log(`-- ${scale}, ${latencyMs} ms per call, ${engine.name} (load average ${busy.toFixed(1)}: a busy machine stretches the wall time, not the API units)`);
    console.log(`   ${scale}: ${sim.info.repos} repos, ${prs} PRs synced (${sim.info.pulls} served), ${full.total} requests, ${failed.length} failed jobs, ${full.overLimit} over the limit`);
    console.log(`sync wall time (${engine.name}):${' '.repeat(Math.max(1, 16 - engine.name.length))}${(wall / 1000).toFixed(1)} s; deriveAll after it ${(deriveMs / 1000).toFixed(1)} s (${derived.prs} PR facts, ${derived.reviews} review facts, ${derived.weeks} weeks)`);
    if (!o.figures) return { wallMs: wall, deriveMs };

    await simCall(`${sim.info.url}/_sim/reset-stats`, { method: 'POST' });
    await sync();
    const again = await simStats(sim.info.url);
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    const alone = await simulatorAlone(sim.info, latencyMs, db);

    if (o.first) {
      console.log(`API units per PR synced:            ${(full.pointsCharged / prs).toFixed(4)}  (target ≤ 0.1; REST-per-PR tools ≈ 3)`);
      console.log(`units to re-check unchanged org:    ${again.pointsCharged} for ${sim.info.repos} repos = ${((again.pointsCharged * 40) / sim.info.repos).toFixed(2)} per 40 repos (target ≤ 1; ${again.notModified} answers were free 304s)`);
    }
    console.log(`wall time ÷ latency floor:          ${(wall / floor).toFixed(2)}  (${(wall / 1000).toFixed(1)} s vs ${latencyMs} ms × ${full.total} calls ÷ ${CONCURRENCY} = ${(floor / 1000).toFixed(1)} s; target ≤ 1.2)`);
    console.log(`   requests in flight on average: ${(slotMs / wall).toFixed(2)} of ${CONCURRENCY} (each answer took ${(slotMs / full.total).toFixed(0)} ms on average, against ${latencyMs} ms of latency)`);
    console.log(`   CPU during the full sync: Guidepost ${(syncCpuMs / 1000).toFixed(1)} s, simulator ${(full.cpuMs / 1000).toFixed(1)} s (each on its own core at best)`);
    console.log(`   baseline, the simulated GitHub alone: ${alone.pages} pages of 100 PRs fetched ${CONCURRENCY} at a time and dropped took ${alone.ratio.toFixed(2)} × their floor (${alone.perAnswer.toFixed(0)} ms per answer): its own CPU per answer is in every figure above`);
    console.log(`peak RSS of the syncing process:    ${rssMiB.toFixed(0)} MiB  (target < 512 MiB at large)`);
    return { wallMs: wall, deriveMs };
  } finally {
    await db.destroy();
    sim.stop();
    await target.drop();
  }
}

/**
 * The same kind of call with nothing stored: pages of PRs from up to 8 repos, as many in flight
 * as the sync has. What this costs over its floor is the simulator's share, not Guidepost's.
 */
async function simulatorAlone(info: SimInfo, latencyMs: number, db: Db) {
  const gh = createGithubClient({ baseUrl: info.url, auth: { kind: 'token', token: info.token }, logger: createLogger('silent'), concurrency: CONCURRENCY });
  const repos = (await db.selectFrom('repos').select('name').orderBy('name').limit(8).execute()).map((r) => r.name);
  let pages = 0;
  const t0 = performance.now();
  await Promise.all(
    repos.map(async (name) => {
      let after: string | null = null;
      for (let i = 0; i < 4; i++) {
        const res: GraphqlResult<PullsPageData> = await gh.graphql<PullsPageData>(PULLS_QUERY, { owner: info.org, name, first: PULLS_PAGE_SIZE, after, nested: NESTED_PAGE_SIZE });
        pages++;
        const conn = res.data?.repository?.pullRequests;
        if (!conn?.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
    }),
  );
  const wall = performance.now() - t0;
  return { pages, ratio: wall / ((latencyMs * pages) / CONCURRENCY), perAnswer: gh.stats().slotMs / pages };
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

export async function run(): Promise<void> {
  const engines = await benchEngines();
  console.log(`engines: ${engines.map((e) => e.name).join(', ')}${engines.some((e) => e.name === 'PostgreSQL') ? `; PostgreSQL is ${await postgresOrigin()}` : ''}`);
  console.log('all of it takes about 30 minutes on a busy 2-core machine; shorter: --sync-scales=large (no medium), --engine-scales=none (SQLite syncs only), --api-latency=none or --api-latency-only, --api-latency-scale=medium, --engines=sqlite, --webhook-scale=small');
  // `--api-latency-only`: the dashboard API during a sync of `guidepost serve`, and nothing else.
  if (process.argv.includes('--api-latency-only')) return benchApiLatency(engines);
  // `npm run bench sync -- --sync-scales=medium` runs one scale only (`none`: none). Every
  // scale and latency runs on SQLite; the other engines sync the scales of `--engine-scales`
  // (large by default) at the first latency (200 ms) only, to keep the bench within ~20 minutes.
  const scales = (arg('sync-scales') ?? 'medium,large').split(',');
  const compared = (arg('engine-scales') ?? 'large').split(',');
  if (scales[0] !== 'none') {
    const [sqlite, ...others] = engines[0]?.name === 'SQLite' ? engines : [undefined, ...engines];
    for (const s of scales) {
      const base = sqlite ? await benchScale(s, LATENCIES_MS[0]!, sqlite, { first: true, figures: true }) : null;
      for (const e of compared.includes(s) ? others : []) {
        const r = await benchScale(s, LATENCIES_MS[0]!, e!, { first: false, figures: false });
        if (!base) continue;
        console.log(`RATIO sync wall ${e!.name} ÷ SQLite = ${(r.wallMs / base.wallMs).toFixed(2)} (${s}, ${LATENCIES_MS[0]} ms per call) [load average ${loadavg()[0]!.toFixed(1)}]`);
        console.log(`RATIO derive ${e!.name} ÷ SQLite = ${(r.deriveMs / base.deriveMs).toFixed(2)} (deriveAll after the ${s} sync) [load average ${loadavg()[0]!.toFixed(1)}]`);
      }
      if (sqlite) for (const latency of LATENCIES_MS.slice(1)) await benchScale(s, latency, sqlite, { first: false, figures: true });
    }
  }
  // `--api-latency=none` leaves the API-during-a-sync part out.
  if (arg('api-latency') !== 'none') await benchApiLatency(engines);
  // `--webhook-scale=small` for a quicker look; `--sync-scales=none` runs the webhook part alone.
  const hooks = process.argv.find((a) => a.startsWith('--webhook-scale='));
  await benchWebhooks(hooks ? hooks.slice('--webhook-scale='.length) : 'medium');
}
