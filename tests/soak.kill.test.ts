import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { tempDir } from './harness.ts';
import { canonicalDump, counts, exitOf, seeded, spawnSync, syncToEnd, type SyncTarget } from './soak.harness.ts';

// `npm test` kills a few times; `npm run soak` sets GUIDEPOST_SOAK_KILLS=20 (and may change the seed).
const KILLS = Number(process.env.GUIDEPOST_SOAK_KILLS ?? 2);
const SEED = Number(process.env.GUIDEPOST_SOAK_SEED ?? 7);

describe(`a sync killed with SIGKILL at ${KILLS} random points`, () => {
  let sim: RunningSimulator;
  let dir: { dir: string; cleanup: () => void };
  let target: SyncTarget;

  beforeAll(async () => {
    dir = tempDir();
    sim = await startSimulator({ seed: 11, scale: 'small', git: false });
    const now = Date.parse(sim.org.truth.now);
    target = { url: sim.url, token: sim.token, org: sim.org.truth.org, since: new Date(now - 365 * 86_400_000).toISOString() };
  });
  afterAll(async () => {
    await sim?.close();
    dir?.cleanup();
  });

  it('ends with the same database as an uninterrupted run', { timeout: 60_000 + KILLS * 60_000 }, async () => {
    const clean = join(dir.dir, 'clean.db');
    const before = sim.stats().total;
    await syncToEnd(target, clean);
    const requestsPerSync = sim.stats().total - before;
    expect(requestsPerSync).toBeGreaterThan(3);
    const expected = canonicalDump(clean);
    expect(counts(expected).pull_requests).toBeGreaterThan(0);

    const killed = join(dir.dir, 'killed.db');
    const random = seeded(SEED);
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Kill after a random number of API requests, so each kill lands mid-sync at a different step.
      const after = 1 + Math.floor(random() * Math.max(1, requestsPerSync - 1));
      const start = sim.stats().total;
      const child = spawnSync(target, killed);
      const exit = exitOf(child);
      const deadline = Date.now() + 60_000;
      while (sim.stats().total - start < after && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      const r = await exit;
      killedAt.push(r.signal === 'SIGKILL' ? after : -1); // -1: it finished before the kill point
    }
    await syncToEnd(target, killed);
    const actual = canonicalDump(killed);
    expect(counts(actual), `killed after ${killedAt.join(', ')} requests (seed ${SEED})`).toEqual(counts(expected));
    expect(actual).toEqual(expected);
    expect(killedAt.filter((n) => n > 0).length).toBeGreaterThan(0);
  });
});
