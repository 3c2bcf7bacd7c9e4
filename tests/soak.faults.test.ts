import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { tempDir } from './harness.ts';
import { canonicalDump, counts, syncToEnd, type SyncTarget } from './soak.harness.ts';

const FAULTS = Number(process.env.GUIDEPOST_SOAK_FAULTS ?? 0.2);
const ORG_SEED = Number(process.env.GUIDEPOST_SOAK_ORG_SEED ?? 11);

function targetOf(sim: RunningSimulator): SyncTarget {
  const now = Date.parse(sim.org.truth.now);
  return { url: sim.url, token: sim.token, org: sim.org.truth.org, since: new Date(now - 365 * 86_400_000).toISOString() };
}

describe(`a sync against a GitHub that fails ${FAULTS * 100}% of requests`, () => {
  let clean: RunningSimulator;
  let faulty: RunningSimulator;
  let dir: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    dir = tempDir();
    clean = await startSimulator({ seed: ORG_SEED, scale: 'small', git: false });
    faulty = await startSimulator({ seed: ORG_SEED, scale: 'small', git: false, faults: FAULTS });
  });
  afterAll(async () => {
    await clean?.close();
    await faulty?.close();
    dir?.cleanup();
  });

  it('ends with the same database as a sync with no faults', { timeout: 240_000 }, async () => {
    const cleanDb = join(dir.dir, 'clean.db');
    const faultyDb = join(dir.dir, 'faulty.db');
    const [, faultyLog] = await Promise.all([syncToEnd(targetOf(clean), cleanDb), syncToEnd(targetOf(faulty), faultyDb)]);
    // Retries and warnings about failed requests are where a token would slip into a message.
    expect(faultyLog).not.toContain(faulty.token);
    expect(readFileSync(faultyDb).includes(faulty.token)).toBe(false);
    // The faults really happened, and the sync rode them out.
    expect(faulty.stats().faults).toBeGreaterThan(0);
    const expected = canonicalDump(cleanDb, clean.url);
    expect(counts(expected).pull_requests).toBeGreaterThan(0);
    const actual = canonicalDump(faultyDb, faulty.url);
    expect(counts(actual)).toEqual(counts(expected));
    expect(actual).toEqual(expected);
  });
});
