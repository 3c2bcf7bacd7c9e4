import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, runQueuedDerive, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// The dashboard API over a small hand-made org: aggregates by default, people on purpose.

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
const q = `from=${at(90).slice(0, 10)}&to=${NOW.slice(0, 10)}`;
const get = async <T = any>(path: string): Promise<T> => {
  const res = await app.request(`${path}${path.includes('?') ? '&' : '?'}${q}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api', 1);
  await org.repo('web', 2);
  for (const l of ['senior', 'zoe', 'amy', 'newbie', 'pair']) await org.person(l);
  await org.team('platform', ['senior', 'zoe', 'amy', 'newbie']);
  await org.team('duo', ['pair', 'zoe']);
  // The next-smallest team, hidden beside duo so duo's figures cannot be had by subtraction.
  await org.team('ops', ['amy', 'newbie', 'pair']);
  await org.pr({ author: 'senior', created: at(400), merged: at(399) });
  await org.pr({ author: 'zoe', created: at(300), merged: at(299) });
  for (const d of [40, 30, 20]) {
    const pr = await org.pr({ author: 'newbie', created: at(d), merged: at(d - 2) });
    await org.review(pr, 'senior', 'CHANGES_REQUESTED', at(d - 1), { inline: 2 });
  }
  for (const d of [25, 15]) await org.review(await org.pr({ author: 'amy', created: at(d), repo: 2, size: 500 }), 'zoe', 'APPROVED', at(d - 1));
  await org.pr({ author: 'pair', created: at(10), merged: at(9) });
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

describe('overview', () => {
  it('shows org aggregates and findings, and no list of people', async () => {
    const o = await get('/api/overview');
    expect(o.reviews.prs).toBe(6);
    expect(o.reviews.merged).toBe(4);
    expect(o.reviews.mergedWithoutReview).toBe(1);
    expect(o.people).toBeUndefined();
    expect(o.findings.map((f: { text: string }) => f.text).join(' ')).toContain('merged without a review');
    expect(o.findings.map((f: { kind: string }) => f.kind)).toContain('merged_without_review');
  });

  it('does not show a group average for a team under the minimum group size', async () => {
    const o = await get('/api/overview?team=duo');
    expect(o.reviews).toBeNull();
    expect(o.suppressed).toBe('Team duo has 2 members; groups under 3 are not shown.');
    const big = await get('/api/overview?team=platform');
    expect(big.reviews.prs).toBe(5);
  });
});

describe('people', () => {
  it('lists people alphabetically (not ranked) and shows a person page on purpose', async () => {
    const list = await get('/api/people');
    expect(list.people.map((p: { login: string }) => p.login)).toEqual(['amy', 'newbie', 'pair', 'senior', 'zoe']);
    const page = await get('/api/people/newbie');
    expect(page.mentors).toEqual([expect.objectContaining({ mentor: 'senior', mentee: 'newbie', weight: 9 })]);
    expect(page.newcomer.firstPrAt).toBe(at(40));
    expect(page.teams.map((x: { slug: string }) => x.slug)).toEqual(['ops', 'platform']);
    expect(page.stats.reviewsReceived).toBe(3);
  });
});

describe('mentoring, trends, teams, repos', () => {
  it('mentoring lists edges, newcomers and gaps with reasons', async () => {
    const m = await get('/api/mentoring');
    expect(m.edges.map((e: { mentor: string; mentee: string }) => `${e.mentor}→${e.mentee}`)).toEqual(['senior→newbie']);
    expect(m.newcomers.map((n: { login: string }) => n.login).sort()).toEqual(['amy', 'newbie', 'pair']);
    expect(m.gaps).toContainEqual(expect.objectContaining({ kind: 'no_mentor', login: 'amy', reason: '2 PRs, 2 reviewed, both approved without comment' }));
  });

  it('trends give one row per ISO week for the org and per repo', async () => {
    const org = await get('/api/trends');
    expect(org.weeks.length).toBeGreaterThanOrEqual(5);
    expect(org.weeks.every((w: { week: string }) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    const web = await get('/api/trends?repo=web');
    expect(web.weeks.reduce((s: number, w: { reviews: number }) => s + w.reviews, 0)).toBe(2);
    expect(web.weeks.reduce((s: number, w: { rubber_stamps: number }) => s + w.rubber_stamps, 0)).toBe(2);
  });

  it('teams show totals only for teams at or over the minimum size', async () => {
    const teams = await get('/api/teams');
    const byslug = Object.fromEntries(teams.teams.map((x: { slug: string }) => [x.slug, x]));
    expect(byslug.duo.totals).toBeNull();
    expect(byslug.ops.totals).toBeNull();
    expect(byslug.ops.suppressed).toMatch(/would let that group's be worked out/);
    expect(byslug.platform.totals.prs).toBe(5);
    const one = await get('/api/teams/platform');
    expect(one.members).toEqual(['amy', 'newbie', 'senior', 'zoe']);
  });

  it('repos show their own numbers', async () => {
    const repos = await get('/api/repos');
    expect(repos.repos.map((r: { name: string; prs: number }) => [r.name, r.prs])).toEqual([
      ['acme/api', 4],
      ['acme/web', 2],
    ]);
    const web = await get('/api/repos/acme/web');
    expect(web.reviews.rubberStamps).toBe(2);
  });
});

describe('settings', () => {
  it('saving settings recomputes signals: an excluded person disappears, a settings team appears', async () => {
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...csrfHeaders() },
      body: JSON.stringify({ excludedLogins: ['pair'], teams: [{ slug: 'guild', name: 'Review guild', members: ['senior', 'zoe', 'amy'] }] }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).deriveQueued).toBe(true);
    await runQueuedDerive(t); // the keyed derive job the save enqueued
    const list = await get('/api/people');
    expect(list.people.map((p: { login: string }) => p.login)).not.toContain('pair');
    const teams = await get('/api/teams');
    expect(teams.teams.find((x: { slug: string }) => x.slug === 'guild')).toMatchObject({ source: 'settings', members: 3 });
    const settings = await get('/api/settings');
    expect(settings).toMatchObject({ excludedLogins: ['pair'], menteeLimit: 5, minGroupSize: 3 });
  });
});
