// Signals benchmark (issue 5). Prints ratios measured in this run:
//   full recompute ÷ reading the domain tables once            (target ≤ 3)
//   incremental recompute after one new day ÷ full recompute   (target ≤ 0.05)
//   API p95 latency per route via app.request                  (target < 50 ms)
// Data: a generated org (default --scale=large) written into the domain tables by the
// BENCH-ONLY loader (bench/signals.loader.ts), not by the sync: benchmarks are not tests.
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { generateOrg } from '../simulator/generate/index.ts';
import type { Scale, SimPull } from '../simulator/model.ts';
import { createTestApp, createTestDb } from '../tests/harness.ts';
import { deriveAll, deriveIncremental } from '../jobs/derive/run.ts';
import { loadSimOrgForBench } from './signals.loader.ts';

const DAY = 86_400_000;
const argScale = process.argv.find((a) => a.startsWith('--scale='))?.slice('--scale='.length) as Scale | undefined;

/** The org as it looked at `cut`: later PRs, reviews, comments and requests left out. */
function before(pulls: readonly SimPull[], cut: string): SimPull[] {
  return pulls
    .filter((p) => p.createdAt < cut)
    .map((p) => ({
      ...p,
      updatedAt: p.updatedAt < cut ? p.updatedAt : p.createdAt,
      mergedAt: p.mergedAt && p.mergedAt < cut ? p.mergedAt : null,
      closedAt: p.closedAt && p.closedAt < cut ? p.closedAt : null,
      reviewRequests: p.reviewRequests.filter((r) => r.requestedAt < cut),
      reviews: p.reviews.filter((r) => r.submittedAt < cut),
      reviewComments: p.reviewComments.filter((c) => c.createdAt < cut),
      issueComments: p.issueComments.filter((c) => c.createdAt < cut),
    }));
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function run(): Promise<void> {
  const scale: Scale = argScale ?? 'large';
  const g = await time(async () => generateOrg({ seed: 1, scale }));
  const org = g.value;
  const now = org.truth.now;
  const cut = new Date(Date.parse(now) - DAY).toISOString().replace('.000Z', 'Z');
  const reviews = org.pulls.reduce((s, p) => s + p.reviews.length, 0);
  console.log(`scale ${scale}: ${org.pulls.length} PRs, ${reviews} reviews, ${org.people.length} people (generated in ${(g.ms / 1000).toFixed(1)} s)`);

  const t = await createTestDb();
  try {
    const raw = new SQLite(t.config.dbPath);
    loadSimOrgForBench(raw, org, before(org.pulls, cut));
    await deriveAll(t.db, { now: cut });
    loadSimOrgForBench(raw, org, org.pulls, cut); // one more day of data
    raw.close();

    const inc = await time(() => deriveIncremental(t.db, { since: cut, now, window: false }));
    const win = await time(() => deriveIncremental(t.db, { since: now, now }));
    // Floor: reading every domain table the derive stage reads, once.
    const readOnce = await time(async () => {
      let n = 0;
      for (const table of ['people', 'repos', 'teams', 'team_members', 'pull_requests', 'reviews', 'review_comments', 'review_requests', 'issue_comments'] as const) {
        n += (await sql`select * from ${sql.table(table)}`.execute(t.db)).rows.length;
      }
      return n;
    });
    const full = await time(() => deriveAll(t.db, { now }));
    console.log(`read domain tables once: ${readOnce.ms.toFixed(0)} ms (${readOnce.value} rows)`);
    console.log(`full recompute: ${full.ms.toFixed(0)} ms (${full.value.prs} PR facts, ${full.value.reviews} review facts, ${full.value.weeks} weeks)`);
    console.log(`  stages: ${JSON.stringify(full.value.timings)}`);
    console.log(`incremental after one day: ${inc.ms.toFixed(0)} ms (${inc.value.prs} PRs, ${inc.value.weeks} weeks)`);
    console.log(`  stages: ${JSON.stringify(inc.value.timings)}`);
    console.log(`RATIO full ÷ read-once = ${(full.ms / readOnce.ms).toFixed(2)} (target ≤ 3)`);
    console.log(`RATIO incremental (facts + touched weeks) ÷ full = ${(inc.ms / full.ms).toFixed(3)} (target ≤ 0.05)`);
    console.log(`RATIO refresh of the stored 90-day window (no new data) ÷ full = ${(win.ms / full.ms).toFixed(3)}  [stages ${JSON.stringify(win.value.timings)}]`);

    const app = createTestApp(t);
    const window = `from=${new Date(Date.parse(now) - 90 * DAY).toISOString().slice(0, 10)}&to=${now.slice(0, 10)}`;
    const someone = await t.db.selectFrom('mentoring_edges').innerJoin('signal_people', 'person_id', 'mentor_id').select('login').executeTakeFirst();
    const team = await t.db.selectFrom('signal_teams').select('slug').orderBy('slug').executeTakeFirst();
    const repo = await t.db.selectFrom('repos').select('full_name').orderBy('full_name').executeTakeFirst();
    const routes = [
      '/api/overview',
      '/api/trends',
      '/api/reviews',
      '/api/mentoring',
      '/api/people',
      `/api/people/${someone?.login ?? 'nobody'}`,
      '/api/teams',
      `/api/teams/${team?.slug ?? 'none'}`,
      '/api/repos',
      `/api/repos/${repo?.full_name ?? 'none/none'}`,
      '/api/settings',
      `/api/overview?team=${team?.slug ?? ''}`,
    ];
    for (const route of routes) {
      const url = `${route}${route.includes('?') ? '&' : '?'}${window}`;
      const cold = await time(async () => app.request(url));
      if (cold.value.status !== 200) throw new Error(`${url} answered ${cold.value.status}: ${await cold.value.text()}`);
      const times: number[] = [];
      for (let i = 0; i < 40; i++) times.push((await time(async () => (await app.request(url)).arrayBuffer())).ms);
      times.sort((a, b) => a - b);
      const p95 = times[Math.ceil(times.length * 0.95) - 1]!;
      console.log(`API ${route.padEnd(40)} p95 ${p95.toFixed(1)} ms (first ${cold.ms.toFixed(1)} ms) ${p95 < 50 ? 'ok' : 'OVER 50 ms'}`);
    }
  } finally {
    await t.close();
  }
}
