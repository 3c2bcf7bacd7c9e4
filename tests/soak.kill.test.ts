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

    // Episodes: each starts from an empty database, is killed at random request counts inside
    // what is left of the sync, then runs to the end and must match the clean run exactly.
    const random = seeded(SEED);
    const kills: string[] = [];
    for (let episode = 0; kills.length < KILLS && episode < KILLS * 3; episode++) {
      const killed = join(dir.dir, `killed-${episode}.db`);
      let used = 0;
      while (kills.length < KILLS && requestsPerSync - used > 2) {
        const after = 1 + Math.floor(random() * (requestsPerSync - used - 1));
        const start = sim.stats().total;
        const child = spawnSync(target, killed);
        const exit = exitOf(child);
        const deadline = Date.now() + 60_000;
        while (sim.stats().total - start < after && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        const finishedFirst = child.exitCode !== null;
        child.kill('SIGKILL');
        await exit;
        if (finishedFirst) break; // the rest of the sync needed fewer requests than the kill point
        kills.push(`episode ${episode}: after ${after} requests`);
        used += after;
      }
      await syncToEnd(target, killed);
      const actual = canonicalDump(killed);
      expect(counts(actual), `${kills.join('; ')} (seed ${SEED})`).toEqual(counts(expected));
      expect(actual, `${kills.join('; ')} (seed ${SEED})`).toEqual(expected);
    }
    expect(kills).toHaveLength(KILLS);
  });
});
