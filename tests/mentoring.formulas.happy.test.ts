import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDb } from './harness.ts';
import { createTestOrg, NOW, at, type OrgBuilder } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { buildReport } from '../server/signals/report.ts';

// Mentoring edges, newcomers and gaps on hand-made histories (DESIGN.md "Signals").

let t: TestDb;
let org: OrgBuilder;
beforeEach(async () => { ({ t, org } = await createTestOrg()); });
afterEach(async () => t.close());

const report = async () => {
  await deriveAll(t.db, { now: NOW });
  return buildReport(t.db, { to: NOW });
};

/** A person whose first activity (a PR) is `daysAgo` days before NOW. */
async function joined(login: string, daysAgo: number) {
  await org.person(login);
  await org.pr({ author: login, created: at(daysAgo), merged: at(daysAgo - 0.5) });
}

describe('mentoring edges', () => {
  it('needs 2 substantive reviews and a tenure gap of at least 180 days; weight adds inline comments', async () => {
    await joined('senior', 400);
    await joined('peer', 230); // 170 days more than the newcomer: a peer, not a mentor
    await joined('newbie', 60);
    const p1 = await org.pr({ author: 'newbie', created: at(30) });
    const p2 = await org.pr({ author: 'newbie', created: at(20) });
    await org.review(p1, 'senior', 'CHANGES_REQUESTED', at(29));
    await org.review(p2, 'senior', 'COMMENTED', at(19), { inline: 3 });
    await org.review(p2, 'senior', 'APPROVED', at(18)); // silent approval: not substantive
    await org.review(p1, 'peer', 'COMMENTED', at(29), { body: 40 });
    await org.review(p2, 'peer', 'COMMENTED', at(19), { body: 40 });
    const r = await report();
    expect(r.mentoring.edges).toEqual([
      expect.objectContaining({ mentor: 'senior', mentee: 'newbie', weight: 2 + 3, substantiveReviews: 2, inlineComments: 3, tenureGapDays: 340, firstAt: at(29), lastAt: at(19) }),
    ]);
    const n = r.mentoring.newcomers.find((x) => x.login === 'newbie')!;
    expect(n.mentors).toEqual(['senior']);
    expect(n.distinctReviewers).toBe(2);
  });

  it('one substantive review is not enough for an edge', async () => {
    await joined('senior', 400);
    await joined('newbie', 60);
    await org.review(await org.pr({ author: 'newbie', created: at(30) }), 'senior', 'CHANGES_REQUESTED', at(29));
    const r = await report();
    expect(r.mentoring.edges).toEqual([]);
    expect(r.mentoring.newcomersWithoutMentor).toEqual(['newbie']);
  });

  it('a mentor with more mentees than the limit (5) is overloaded and named as a gap', async () => {
    await joined('senior', 500);
    for (let i = 0; i < 6; i++) {
      await joined(`new${i}`, 50);
      for (const d of [40, 30]) await org.review(await org.pr({ author: `new${i}`, created: at(d) }), 'senior', 'COMMENTED', at(d - 1), { body: 10 });
    }
    const r = await report();
    expect(r.mentoring.overloadedMentors).toEqual(['senior']);
    expect(r.mentoring.gaps).toContainEqual({ kind: 'mentor_over_limit', login: 'senior', reason: 'mentors 6 people in this period; the limit is 5', figures: { mentees: 6, limit: 5 } });
  });
});

describe('newcomers', () => {
  it('a newcomer’s first PR is within the 90 days before the window end', async () => {
    await joined('inside', 89);
    await joined('outside', 91);
    await org.person('commenter');
    await org.comment(await org.pr({ author: 'inside', created: at(10) }), 'commenter', at(9)); // no PR: not a newcomer
    const r = await report();
    expect(r.mentoring.newcomers.map((n) => n.login)).toEqual(['inside']);
  });

  it('a newcomer reviewed only by peers with silent approvals has no mentor, and the reason says why', async () => {
    await joined('peer', 100);
    await org.person('newbie');
    const p1 = await org.pr({ author: 'newbie', created: at(30), size: 50 });
    const p2 = await org.pr({ author: 'newbie', created: at(20), size: 50 });
    await org.pr({ author: 'newbie', created: at(10), closed: at(9) });
    await org.review(p1, 'peer', 'APPROVED', at(29));
    await org.review(p2, 'peer', 'APPROVED', at(19));
    const r = await report();
    const n = r.mentoring.newcomers.find((x) => x.login === 'newbie')!;
    expect(n.mentors).toEqual([]);
    expect(n.gaps).toContainEqual({ kind: 'no_mentor', reason: '3 PRs, 2 reviewed, both approved without comment' });
    expect(n.gaps).toContainEqual({ kind: 'rubber_stamped', reason: '2 of 2 reviewed PRs got only approvals without a comment' });
    expect(n.firstPrAt).toBe(at(30));
    expect(n.firstReviewReceivedAt).toBe(at(29));
  });

  it('a newcomer whose PRs wait longer than the org p75 has a slow-review gap', async () => {
    await joined('senior', 400);
    await joined('newbie', 60);
    await org.person('other');
    for (let i = 0; i < 10; i++) await org.review(await org.pr({ author: 'other', created: at(40 - i) }), 'senior', 'COMMENTED', at(40 - i, 1), { body: 3 });
    await org.review(await org.pr({ author: 'newbie', created: at(30) }), 'senior', 'COMMENTED', at(30, 50), { body: 3 });
    await org.pr({ author: 'newbie', created: at(5) }); // still waiting: 120 h so far
    const r = await report();
    const gap = r.mentoring.gaps.find((g) => g.kind === 'slow_first_review' && g.login === 'newbie');
    expect(gap?.reason).toBe('their 2 PRs waited a median of 3.5 days for a first review (1 still waiting); 3 in 4 PRs of the org got one within 1 h');
    expect(r.mentoring.gaps.some((g) => g.kind === 'slow_first_review' && g.login === 'other')).toBe(false);
  });
});

describe('load carriers and tiers', () => {
  it('a reviewer with ≥ 3× the mean reviews given carries the load', async () => {
    for (const l of ['a', 'b', 'c', 'd', 'e', 'f', 'author']) await org.person(l);
    // Loads: a 20, others 1 each → mean 25/6 ≈ 4.2; 20 ≥ 12.5.
    for (let i = 0; i < 20; i++) await org.review(await org.pr({ author: 'author', created: at(30) }), 'a', 'COMMENTED', at(29), { body: 1 });
    for (const l of ['b', 'c', 'd', 'e', 'f']) await org.review(await org.pr({ author: 'author', created: at(30) }), l, 'COMMENTED', at(29), { body: 1 });
    const r = await report();
    expect(r.reviews.loadCarriers).toEqual(['a']);
    // Activity: author 25 PRs, a 20 reviews, b..f 1 each (total 50). A person's tier is where
    // their share starts: a at 50% → core; b at 90% → regular; e at 96% → casual.
    const tier = (l: string) => r.people.find((p) => p.login === l)?.tier;
    expect([tier('author'), tier('a'), tier('b'), tier('d'), tier('e'), tier('f')]).toEqual(['core', 'core', 'regular', 'regular', 'casual', 'casual']);
  });
});
