import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDb } from './harness.ts';
import { createTestOrg, NOW, at, type OrgBuilder } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { buildReport } from '../server/signals/report.ts';
import { gini, quantiles } from '../server/signals/gini.ts';

// Each formula pinned on a tiny hand-made org in a real migrated database.

let t: TestDb;
let org: OrgBuilder;
beforeEach(async () => { ({ t, org } = await createTestOrg()); });
afterEach(async () => t.close());

const report = async (extra: { from?: string } = {}) => {
  await deriveAll(t.db, { now: NOW });
  return buildReport(t.db, { to: NOW, ...extra });
};

describe('review load', () => {
  it('Gini of reviews given is 1/3 for loads 1, 1, 4 and 0 when even', async () => {
    for (const l of ['a', 'b', 'c', 'd']) await org.person(l);
    const loads: [string, number][] = [['a', 1], ['b', 1], ['c', 4]];
    for (const [who, n] of loads) for (let i = 0; i < n; i++) await org.review(await org.pr({ author: 'd', created: at(10) }), who, 'COMMENTED', at(9), { body: 5 });
    const r = await report();
    expect(r.reviews.gini).toBeCloseTo(1 / 3, 3);
    expect(gini([2, 2, 2])).toBe(0);
    expect(r.reviews.activeReviewers).toBe(3);
  });

  it('sharing index = (1 − Gini of reviews received per author) × active ÷ available reviewers', async () => {
    for (const l of ['a', 'b', 'c', 'd']) await org.person(l);
    // a reviews everything; b, c, d author. Received: b 2, c 1, d 1 → Gini 1/6 (sorted 1,1,2).
    for (const [author, n] of [['b', 2], ['c', 1], ['d', 1]] as const) {
      for (let i = 0; i < n; i++) await org.review(await org.pr({ author, created: at(10) }), 'a', 'APPROVED', at(9));
    }
    const r = await report();
    // 1 active reviewer of 4 available people.
    expect(r.reviews.sharingIndex).toBeCloseTo((1 - 1 / 6) * (1 / 4), 3);
  });
});

describe('quantiles', () => {
  it('interpolate between ranks as numpy does by default (type 7)', () => {
    expect(quantiles([4, 1, 3, 2], [0.5, 0.75, 0.9])).toEqual([2.5, 3.25, 3.7]);
    expect(quantiles([7], [0, 0.5, 1])).toEqual([7, 7, 7]);
    expect(quantiles([], [0.5])).toEqual([null]);
  });

  it('equal what sorting gives, for lists long enough to take the sampled selection, with ties', () => {
    // Type 7 from the sorted list, written out: the reference the selection must match exactly.
    const sorted = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const pos = (s.length - 1) * q;
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [2, 3, 10, 601, 5000, 30_001]) {
      const xs = Array.from({ length: n }, () => Math.round(random() * 400) / 4);
      const qs = [0, 0.1, 0.5, 0.75, 0.9, 1];
      expect(quantiles(xs, qs)).toEqual(qs.map((q) => sorted(xs, q)));
    }
  });
});

describe('review clock', () => {
  it('starts at the first review request, else ready-for-review, else creation', async () => {
    for (const l of ['author', 'rev']) await org.person(l);
    const requested = await org.pr({ author: 'author', created: at(20), ready: at(19) });
    await org.request(requested, 'rev', at(18));
    await org.request(requested, 'rev', at(17));
    await org.review(requested, 'rev', 'COMMENTED', at(18, 2), { body: 3 }); // 2 h after first request
    const ready = await org.pr({ author: 'author', created: at(20), ready: at(19) });
    await org.review(ready, 'rev', 'COMMENTED', at(19, 4), { body: 3 }); // 4 h after ready
    const created = await org.pr({ author: 'author', created: at(20) });
    await org.review(created, 'rev', 'COMMENTED', at(20, 6), { body: 3 }); // 6 h after creation
    const r = await report();
    expect(r.reviews.timeToFirstReviewHours.median).toBe(4);
    const after = await t.db.selectFrom('signal_pr_facts').select(['pr_id', 'clock_source']).orderBy('pr_id').execute();
    expect(after.map((f) => f.clock_source)).toEqual(['requested', 'ready', 'created']);
  });

  it('counts a review comment by someone else as the first review, but not the author’s own', async () => {
    for (const l of ['author', 'rev']) await org.person(l);
    const pr = await org.pr({ author: 'author', created: at(5) });
    await org.review(pr, 'author', 'COMMENTED', at(5, 1), { body: 3 });
    await t.db.insertInto('review_comments').values({ id: 1, pull_request_id: pr, review_id: null, author_id: org.id('rev'), body_length: 4, created_at: at(5, 3) }).execute();
    const r = await report();
    expect(r.reviews.timeToFirstReviewHours.median).toBe(3);
  });

  it('counts PRs still waiting as waiting (time so far), not as missing', async () => {
    for (const l of ['author', 'rev']) await org.person(l);
    for (const h of [1, 2]) {
      const pr = await org.pr({ author: 'author', created: at(10) });
      await org.review(pr, 'rev', 'APPROVED', at(10, h));
    }
    await org.pr({ author: 'author', created: at(10) }); // open, waiting 240 h at NOW
    await org.pr({ author: 'author', created: at(10), closed: at(9) }); // closed unreviewed: not waiting
    const r = await report();
    expect(r.reviews.waiting).toBe(1);
    expect(r.reviews.timeToFirstReviewHours.median).toBe(2); // of 1, 2, 240
    expect(r.reviews.timeToFirstReviewHours.p90).toBeCloseTo(2 + 0.8 * 238, 5);
  });
});

describe('coverage and rubber stamps', () => {
  it('coverage = merged PRs with a non-author review before merge ÷ merged PRs', async () => {
    for (const l of ['author', 'rev', 'dependabot[bot]']) await org.person(l);
    const reviewed = await org.pr({ author: 'author', created: at(10), merged: at(8) });
    await org.review(reviewed, 'rev', 'APPROVED', at(9));
    const late = await org.pr({ author: 'author', created: at(10), merged: at(8) });
    await org.review(late, 'rev', 'APPROVED', at(7)); // after merge
    const botOnly = await org.pr({ author: 'author', created: at(10), merged: at(8) });
    await org.review(botOnly, 'dependabot[bot]', 'APPROVED', at(9));
    await org.pr({ author: 'author', created: at(10), merged: at(8) });
    const r = await report();
    expect(r.reviews.merged).toBe(4);
    expect(r.reviews.mergedWithoutReview).toBe(3);
    expect(r.reviews.coverage).toBe(0.25);
  });

  it('a rubber stamp is a silent approval on a PR over 200 changed lines', async () => {
    for (const l of ['author', 'rev']) await org.person(l);
    const cases: [number, number, number, boolean][] = [
      // size, body, inline, stamp?
      [201, 0, 0, true],
      [200, 0, 0, false],
      [500, 12, 0, false],
      [500, 0, 1, false],
      [900, 0, 0, true],
      [300, 0, 0, true],
    ];
    for (const [size, body, inline] of cases) await org.review(await org.pr({ author: 'author', created: at(10), size }), 'rev', 'APPROVED', at(9), { body, inline });
    const r = await report();
    const rev = r.people.find((p) => p.login === 'rev')!;
    expect(rev.rubberStamps).toBe(cases.filter((c) => c[3]).length);
    expect(rev.substantiveReviewsGiven).toBe(2);
    // 3 stamps of 6 approvals = 50%: a rubber-stamper by the shared definition.
    expect(r.reviews.rubberStampers).toEqual(['rev']);
  });

  it('bots, the ghost user and excluded people never count', async () => {
    for (const l of ['author', 'rev', 'renovate[bot]', 'left']) await org.person(l);
    await org.person('ghost', { ghost: true });
    await t.db.insertInto('settings').values({ key: 'signals', value: JSON.stringify({ excludedLogins: ['left'] }), updated_at: NOW }).execute();
    const pr = await org.pr({ author: 'author', created: at(10) });
    await org.review(pr, 'ghost', 'APPROVED', at(9));
    await org.review(pr, 'left', 'APPROVED', at(9));
    await org.review(await org.pr({ author: 'renovate[bot]', created: at(10) }), 'rev', 'APPROVED', at(9));
    const r = await report();
    expect(r.reviews.reviews).toBe(0);
    expect(r.people.map((p) => p.login)).toEqual(['author']);
  });
});
