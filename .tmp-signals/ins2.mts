import { createTestDb } from '../tests/harness.ts';
import { sql } from 'kysely';
const t = await createTestDb();
const rows = Array.from({ length: 20000 }, (_, i) => ({ review_id: i, pr_id: i, repo_id: 1, reviewer_id: i % 100, author_id: i % 77, submitted_at: new Date(1.7e12 + i * 1e6).toISOString(), state: 'APPROVED', is_approval: 1, is_substantive: 0, is_silent_approval: 1, is_rubber_stamp: 0, inline_comments: 0, cross_team: null }));
const cols = Object.keys(rows[0]!);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  await t.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('signal_review_facts').execute();
    const per = Math.floor(30000 / cols.length);
    for (let i = 0; i < rows.length; i += per) await trx.insertInto('signal_review_facts').values(rows.slice(i, i + per) as any).execute();
  });
  console.log('builder', performance.now() - t0);
  const t1 = performance.now();
  await t.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('signal_review_facts').execute();
    const per = 500;
    const tuple = `(${cols.map(() => '?').join(',')})`;
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const params: unknown[] = [];
      for (const r of chunk) for (const c of cols) params.push((r as any)[c]);
      const text = `insert into signal_review_facts (${cols.join(',')}) values ${chunk.map(() => tuple).join(',')}`;
      await trx.executeQuery({ sql: text, parameters: params, query: { kind: 'RawNode', sqlFragments: [], parameters: [] } } as any);
    }
  });
  console.log('raw multi-values', performance.now() - t1);
  const t2 = performance.now();
  await t.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('signal_review_facts').execute();
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000).map((r) => cols.map((c) => (r as any)[c]));
      await sql`insert into signal_review_facts (${sql.join(cols.map((c) => sql.ref(c)))}) select ${sql.join(cols.map((_, j) => sql.raw(`json_extract(value, '$[${j}]')`)))} from json_each(${JSON.stringify(chunk)})`.execute(trx);
    }
  });
  console.log('json arrays', performance.now() - t2);
}
await t.close();
