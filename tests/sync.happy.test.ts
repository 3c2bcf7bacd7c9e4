import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { domainCounts, domainSnapshot, expectedCounts, syncInProcess } from './sync.fixture.ts';
import { reextractAll } from '../jobs/github/extract.ts';
import { createLogger } from '../server/logger.ts';

describe('a full sync of the small simulated org', () => {
  let sim: RunningSimulator;
  let t: TestDb;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, scale: 'small', git: false });
    t = await createTestDb();
    const { failed } = await syncInProcess(t.db, sim);
    expect(failed).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('stores exactly as many rows of every domain table as the simulator serves', async () => {
    expect(await domainCounts(t.db)).toEqual(expectedCounts(sim.org));
  });

  it('keeps states, timestamps and authors of pull requests and reviews', async () => {
    const prs = await t.db.selectFrom('pull_requests').innerJoin('people', 'people.id', 'pull_requests.author_id').innerJoin('repos', 'repos.id', 'pull_requests.repo_id').select(['repos.name as repo', 'number', 'state', 'pull_requests.created_at', 'merged_at', 'closed_at', 'ready_at', 'is_draft', 'additions', 'login']).execute();
    const byKey = new Map(prs.map((p) => [`${p.repo}#${p.number}`, p]));
    const people = new Map(sim.org.people.map((p) => [p.login, p]));
    for (const sp of sim.org.pulls) {
      const row = byKey.get(`${sp.repo}#${sp.number}`);
      expect(row, `${sp.repo}#${sp.number}`).toBeDefined();
      expect(row!.state).toBe(sp.mergedAt ? 'merged' : sp.closedAt ? 'closed' : 'open');
      expect(Date.parse(row!.created_at)).toBe(Date.parse(sp.createdAt));
      expect(row!.merged_at === null ? null : Date.parse(row!.merged_at)).toBe(sp.mergedAt === null ? null : Date.parse(sp.mergedAt));
      expect(row!.ready_at === null ? null : Date.parse(row!.ready_at)).toBe(sp.readyAt === null ? null : Date.parse(sp.readyAt));
      expect(row!.is_draft).toBe(sp.isDraft ? 1 : 0);
      expect(row!.additions).toBe(sp.additions);
      const author = people.get(sp.author);
      expect(row!.login).toBe(!author || author.deleted ? 'ghost' : author.login);
    }
    const reviews = await t.db.selectFrom('reviews').select(['id', 'state', 'submitted_at', 'comment_count']).execute();
    const rById = new Map(reviews.map((r) => [r.id, r]));
    for (const sp of sim.org.pulls.slice(0, 200)) {
      for (const r of sp.reviews) {
        const row = rById.get(r.id);
        expect(row?.state).toBe(r.state);
        expect(Date.parse(row!.submitted_at)).toBe(Date.parse(r.submittedAt));
        expect(row!.comment_count).toBe(sp.reviewComments.filter((c) => c.reviewId === r.id).length);
      }
    }
  });

  it('flags bots and folds deleted accounts into one ghost person', async () => {
    const bots = (await t.db.selectFrom('people').select('login').where('is_bot', '=', 1).execute()).map((p) => p.login).sort();
    const expectedBots = sim.org.people.filter((p) => p.type === 'Bot' && !p.deleted).map((p) => (p.login.endsWith('[bot]') ? p.login : `${p.login}[bot]`));
    const botAuthors = new Set(sim.org.pulls.map((p) => p.author).filter((a) => sim.org.people.some((p) => p.login === a && p.type === 'Bot' && !p.deleted)).map((a) => (a.endsWith('[bot]') ? a : `${a}[bot]`)));
    expect(botAuthors.size).toBeGreaterThan(0);
    for (const b of botAuthors) expect(bots).toContain(b);
    for (const b of bots) expect(expectedBots).toContain(b);
    const ghosts = await t.db.selectFrom('people').selectAll().where('is_ghost', '=', 1).execute();
    const hasDeleted = sim.org.people.some((p) => p.deleted);
    expect(ghosts.map((g) => g.login)).toEqual(hasDeleted ? ['ghost'] : []);
  });

  it('rebuilds the same domain tables from raw rows alone', async () => {
    const before = await domainSnapshot(t.db);
    await t.db.deleteFrom('reviews').execute();
    await t.db.updateTable('pull_requests').set({ title: 'changed' }).execute();
    const res = await reextractAll(t.db, createLogger('silent'));
    expect(res.failures).toBe(0);
    expect(await domainSnapshot(t.db)).toEqual(before);
  });
});
