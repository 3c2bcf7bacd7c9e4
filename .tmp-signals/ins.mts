import { createTestDb } from '../tests/harness.ts';
import { insertRows } from '../jobs/derive/store.ts';
const t = await createTestDb();
const rows = Array.from({ length: 20000 }, (_, i) => ({ review_id: i, pr_id: i, repo_id: 1, reviewer_id: i % 100, author_id: i % 77, submitted_at: new Date(1.7e12 + i * 1e6).toISOString(), state: 'APPROVED', is_approval: 1, is_substantive: 0, is_silent_approval: 1, is_rubber_stamp: 0, inline_comments: 0, cross_team: null }));
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  await t.db.transaction().execute(async (trx) => { await trx.deleteFrom('signal_review_facts').execute(); await insertRows(trx, 'signal_review_facts', rows); });
  console.log('json_each', performance.now() - t0);
}
await t.close();
