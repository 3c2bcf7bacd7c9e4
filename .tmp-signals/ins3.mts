import { createTestDb } from '../tests/harness.ts';
import SQLite from 'better-sqlite3';
const t = await createTestDb();
await t.db.destroy();
const s = new SQLite(t.config.dbPath);
s.pragma('journal_mode = WAL'); s.pragma('synchronous = NORMAL');
const rows = Array.from({ length: 20000 }, (_, i) => ({ review_id: i, pr_id: i, repo_id: 1, reviewer_id: i % 100, author_id: i % 77, submitted_at: new Date(1.7e12 + i * 1e6).toISOString(), state: 'APPROVED', is_approval: 1, is_substantive: 0, is_silent_approval: 1, is_rubber_stamp: 0, inline_comments: 0, cross_team: null }));
const cols = Object.keys(rows[0]!);
const st = s.prepare(`insert into signal_review_facts (${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  s.transaction(() => { s.prepare('delete from signal_review_facts').run(); for (const r of rows) st.run(r); })();
  console.log('prepared', performance.now() - t0);
}
const t1 = performance.now();
const n = s.prepare('select * from signal_review_facts').all().length;
console.log('read', n, performance.now() - t1);
console.log(s.pragma('compile_options').filter((o: any) => /JSON|VERSION/.test(o.compile_options)), s.prepare('select sqlite_version() v').get());
