import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { domainCounts, domainSnapshot, expectedCounts, syncInProcess } from './sync.fixture.ts';
import { rawBodyText } from '../jobs/github/raw.collect.ts';

interface EvolveSummary {
  newPulls: { repo: string; number: number }[];
  reviewedPulls: { repo: string; number: number }[];
  lateMerged: { repo: string; number: number }[];
}

describe('a second sync after the org moved on', () => {
  let sim: RunningSimulator;
  let t: TestDb;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, scale: 'tiny', git: false });
    t = await createTestDb();
    await syncInProcess(t.db, sim);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('picks up new PRs, new reviews on old PRs and a late merge, and nothing else', async () => {
    const before = await domainSnapshot(t.db);
    const prsBefore = new Map((await t.db.selectFrom('pull_requests').innerJoin('repos', 'repos.id', 'repo_id').select(['repos.name', 'number', 'pull_requests.updated_at']).execute()).map((p) => [`${p.name}#${p.number}`, p.updated_at]));
    const rawBefore = (await t.db.selectFrom('raw_responses').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m as number;
    await fetch(`${sim.url}/_sim/reset-stats`, { method: 'POST' });
    const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ newPulls: 4, newReviewsOnOldPulls: 3, lateMerges: 1 }) });
    const summary = (await res.json()) as EvolveSummary;
    expect(summary.newPulls.length).toBe(4);
    expect(summary.lateMerged.length).toBe(1);

    await syncInProcess(t.db, sim);
    expect(await domainCounts(t.db)).toEqual(expectedCounts(sim.org));

    // Exactly the touched PRs changed in the database.
    const after = await t.db.selectFrom('pull_requests').innerJoin('repos', 'repos.id', 'repo_id').select(['repos.name', 'number', 'state', 'pull_requests.updated_at']).execute();
    const changed = after.filter((p) => prsBefore.get(`${p.name}#${p.number}`) !== p.updated_at).map((p) => `${p.name}#${p.number}`).sort();
    const touched = [...summary.newPulls, ...summary.reviewedPulls, ...summary.lateMerged].map((p) => `${p.repo}#${p.number}`);
    expect(changed).toEqual([...new Set(touched)].sort());
    const merged = after.find((p) => `${p.name}#${p.number}` === `${summary.lateMerged[0]!.repo}#${summary.lateMerged[0]!.number}`);
    expect(merged?.state).toBe('merged');
    const snap = await domainSnapshot(t.db);
    expect(snap.reviews.length - before.reviews.length).toBe(expectedCounts(sim.org).reviews - before.reviews.length);

    // The second sync fetched only the changed PRs' pages: a handful of points, not a re-download.
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { pointsCharged: number };
    const newRaw = await t.db.selectFrom('raw_responses').select(['kind', 'body']).where('id', '>', rawBefore).where('kind', '=', 'pulls_page').execute();
    const fetchedPrs = newRaw.flatMap((r) => (JSON.parse(rawBodyText(r.body)) as { data: { repository: { pullRequests: { nodes: { number: number }[] } } } }).data.repository.pullRequests.nodes);
    expect(fetchedPrs.length).toBeLessThanOrEqual(25 * sim.org.repos.length);
    // Per changed repo: its pulse (1), a page of PRs (1), its inline comments (1); one change check.
    expect(stats.pointsCharged).toBeLessThanOrEqual(3 * sim.org.repos.length + 4);
  });

  it('re-checking an unchanged org costs nothing: every answer is a free 304', async () => {
    await fetch(`${sim.url}/_sim/reset-stats`, { method: 'POST' });
    const before = await domainSnapshot(t.db);
    await syncInProcess(t.db, sim);
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { pointsCharged: number; notModified: number };
    expect(stats.pointsCharged).toBe(0);
    // The org's lists and one pulse per repo, each answered 304.
    expect(stats.notModified).toBeGreaterThanOrEqual(sim.org.repos.length + 3);
    expect(await domainSnapshot(t.db)).toEqual(before);
  });
});
