import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenGroups, type Group } from '../server/signals/privacy.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import type { App } from '../server/app.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';

// DESIGN.md "Privacy by default": groups under minGroupSize are not shown, and where a total is
// shown beside the groups the next-smallest group is hidden too, so that the small one cannot be
// worked out by subtracting the shown groups from the total.

// API answers are read as JSON and checked field by field.
type Json = any;
const g = (key: string, size: number): Group => ({ key, size });
const sorted = (s: Set<string>) => [...s].sort();

describe('hiddenGroups', () => {
  it('hides a group under the minimum size', () => {
    expect(sorted(hiddenGroups([g('duo', 2), g('platform', 5)], 3, false))).toEqual(['duo']);
    expect(sorted(hiddenGroups([g('solo', 1)], 3, false))).toEqual(['solo']);
  });

  it('shows every group when none is under the minimum, with or without a total', () => {
    const groups = [g('a', 3), g('b', 4), g('c', 9)];
    expect(sorted(hiddenGroups(groups, 3, false))).toEqual([]);
    expect(sorted(hiddenGroups(groups, 3, true))).toEqual([]);
  });

  it('with a total shown, hides the next-smallest group too, so the small one cannot be recovered by subtraction', () => {
    expect(sorted(hiddenGroups([g('duo', 2), g('platform', 5), g('web', 4)], 3, true))).toEqual(['duo', 'web']);
  });

  it('without a total, hides only the small group', () => {
    expect(sorted(hiddenGroups([g('duo', 2), g('platform', 5), g('web', 4)], 3, false))).toEqual(['duo']);
  });

  it('two small groups that together reach the minimum hide nothing more; two that do not, hide the next-smallest too', () => {
    expect(sorted(hiddenGroups([g('a', 1), g('b', 2), g('c', 5)], 3, true))).toEqual(['a', 'b']);
    expect(sorted(hiddenGroups([g('a', 1), g('b', 1), g('c', 5), g('d', 6)], 3, true))).toEqual(['a', 'b', 'c']);
  });

  it('between groups of the same size the next one hidden is the first by key, whatever the input order', () => {
    expect(sorted(hiddenGroups([g('zeta', 4), g('duo', 2), g('alpha', 4)], 3, true))).toEqual(['alpha', 'duo']);
    expect(sorted(hiddenGroups([g('alpha', 4), g('duo', 2), g('zeta', 4)], 3, true))).toEqual(['alpha', 'duo']);
  });

  it('with a total, whatever is hidden is two or more groups holding at least minGroupSize people, or everything', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let run = 0; run < 500; run++) {
      const min = 1 + rand(6);
      const groups = Array.from({ length: 1 + rand(7) }, (_, i) => g(`t${i}`, rand(12)));
      const hidden = hiddenGroups(groups, min, true);
      const what = JSON.stringify({ min, groups, hidden: sorted(hidden) });
      for (const x of groups) if (x.size < min) expect(hidden.has(x.key), what).toBe(true);
      if (hidden.size === 0 || hidden.size === groups.length) continue;
      expect(hidden.size, what).toBeGreaterThanOrEqual(2);
      expect(groups.filter((x) => hidden.has(x.key)).reduce((n, x) => n + x.size, 0), what).toBeGreaterThanOrEqual(min);
      // Only as much is hidden as needed: no shown group is smaller than a hidden one at or over the minimum.
      const shownMin = Math.min(...groups.filter((x) => !hidden.has(x.key)).map((x) => x.size));
      for (const x of groups) if (hidden.has(x.key) && x.size >= min) expect(x.size, what).toBeLessThanOrEqual(shownMin);
    }
  });
});

describe('hidden teams over HTTP', () => {
  // Teams of 5, 4, 3 and 2 people: duo (2) is under the minimum of 3; trio (3), the next
  // smallest, is hidden with it because the org totals are shown beside every team.
  const TEAMS: Record<string, string[]> = {
    platform: ['pat', 'paula', 'pedro', 'piet', 'pia'],
    web: ['wes', 'wanda', 'wim', 'wu'],
    trio: ['tom', 'tara', 'ted'],
    duo: ['dora', 'dan'],
  };
  const HIDDEN = ['duo', 'trio'];
  const SHOWN = ['platform', 'web'];
  let t: TestDb;
  let app: App;
  const q = `from=${at(90).slice(0, 10)}&to=${NOW.slice(0, 10)}`;
  const get = async (path: string): Promise<Json> => {
    const res = await app.request(`${path}${path.includes('?') ? '&' : '?'}${q}`);
    expect(res.status, path).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestDb();
    const org = new OrgBuilder(t.db);
    await org.repo('api');
    const everyone = Object.values(TEAMS).flat();
    for (const l of everyone) await org.person(l);
    for (const [slug, members] of Object.entries(TEAMS)) await org.team(slug, members);
    // Everyone has been around for a year but dan and ted, who joined recently: their
    // teammates' in-depth reviews make dora dan's mentor and tom ted's.
    const newcomers = ['dan', 'ted'];
    for (const l of everyone.filter((l) => !newcomers.includes(l))) await org.pr({ author: l, created: at(400), merged: at(399) });
    // Each person's PRs are reviewed by a teammate and by someone from the next team.
    for (const [i, author] of everyone.entries()) {
      const teammate = Object.values(TEAMS).find((m) => m.includes(author))!.find((l) => l !== author)!;
      const other = everyone[(i + 5) % everyone.length]!;
      for (const d of [60, 30]) {
        const pr = await org.pr({ author, created: at(d), merged: at(d - 1) });
        await org.review(pr, teammate, 'CHANGES_REQUESTED', at(d, 3), { inline: 2 });
        if (other !== author) await org.review(pr, other, 'APPROVED', at(d, 5));
      }
    }
    await deriveAll(t.db, { now: NOW });
    app = createTestApp(t);
  });
  afterAll(async () => t.close());

  it('the teams list shows figures for the teams at or over the minimum and none for duo and trio', async () => {
    const list = await get('/api/teams');
    const bySlug = Object.fromEntries(list.teams.map((x: Json) => [x.slug, x]));
    for (const slug of SHOWN) expect(bySlug[slug].totals, slug).toMatchObject({ prs: expect.any(Number), reviews: expect.any(Number) });
    for (const slug of HIDDEN) expect(bySlug[slug], slug).toMatchObject({ totals: null, suppressed: expect.any(String) });
    expect(bySlug.duo.suppressed).toContain('2 members');
    expect(bySlug.trio.suppressed).toContain('worked out from the total');
  });

  it('the review matrix has rows and columns only for the shown teams and lists duo and trio as left out', async () => {
    const m = await get('/api/review-matrix');
    expect(m.teams.map((x: Json) => x.slug).sort()).toEqual(SHOWN);
    expect(m.matrix).toHaveLength(SHOWN.length);
    for (const row of m.matrix) expect(row).toHaveLength(SHOWN.length);
    expect(m.suppressed.map((x: Json) => x.slug).sort()).toEqual(HIDDEN);
    expect(m.matrix.flat().reduce((n: number, v: number) => n + v, 0)).toBeGreaterThan(0);
  });

  it.each(HIDDEN)('the overview, reviews, team page and brief filtered to %s show no review figures, tiers or findings', async (slug) => {
    const overview = await get(`/api/overview?team=${slug}`);
    expect(overview).toMatchObject({ reviews: null, tiers: null, findings: [], suppressed: expect.any(String) });
    const reviews = await get(`/api/reviews?team=${slug}`);
    expect(reviews).toMatchObject({ reviews: null, distribution: null, pendingRequests: null, suppressed: expect.any(String) });
    const page = await get(`/api/teams/${slug}`);
    expect(page).toMatchObject({ members: [], reviews: null, tiers: null, mentoring: null, findings: [], suppressed: expect.any(String) });
    const brief = await get(`/api/brief?team=${slug}`);
    expect(brief).toMatchObject({ goingWell: [], needsGuidance: [], changes: [], suppressed: expect.any(String) });
  });

  it.each(HIDDEN)("the overview filtered to %s shows none of the team's mentoring figures, as its team page does not", async (slug) => {
    const overview = await get(`/api/overview?team=${slug}`);
    const page = await get(`/api/teams/${slug}`);
    expect(page.mentoring).toBeNull();
    // A check of the check: the team does have a mentoring pair, seen in the org's figures.
    const members = TEAMS[slug]!;
    expect((await get('/api/overview')).mentoring.edges.filter((e: Json) => members.includes(e.mentee)).length).toBeGreaterThan(0);
    const shown = overview.mentoring === null ? [] : [...overview.mentoring.edges, ...overview.mentoring.newcomers, ...overview.mentoring.gaps];
    expect(shown).toEqual([]);
  });

  it('the shown teams still show their figures when filtered to', async () => {
    for (const slug of SHOWN) {
      const overview = await get(`/api/overview?team=${slug}`);
      expect(overview.suppressed, slug).toBeNull();
      expect(overview.reviews.prs, slug).toBeGreaterThan(0);
    }
  });
});
