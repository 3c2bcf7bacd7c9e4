import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { domainCounts, domainSnapshot, expectedCounts, snapshotDiff, syncInProcess } from './sync.fixture.ts';

describe('sync under faults and rate limits', () => {
  const open: { sims: RunningSimulator[]; dbs: TestDb[] } = { sims: [], dbs: [] };
  afterEach(async () => {
    for (const d of open.dbs.splice(0)) await d.close();
    for (const s of open.sims.splice(0)) await s.close();
  });
  const sim = async (o: Parameters<typeof startSimulator>[0]) => {
    const s = await startSimulator({ seed: 3, scale: 'tiny', git: false, ...o });
    open.sims.push(s);
    return s;
  };
  const db = async () => {
    const d = await createTestDb();
    open.dbs.push(d);
    return d;
  };

  it('with 5% of answers failing (500, 502, dropped, slow) stores the same as a clean sync', async () => {
    // Seed 5 draws four faults among the first sixteen answers (the fault picker is seeded).
    const clean = await sim({ seed: 5 });
    const faulty = await sim({ seed: 5, faults: 0.05 });
    const a = await db();
    const b = await db();
    await syncInProcess(a.db, clean);
    const { failed } = await syncInProcess(b.db, faulty);
    expect(failed).toEqual([]);
    expect(faulty.stats().faults).toBeGreaterThan(0);
    expect(snapshotDiff(await domainSnapshot(b.db), await domainSnapshot(a.db))).toEqual([]);
    expect(await domainSnapshot(b.db)).toEqual(await domainSnapshot(a.db));
  }, 120_000);

  it('waits for the reset of a tiny primary limit and never asks over it', async () => {
    // 6 requests (and 6 GraphQL points) per "hour", and an hour lasts 1.5 s.
    const s = await sim({ rateLimit: 6, clockSpeed: 2400 });
    const t = await db();
    const started = Date.now();
    const { gh, failed } = await syncInProcess(t.db, s);
    expect(failed).toEqual([]);
    const stats = s.stats();
    expect(stats.overLimit).toBe(0);
    expect(stats.rejectedForLimit).toBe(0);
    expect(stats.pointsCharged).toBeGreaterThan(6);
    expect(gh.stats().waitedMs).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(await domainCounts(t.db)).toEqual(expectedCounts(s.org));
  }, 120_000);
});
