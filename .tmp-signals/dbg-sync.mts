import { createTestDb } from '../tests/harness.ts';
import { startSimulator } from '../simulator/start.ts';
import { syncSimulatedOrg } from '../tests/signals.sync.ts';
import { sql } from 'kysely';
const t = await createTestDb();
const sim = await startSimulator({ seed: 1, scale: 'small', git: false });
const t0 = Date.now();
await syncSimulatedOrg(t.db, sim, t.dir, '2000-01-01T00:00:00Z');
console.log('sync ms', Date.now() - t0);
for (const tb of ['people', 'repos', 'teams', 'team_members', 'pull_requests', 'reviews', 'review_comments', 'issue_comments', 'review_requests', 'jobs']) {
  const r = await sql<{ n: number }>`select count(*) n from ${sql.table(tb)}`.execute(t.db);
  console.log(tb, r.rows[0]!.n);
}
console.log((await sql`select * from reviews limit 3`.execute(t.db)).rows);
console.log((await sql`select id, author_id, created_at, updated_at, state from pull_requests order by created_at limit 3`.execute(t.db)).rows);
console.log((await sql`select state, count(*) n from reviews group by state`.execute(t.db)).rows);
console.log((await sql`select * from jobs limit 5`.execute(t.db)).rows);
const simReviews = sim.org.pulls.reduce((s, p) => s + p.reviews.length, 0);
console.log('sim pulls', sim.org.pulls.length, 'reviews', simReviews);
await sim.close(); await t.close();
