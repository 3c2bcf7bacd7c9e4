// Webhooks in the sync benchmark: how soon a PR the simulated GitHub opens is on the overview of
// a real Guidepost server fed by its webhooks, and the API units a webhook-fed day costs against
// a polled one (24 hourly syncs) for the same day of activity.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncRuntime } from '../jobs/background-jobs.ts';
import { parseConfig } from '../server/config.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { simCall, simEvolve, simStats, startSim, type SimInfo } from './sync.sim-client.ts';

const HOURS = 24;
/** An hour of the org's activity: a new PR or two, reviews on older ones, a late merge. */
const HOUR_OF_WORK = { newPulls: 2, newReviewsOnOldPulls: 2, lateMerges: 1, days: 1 / 24 };
const SETTLE_MS = 600_000;
const VISIBLE_MS = 30_000;

async function startGuidepost(webhookSecret?: string): Promise<{ server: RunningServer; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'guidepost-bench-webhooks-'));
  const config = parseConfig({
    GUIDEPOST_DATA_DIR: dir,
    GUIDEPOST_DB: join(dir, 'guidepost.db'),
    GUIDEPOST_PORT: '0',
    GUIDEPOST_LOG_LEVEL: 'silent',
    GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
    GUIDEPOST_WEBHOOK_SECRET: webhookSecret,
  });
  const server = await startServer(config, { webRoot: join(dir, 'no-web') });
  // The simulator serves no git here (bench/sync.sim.ts): the API's sync is measured, not the clones.
  (server.deps.sync as SyncRuntime).services.knowledge = false;
  return {
    server,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const post = (server: RunningServer, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { ...csrfHeaders(), origin: server.url, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Until the job queue is empty: the sync and its recomputes are done (jobs are rows, gone once done). */
async function settled(server: RunningServer): Promise<void> {
  for (const until = Date.now() + SETTLE_MS; ; await new Promise((r) => setTimeout(r, 100))) {
    const left = await server.deps.db.selectFrom('jobs').select('id').limit(1).execute();
    if (left.length === 0) return;
    if (Date.now() > until) throw new Error(`the jobs did not finish in ${SETTLE_MS / 1000} s`);
  }
}

async function connectAndSync(server: RunningServer, sim: SimInfo): Promise<void> {
  const res = await post(server, '/api/connections', { org: sim.org, apiUrl: sim.url, token: sim.token });
  if (res.status !== 201) throw new Error(`connecting failed: ${res.status} ${await res.text()}`);
  await settled(server);
}

async function syncAgain(server: RunningServer): Promise<void> {
  const res = await post(server, '/api/sync');
  if (res.status !== 202) throw new Error(`Sync now failed: ${res.status} ${await res.text()}`);
  await settled(server);
}

/** PRs opened in the window the day of activity falls in, as the overview counts them. */
async function overviewPrs(server: RunningServer, window: string): Promise<number> {
  const res = await fetch(`${server.url}/api/overview?${window}`);
  return ((await res.json()) as { reviews: { prs: number } }).reviews.prs;
}

async function domainCounts(server: RunningServer): Promise<string> {
  const { db } = server.deps;
  const n = async (t: 'pull_requests' | 'reviews' | 'review_requests' | 'issue_comments' | 'review_comments') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return `${await n('pull_requests')} PRs, ${await n('reviews')} reviews, ${await n('review_requests')} review requests, ${await n('issue_comments')} comments, ${await n('review_comments')} review comments`;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** The simulated org starts on its own `now`; the window covers it and the day after. */
function windowOf(sim: SimInfo): string {
  const start = Date.parse(sim.now);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return `from=${iso(start - 14 * 86_400_000).slice(0, 10)}&to=${iso(start + 2 * 86_400_000)}`;
}

/** The webhook-fed day: every hour's activity reaches the server as deliveries; one sync reconciles at the end. */
async function webhookFedDay(scale: string) {
  const secret = randomBytes(24).toString('hex');
  const sim = await startSim(scale, 0, 8);
  const g = await startGuidepost(secret);
  try {
    await connectAndSync(g.server, sim.info);
    const hook = await simCall(`${sim.info.url}/_sim/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `${g.server.url}/api/webhooks/github`, secret }) });
    if (hook.status !== 201) throw new Error(`adding the hook failed: ${hook.status} ${await hook.text()}`);
    await simCall(`${sim.info.url}/_sim/reset-stats`, { method: 'POST' });
    const window = windowOf(sim.info);
    const latencies: number[] = [];
    for (let h = 0; h < HOURS; h++) {
      const before = await overviewPrs(g.server, window);
      await simEvolve(sim.info.url, HOUR_OF_WORK);
      // The evolve's answer comes once its deliveries are queued: from there to the overview.
      const t0 = performance.now();
      for (;;) {
        if ((await overviewPrs(g.server, window)) >= before + HOUR_OF_WORK.newPulls) break;
        if (performance.now() - t0 > VISIBLE_MS) throw new Error(`hour ${h}: the new PRs were not on the overview within ${VISIBLE_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - t0);
      await settled(g.server);
    }
    const duringDay = (await simStats(sim.info.url)).pointsCharged;
    await syncAgain(g.server);
    const units = (await simStats(sim.info.url)).pointsCharged;
    const hooks = (await (await simCall(`${sim.info.url}/_sim/webhooks`)).json()) as { deliveries: { status: number | null; dropped: boolean }[] };
    const delivered = hooks.deliveries.filter((d) => !d.dropped && d.status === 200).length;
    return { info: sim.info, latencies: latencies.sort((a, b) => a - b), duringDay, units, delivered, deliveries: hooks.deliveries.length, counts: await domainCounts(g.server) };
  } finally {
    await g.stop();
    sim.stop();
  }
}

/** The polled day: the same hours of activity, a sync after each (GUIDEPOST_SYNC_INTERVAL_MINUTES=60). */
async function polledDay(scale: string) {
  const sim = await startSim(scale, 0, 8);
  const g = await startGuidepost();
  try {
    await connectAndSync(g.server, sim.info);
    await simCall(`${sim.info.url}/_sim/reset-stats`, { method: 'POST' });
    for (let h = 0; h < HOURS; h++) {
      await simEvolve(sim.info.url, HOUR_OF_WORK);
      await syncAgain(g.server);
    }
    return { units: (await simStats(sim.info.url)).pointsCharged, counts: await domainCounts(g.server) };
  } finally {
    await g.stop();
    sim.stop();
  }
}

export async function benchWebhooks(scale: string): Promise<void> {
  const fed = await webhookFedDay(scale);
  const polled = await polledDay(scale);
  const l = fed.latencies;
  console.log(`-- webhooks, ${scale}: ${fed.info.repos} repos; ${HOURS} hours of activity (${HOUR_OF_WORK.newPulls} new PRs, ${HOUR_OF_WORK.newReviewsOnOldPulls} reviews on older ones, ${HOUR_OF_WORK.lateMerges} late merge an hour), ${fed.delivered} of ${fed.deliveries} deliveries answered 200`);
  console.log(`webhook-to-visible latency:         p50 ${pct(l, 50).toFixed(0)} ms, p95 ${pct(l, 95).toFixed(0)} ms, max ${l[l.length - 1]!.toFixed(0)} ms  (an hour's deliveries queued → its new PRs on /api/overview; target: within seconds)`);
  console.log(`API units, polled ÷ webhook-fed day: ${(polled.units / Math.max(1, fed.units)).toFixed(1)}  (${polled.units} units for ${HOURS} hourly syncs vs ${fed.units} for the deliveries (${fed.duringDay} units) and one reconciling sync)`);
  console.log(`   after the day, both databases hold ${fed.counts === polled.counts ? 'the same' : 'DIFFERENT'}: ${fed.counts}${fed.counts === polled.counts ? '' : ` against ${polled.counts}`}`);
}
