import { createTestDb } from '../tests/harness.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import { loadSimOrgForBench } from '../bench/signals.loader.ts';
import { deriveAll } from '../jobs/derive/run.ts';
import { readSettings } from '../server/settings.ts';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
const t = await createTestDb();
const org = generateOrg({ seed: 1, scale: 'medium' });
const s = new SQLite(t.config.dbPath);
loadSimOrgForBench(s, org);
s.close();
await deriveAll(t.db, { now: org.truth.now });
const from = new Date(Date.parse(org.truth.now) - 90 * 86400000).toISOString().replace('.000Z', 'Z');
const to = org.truth.now;
const lap = async (name: string, fn: () => Promise<unknown>) => { const t0 = performance.now(); const r: any = await fn(); console.log(name, (performance.now() - t0).toFixed(1), Array.isArray(r) ? r.length : ''); };
for (let k = 0; k < 2; k++) {
await lap('people', () => t.db.selectFrom('signal_people').selectAll().execute());
await lap('prfacts OR', () => t.db.selectFrom('signal_pr_facts').selectAll().where((eb) => eb.or([eb.and([eb('created_at', '>=', from), eb('created_at', '<', to)]), eb.and([eb('merged_at', '>=', from), eb('merged_at', '<', to)]), eb.and([eb('clock_start', '>=', from), eb('clock_start', '<', to)])])).execute());
await lap('reviewfacts', () => t.db.selectFrom('signal_review_facts').selectAll().where('submitted_at', '>=', from).where('submitted_at', '<', to).execute());
await lap('settings', () => readSettings(t.db));
const { analyseWindow } = await import('../jobs/derive/window.derive.ts');
const st = await readSettings(t.db);
await lap('analyse', () => analyseWindow(t.db, { from, to }, st));
}
console.log((await sql`explain query plan select * from signal_pr_facts where (created_at >= ${from} and created_at < ${to}) or (merged_at >= ${from} and merged_at < ${to})`.execute(t.db)).rows);
await t.close();
