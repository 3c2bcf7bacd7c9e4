// One-off (not in the suite): truth recovery at medium scale through the real sync + hook.
import { createTestDb } from '../tests/harness.ts';
import { startSimulator } from '../simulator/start.ts';
import { deriveAfterSync } from '../jobs/derive/run.ts';
import { buildReport } from '../server/report.ts';
import { syncSimulatedOrg } from '../tests/signals.sync.ts';
const seed = Number(process.argv[2] ?? 1);
const t = await createTestDb();
const sim = await startSimulator({ seed, scale: 'medium', git: false });
const truth = sim.org.truth;
const t0 = Date.now();
await syncSimulatedOrg(t.db, sim, t.dir, '2000-01-01T00:00:00Z', [async (db) => { await deriveAfterSync(db, { now: truth.now }); }]);
console.log('medium seed', seed, 'sync+derive s', ((Date.now() - t0) / 1000).toFixed(0));
const DAY = 86400000;
const r = await buildReport(t.db, { from: new Date(Date.parse(truth.now) - 90 * DAY).toISOString(), to: new Date(Date.parse(truth.now) + 1000).toISOString() });
const score = (name: string, found: string[], planted: string[]) => {
  const f = new Set(found), p = new Set(planted); const hit = [...f].filter((x) => p.has(x)).length;
  console.log(name.padEnd(24), 'precision', (f.size ? hit / f.size : 1).toFixed(2), 'recall', (p.size ? hit / p.size : 1).toFixed(2), `${f.size}/${p.size}`);
};
score('mentorPairs', r.mentoring.edges.map((e) => `${e.mentor}>${e.mentee}`), truth.mentorPairs.map((e) => `${e.mentor}>${e.mentee}`));
score('newcomersWithoutMentor', r.mentoring.newcomersWithoutMentor, truth.newcomersWithoutMentor);
score('overloadedMentors', r.mentoring.overloadedMentors, truth.overloadedMentors);
score('loadCarriers', r.reviews.loadCarriers, truth.loadCarriers);
score('rubberStampers', r.reviews.rubberStampers, truth.rubberStampers);
await sim.close(); await t.close();
