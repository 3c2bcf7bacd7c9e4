import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestDb } from './harness.ts';
import { at, createTestOrg, NOW, OrgBuilder } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { updateSettings } from '../server/settings.ts';
import { agreementStatus } from '../server/signals/agreements.ts';

// Working agreements on two planted orgs under the same targets: in one every agreement is
// met, in the other every one drifts. The expected actuals are worked out by hand from the
// planted rows below, and each equals the figure the overview (or the repo page) shows.

const targets = {
  timeToFirstReview: { hours: 24, percentile: 75 },
  reviewCoverage: { atLeastPercent: 80 },
  prSize: { p75AtMostLines: 100 },
  reviewersPerRepo: { atLeast: 2 },
  // No limit of its own: the mentee limit below (1) is the agreement's.
  menteeLoad: {},
  newcomerMentor: { withinDays: 30 },
};
const window = `from=${at(90).slice(0, 10)}&to=${NOW.slice(0, 10)}`;

interface Agreement {
  key: string;
  status: string;
  actual: number | null;
  drift: string | null;
  repos: string[];
  formula: string;
  target: string;
}

type App = ReturnType<typeof createTestApp>;
async function get(app: App, path: string): Promise<any> {
  const res = await app.request(`${path}${path.includes('?') ? '&' : '?'}${window}`);
  expect(res.status, path).toBe(200);
  return res.json();
}
const byKey = (list: Agreement[]) => Object.fromEntries(list.map((a) => [a.key, a]));

/** Old hands (senior since day 400, mid since day 300): their first activity gives them tenure over the newcomers. */
async function oldHands(org: OrgBuilder): Promise<void> {
  await org.repo('web', 2);
  for (const l of ['senior', 'mid', 'newbie', 'newbie2', 'kid']) await org.person(l);
  await org.pr({ author: 'senior', created: at(400), merged: at(399) });
  await org.pr({ author: 'mid', created: at(300), merged: at(299), repo: 2 });
}

async function planted(plant: (org: OrgBuilder) => Promise<void>): Promise<{ t: TestDb; app: App }> {
  const { t, org } = await createTestOrg();
  await oldHands(org);
  await plant(org);
  await updateSettings(t.db, { menteeLimit: 1, agreements: targets });
  await deriveAll(t.db, { now: NOW });
  return { t, app: createTestApp(t) };
}

describe('working agreements, all met', () => {
  let t: TestDb;
  let app: App;
  beforeAll(async () => {
    ({ t, app } = await planted(async (org) => {
      // api (repo 1): newbie's two PRs, reviewed by senior (substantive twice: a mentoring edge from the first day) and mid.
      const p1 = await org.pr({ author: 'newbie', created: at(60), merged: at(58), size: 40 });
      await org.review(p1, 'senior', 'CHANGES_REQUESTED', at(60, 10)); // 10 h
      const p2 = await org.pr({ author: 'newbie', created: at(50), merged: at(48), size: 60 });
      await org.review(p2, 'senior', 'COMMENTED', at(50, 5), { body: 30 }); // 5 h
      await org.review(p2, 'mid', 'APPROVED', at(50, 8));
      // web (repo 2): senior and mid review each other; kid (10 days in) is too new to count for the mentor agreement.
      await org.review(await org.pr({ author: 'senior', created: at(40), merged: at(39), size: 80, repo: 2 }), 'mid', 'APPROVED', at(40, 20)); // 20 h
      await org.review(await org.pr({ author: 'mid', created: at(30), merged: at(29), size: 100, repo: 2 }), 'senior', 'APPROVED', at(30, 2)); // 2 h
      await org.review(await org.pr({ author: 'kid', created: at(10), merged: at(9), size: 20, repo: 2 }), 'mid', 'APPROVED', at(10, 12)); // 12 h
      // Two people: under the smallest group shown (3), so no figure of theirs is shown, agreements included.
      await org.team('duo', ['newbie', 'kid']);
    }));
  });
  afterAll(async () => t.close());

  it('shows every agreement as met, with the figures worked out from the planted rows', async () => {
    const o = await get(app, '/api/overview');
    const a = byKey(o.agreements);
    expect(o.agreements.map((x: Agreement) => x.key)).toEqual(['timeToFirstReview', 'reviewCoverage', 'prSize', 'reviewersPerRepo', 'menteeLoad', 'newcomerMentor']);
    for (const x of o.agreements as Agreement[]) expect(x, x.key).toMatchObject({ status: 'met', drift: null, repos: [] });
    // Hours to first review 2, 5, 10, 12, 20: p75 at position 3 of 0..4 = 12.
    expect(a.timeToFirstReview!.actual).toBe(12);
    // All 5 merged PRs reviewed before the merge.
    expect(a.reviewCoverage!.actual).toBe(100);
    // Sizes 20, 40, 60, 80, 100: p75 = 80.
    expect(a.prSize!.actual).toBe(80);
    // api: senior and mid; web: mid and senior.
    expect(a.reviewersPerRepo!.actual).toBe(2);
    // One edge, senior → newbie (mid's one approval is not substantive).
    expect(a.menteeLoad!.actual).toBe(1);
    expect(a.menteeLoad!.target).toBe('at most 1 mentee per mentor');
    // newbie is 60 days in and had senior's first substantive review on day one; kid is 10 days in.
    expect(a.newcomerMentor!.actual).toBe(1);
  });

  it('states the same numbers as the overview tiles and the repo pages', async () => {
    const o = await get(app, '/api/overview');
    const a = byKey(o.agreements);
    expect(a.timeToFirstReview!.actual).toBe(o.reviews.timeToFirstReviewHours.p75);
    expect(a.reviewCoverage!.actual).toBe(o.reviews.coverage * 100);
    expect(a.prSize!.actual).toBe(o.reviews.prSizeP75Lines);
    const api = await get(app, '/api/repos/acme/api');
    const web = await get(app, '/api/repos/acme/web');
    expect(a.reviewersPerRepo!.actual).toBe(Math.min(api.reviews.activeReviewers, web.reviews.activeReviewers));
    expect(o.mentoring.edges.map((e: { mentor: string; mentee: string }) => `${e.mentor}>${e.mentee}`)).toEqual(['senior>newbie']);
  });

  it('serves each agreement formula with the targets filled in, the same text as GET /api/formulas', async () => {
    const o = await get(app, '/api/overview');
    const { formulas } = await get(app, '/api/formulas');
    const a = byKey(o.agreements);
    expect(a.timeToFirstReview!.formula).toBe(formulas.agreementTimeToFirstReview);
    expect(formulas.agreementTimeToFirstReview).toContain('p75');
    expect(formulas.agreementTimeToFirstReview).toContain('at most 24 hours');
    expect(formulas.agreementReviewCoverage).toContain('at least 80%');
    expect(formulas.agreementPrSize).toContain('at most 100 lines');
    expect(formulas.agreementReviewersPerRepo).toContain('at least 2 different people');
    expect(formulas.agreementMenteeLoad).toContain('at most 1 (the mentee limit)');
    expect(formulas.agreementNewcomerMentor).toContain('within 30 days');
    expect(a.newcomerMentor!.formula).toBe(formulas.agreementNewcomerMentor);
  });

  it('shows no agreements for a team too small to show, as it shows none of its figures', async () => {
    const duo = await get(app, '/api/overview?team=duo');
    expect(duo).toMatchObject({ reviews: null, agreements: null, suppressed: expect.any(String) });
    expect(await agreementStatus(t.db, { from: at(90).slice(0, 10), to: NOW.slice(0, 10), team: 'duo' })).toBeNull();
  });

  it('gives other surfaces (the digest) the same list as the overview', async () => {
    const o = await get(app, '/api/overview');
    expect(await agreementStatus(t.db, { from: at(90).slice(0, 10), to: NOW.slice(0, 10) })).toEqual(o.agreements);
  });

  it('shows no data for a window with nothing in it, and only the agreements that are set', async () => {
    const res = await app.request('/api/overview?from=2025-10-01&to=2025-12-01');
    expect(res.status).toBe(200);
    const empty = (await res.json()) as { agreements: Agreement[] };
    expect(empty.agreements).toHaveLength(6);
    for (const x of empty.agreements) expect(x, x.key).toMatchObject({ status: 'no data', actual: null });
    await updateSettings(t.db, { agreements: { prSize: { p75AtMostLines: 100 } } });
    expect((await get(app, '/api/overview')).agreements.map((x: Agreement) => x.key)).toEqual(['prSize']);
    await updateSettings(t.db, { agreements: {} });
    expect((await get(app, '/api/overview')).agreements).toEqual([]);
    await updateSettings(t.db, { agreements: targets });
  });
});

describe('working agreements, all drifting', () => {
  let t: TestDb;
  let app: App;
  beforeAll(async () => {
    ({ t, app } = await planted(async (org) => {
      // api: only senior reviews, slowly, on newbie's big PRs (an edge from day one).
      await org.review(await org.pr({ author: 'newbie', created: at(60), merged: at(58), size: 300 }), 'senior', 'COMMENTED', at(60, 30), { body: 40 }); // 30 h
      await org.review(await org.pr({ author: 'newbie', created: at(50), merged: at(48), size: 250 }), 'senior', 'CHANGES_REQUESTED', at(50, 40)); // 40 h
      // web: newbie2 (70 days in) waits 35 days for senior's first substantive review; two PRs merged unreviewed.
      await org.pr({ author: 'newbie2', created: at(70), merged: at(69), size: 400, repo: 2 });
      await org.review(await org.pr({ author: 'newbie2', created: at(35), merged: at(32), size: 500, repo: 2 }), 'senior', 'CHANGES_REQUESTED', at(35, 50)); // 50 h
      const b5 = await org.pr({ author: 'newbie2', created: at(25), merged: at(23), size: 10, repo: 2 });
      await org.review(b5, 'senior', 'COMMENTED', at(25, 1), { inline: 1 }); // 1 h
      await org.review(b5, 'mid', 'APPROVED', at(25, 3));
      await org.pr({ author: 'mid', created: at(30), merged: at(29), size: 20, repo: 2 });
    }));
  });
  afterAll(async () => t.close());

  it('shows every agreement as drifting, with the figures worked out from the planted rows', async () => {
    const o = await get(app, '/api/overview');
    const a = byKey(o.agreements);
    expect(o.agreements).toHaveLength(6);
    for (const x of o.agreements as Agreement[]) expect(x.status, x.key).toBe('drifting');
    // Hours 1, 30, 40, 50 (the two PRs merged unreviewed wait for no one): p75 at 2.25 = 40 + 0.25 × 10.
    expect(a.timeToFirstReview).toMatchObject({ actual: 42.5, drift: '18.5 h over the target' });
    // 4 of 6 merged PRs reviewed: 66.7%.
    expect(a.reviewCoverage!.actual).toBe(66.7);
    expect(a.reviewCoverage!.drift).toBe('2 merged PRs of 6 had no review');
    // Sizes 10, 20, 250, 300, 400, 500: p75 at 3.75 = 300 + 0.75 × 100.
    expect(a.prSize).toMatchObject({ actual: 375, drift: '275 lines over the target' });
    // api has senior only; web has senior and mid.
    expect(a.reviewersPerRepo).toMatchObject({ actual: 1, repos: ['acme/api'], drift: '1 repository of 2 with fewer than 2 reviewers' });
    // senior mentors newbie and newbie2.
    expect(a.menteeLoad).toMatchObject({ actual: 2, drift: '1 mentor of 1 with more than 1 mentee' });
    // newbie had a mentor on day one, newbie2 only after 35 days: 1 of the 2 due.
    expect(a.newcomerMentor).toMatchObject({ actual: 1, drift: '1 newcomer of 2 without a mentor within 30 days' });
  });

  it('follows the overview filters: filtered to acme/web, whose two reviewers meet it, the repository agreement is met', async () => {
    const o = await get(app, '/api/overview?repo=acme/web');
    const a = byKey(o.agreements);
    expect(a.reviewersPerRepo).toMatchObject({ status: 'met', actual: 2, repos: [] });
    // web's merged PRs: newbie2's three (one unreviewed) and mid's (unreviewed): 2 of 4.
    expect(a.reviewCoverage).toMatchObject({ status: 'drifting', actual: 50 });
    expect(a.reviewCoverage!.actual).toBe(o.reviews.coverage * 100);
  });

  it('names no person: drifting agreements carry counts and repositories only', async () => {
    const o = await get(app, '/api/overview');
    const text = JSON.stringify(o.agreements);
    for (const login of ['senior', 'mid', 'newbie', 'newbie2', 'kid']) expect(text).not.toContain(`"${login}"`);
    expect(text).not.toMatch(/senior|newbie|kid|\bmid\b/);
  });

  it('states the same numbers as the overview tiles and the repo pages', async () => {
    const o = await get(app, '/api/overview');
    const a = byKey(o.agreements);
    expect(a.timeToFirstReview!.actual).toBe(o.reviews.timeToFirstReviewHours.p75);
    expect(a.reviewCoverage!.actual).toBe(Math.round(o.reviews.coverage * 1000) / 10);
    expect(a.prSize!.actual).toBe(o.reviews.prSizeP75Lines);
    expect((await get(app, '/api/repos/acme/api')).reviews.activeReviewers).toBe(1);
    expect((await get(app, '/api/repos/acme/web')).reviews.activeReviewers).toBe(2);
    const mentees = o.mentoring.edges.filter((e: { mentor: string }) => e.mentor === 'senior').length;
    expect(a.menteeLoad!.actual).toBe(mentees);
    expect(o.mentoring.newcomers.map((n: { login: string }) => n.login).sort()).toEqual(['newbie', 'newbie2']);
  });
});
