import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from './harness.ts';
import { startSimulator } from '../simulator/start.ts';
import type { Truth } from '../simulator/model.ts';
import { deriveAfterSync } from '../jobs/derive/signals.derive.ts';
import { buildReport } from '../server/signals/report.ts';
import { syncSimulatedOrg } from './signals.sync.ts';

// The planted structure of the simulated org is recovered from data that went through the
// real sync (simulated GitHub → collect → extract → domain tables) and the derive stage.
// Medium orgs (about 10k PRs, ~30 s a seed on these machines); `npm run truth` runs more seeds,
// and GUIDEPOST_TRUTH_SCALE / GUIDEPOST_TRUTH_SEEDS pick others.

const SCALE = (process.env.GUIDEPOST_TRUTH_SCALE ?? 'medium') as 'small' | 'medium' | 'large';
const SEEDS = (process.env.GUIDEPOST_TRUTH_SEEDS ?? '1,2,3').split(',').map(Number);
const TIMEOUT = { small: 120_000, medium: 900_000, large: 3_600_000 }[SCALE];
const DAY = 86_400_000;
const rows: string[] = [];

function score(found: readonly string[], planted: readonly string[]) {
  const f = new Set(found);
  const p = new Set(planted);
  const hit = [...f].filter((x) => p.has(x)).length;
  return { precision: f.size ? hit / f.size : p.size ? 0 : 1, recall: p.size ? hit / p.size : 1, found: f.size, planted: p.size };
}

afterAll(() => {
  console.log(['signal                    seed  precision  recall  found/planted', ...rows].join('\n'));
});

describe.each(SEEDS)(`seed %i (${SCALE})`, (seed) => {
  it('recovers mentor pairs, newcomers without a mentor, overloaded mentors, load carriers and rubber-stampers (≥ 0.9 each)', { timeout: TIMEOUT }, async () => {
    const t = await createTestDb();
    const sim = await startSimulator({ seed, scale: SCALE, git: false });
    try {
      // The planted truth as a user of the simulator reads it: GET /_sim/truth.
      const truth = (await (await fetch(`${sim.url}/_sim/truth`)).json()) as Truth;
      expect(truth.org).toBe(sim.org.org.login);
      // Signals are derived the way the product does it: incrementally after each repo's sync.
      let derives = 0;
      await syncSimulatedOrg(t.db, sim, t.dir, '2000-01-01T00:00:00Z', [
        async (db) => {
          await deriveAfterSync(db, { now: truth.now });
          derives++;
        },
      ]);
      expect(derives).toBe(sim.org.repos.length);
      const to = new Date(Date.parse(truth.now) + 1000).toISOString();
      const from = new Date(Date.parse(truth.now) - 90 * DAY).toISOString();
      const r = await buildReport(t.db, { from, to });
      const checks = {
        mentorPairs: score(r.mentoring.edges.map((e) => `${e.mentor}→${e.mentee}`), truth.mentorPairs.map((p) => `${p.mentor}→${p.mentee}`)),
        newcomersWithoutMentor: score(r.mentoring.newcomersWithoutMentor, truth.newcomersWithoutMentor),
        overloadedMentors: score(r.mentoring.overloadedMentors, truth.overloadedMentors),
        loadCarriers: score(r.reviews.loadCarriers, truth.loadCarriers),
        rubberStampers: score(r.reviews.rubberStampers, truth.rubberStampers),
      };
      for (const [name, s] of Object.entries(checks)) {
        rows.push(`${name.padEnd(26)}${String(seed).padEnd(6)}${s.precision.toFixed(2).padEnd(11)}${s.recall.toFixed(2).padEnd(8)}${s.found}/${s.planted}`);
      }
      for (const [name, s] of Object.entries(checks)) {
        expect(s.precision, `${name} precision`).toBeGreaterThanOrEqual(0.9);
        expect(s.recall, `${name} recall`).toBeGreaterThanOrEqual(0.9);
      }
    } finally {
      await sim.close();
      await t.close();
    }
  });
});
