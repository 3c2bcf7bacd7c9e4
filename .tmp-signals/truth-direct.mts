// Dev diagnostic only (not a test): signal logic vs truth with the bench loader.
import { createTestDb } from '../tests/harness.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import { loadSimOrgForBench } from '../bench/signals.loader.ts';
import { deriveAll } from '../jobs/derive/run.ts';
import { buildReport } from '../server/report.ts';
import SQLite from 'better-sqlite3';
const scale = (process.argv[2] ?? 'small') as 'small';
for (const seed of [1, 2, 3]) {
  const t = await createTestDb();
  const org = generateOrg({ seed, scale });
  const s = new SQLite(t.config.dbPath);
  loadSimOrgForBench(s, org);
  s.close();
  const t0 = Date.now();
  await deriveAll(t.db, { now: org.truth.now });
  const t1 = Date.now();
  const DAY = 86400000;
  const r = await buildReport(t.db, { from: new Date(Date.parse(org.truth.now) - 90 * DAY).toISOString(), to: new Date(Date.parse(org.truth.now) + 1000).toISOString() });
  console.log('seed', seed, 'derive ms', t1 - t0, 'report ms', Date.now() - t1);
  const cmp = (name: string, found: string[], planted: string[]) => {
    const f = new Set(found), p = new Set(planted);
    const fp = [...f].filter((x) => !p.has(x)), fn = [...p].filter((x) => !f.has(x));
    console.log(name.padEnd(24), `found ${f.size} planted ${p.size}`, fp.length ? `FP ${fp.slice(0, 6).join(',')}` : '', fn.length ? `FN ${fn.slice(0, 6).join(',')}` : '');
  };
  cmp('mentorPairs', r.mentoring.edges.map((e) => `${e.mentor}>${e.mentee}`), org.truth.mentorPairs.map((e) => `${e.mentor}>${e.mentee}`));
  cmp('newcomers', r.mentoring.newcomers.map((n) => n.login), org.truth.newcomers);
  cmp('newcomersWithoutMentor', r.mentoring.newcomersWithoutMentor, org.truth.newcomersWithoutMentor);
  cmp('overloadedMentors', r.mentoring.overloadedMentors, org.truth.overloadedMentors);
  cmp('loadCarriers', r.reviews.loadCarriers, org.truth.loadCarriers);
  cmp('rubberStampers', r.reviews.rubberStampers, org.truth.rubberStampers);
  await t.close();
}
