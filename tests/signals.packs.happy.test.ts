import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestDb } from './harness.ts';
import { createTestOrg, NOW, at, type OrgBuilder } from './signals.fixture.ts';
import { deriveAll, deriveIncremental } from '../jobs/derive/signals.derive.ts';
import { buildReport } from '../server/signals/report.ts';
import { packRows } from '../server/signals/packs.ts';
import { readPacks } from '../server/signals/packs.read.ts';
import { ensurePacks } from '../jobs/derive/packs.write.ts';
import { activityByRepo, reviewsByPair } from '../server/signals/activity.ts';

// Window reports read the week packs (each week's facts packed column by column), not the fact
// tables: the packs must hold every fact exactly as the fact tables do, and a database derived
// before packs existed must report the same once it is upgraded. The helpers other stages may
// use to count from the packs count as SQL over the fact tables would.

let t: TestDb;
let org: OrgBuilder;
beforeEach(async () => {
  ({ t, org } = await createTestOrg());
  for (const l of ['senior', 'newbie', 'peer']) await org.person(l);
  await org.team('core', ['senior', 'peer']);
  await org.pr({ author: 'senior', created: at(300), merged: at(299) });
  await org.pr({ author: 'newbie', created: at(60), merged: at(59) });
});
afterEach(async () => t.close());

/** Every fact row the packs hold, once per PR and review, as the fact tables order them. */
async function packedFacts() {
  const prs = new Map<number, unknown>();
  const reviews = new Map<number, unknown>();
  for (const p of await readPacks(t.db, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')) {
    const rows = packRows(p);
    for (const r of rows.prs) prs.set(r.pr_id, r);
    for (const r of rows.reviews) reviews.set(r.review_id, r);
  }
  return { prs: [...prs].sort((a, b) => a[0] - b[0]).map(([, r]) => r), reviews: [...reviews].sort((a, b) => a[0] - b[0]).map(([, r]) => r) };
}

it('keeps every fact as stored, times not in GitHub’s form included', async () => {
  const pr = await org.pr({ author: 'newbie', created: at(20), merged: at(18) });
  await org.review(pr, 'senior', 'CHANGES_REQUESTED', at(19), { inline: 2 });
  // Milliseconds and an offset: GitHub never sends these, but a stored time is kept as written.
  await org.review(pr, 'senior', 'COMMENTED', '2026-05-13T10:00:00.250Z', { body: 12 });
  await org.review(pr, 'peer', 'APPROVED', '2026-05-13T12:00:00+00:00');
  await deriveAll(t.db, { now: NOW });

  const packed = await packedFacts();
  expect(packed.prs).toEqual(await t.db.selectFrom('signal_pr_facts').selectAll().orderBy('pr_id').execute());
  expect(packed.reviews).toEqual(await t.db.selectFrom('signal_review_facts').selectAll().orderBy('review_id').execute());
  const r = await buildReport(t.db, { to: NOW });
  expect(r.mentoring.edges).toEqual([expect.objectContaining({ mentor: 'senior', mentee: 'newbie', lastAt: '2026-05-13T10:00:00.250Z' })]);
});

it('reports the same after packing a database derived before packs existed', async () => {
  const pr = await org.pr({ author: 'newbie', created: at(20), merged: at(18) });
  await org.review(pr, 'senior', 'CHANGES_REQUESTED', at(19), { inline: 1 });
  await org.review(pr, 'peer', 'APPROVED', at(18.5));
  await org.pr({ author: 'peer', created: at(5) }); // still waiting
  await deriveAll(t.db, { now: NOW });
  const report = await buildReport(t.db, { to: NOW });

  // What an upgrade from migration 0005 leaves: facts and rollups, no packs.
  await t.db.deleteFrom('signal_week_packs').execute();
  await t.db.deleteFrom('signal_state').where('key', '=', 'packs').execute();
  const otherWindow = { from: at(60).slice(0, 10), to: NOW };
  // Reads never write: the server and the CLI repack at start (server/main.ts), before any read.
  await ensurePacks(t.db);
  expect(await t.db.selectFrom('signal_week_packs').select('week').execute()).not.toHaveLength(0);
  const upgraded = await buildReport(t.db, otherWindow);
  await deriveAll(t.db, { now: NOW });
  expect(upgraded).toEqual(await buildReport(t.db, otherWindow));
  expect(await buildReport(t.db, { to: NOW })).toEqual(report);

  // An incremental derive on an upgraded database patches the packs it finds.
  await t.db.deleteFrom('signal_week_packs').execute();
  await t.db.deleteFrom('signal_state').where('key', '=', 'packs').execute();
  await org.review(pr, 'senior', 'COMMENTED', at(0.5), { body: 9 });
  await deriveIncremental(t.db, { since: at(1), now: NOW });
  const incremental = await packedFacts();
  await deriveAll(t.db, { now: NOW });
  expect(incremental).toEqual(await packedFacts());
});

it('counts who reviewed whom and who was active in which repo as the fact tables do', async () => {
  await org.repo('web', 2);
  const api = await org.pr({ author: 'newbie', created: at(20), merged: at(18) });
  const web = await org.pr({ author: 'peer', created: at(10), repo: 2 });
  await org.review(api, 'senior', 'CHANGES_REQUESTED', at(19), { inline: 2 });
  await org.review(api, 'senior', 'APPROVED', at(18.5));
  await org.review(web, 'senior', 'COMMENTED', at(9), { body: 3 });
  await org.review(web, 'newbie', 'APPROVED', at(40)); // before the window
  await deriveAll(t.db, { now: NOW });
  const [from, to] = [at(30), NOW];

  const pairs = await reviewsByPair(t.db, from, to);
  expect(pairs.sort((a, b) => a.author_id - b.author_id)).toEqual([
    { reviewer_id: org.id('senior'), author_id: org.id('newbie'), n: 2 },
    { reviewer_id: org.id('senior'), author_id: org.id('peer'), n: 1 },
  ]);
  expect(await reviewsByPair(t.db, from, to, 2)).toEqual([{ reviewer_id: org.id('senior'), author_id: org.id('peer'), n: 1 }]);

  const activity = await activityByRepo(t.db, from, to, [1]);
  expect(activity.authored).toEqual([{ person_id: org.id('newbie'), repo_id: 1, n: 1 }]);
  expect(activity.reviewed).toEqual([{ person_id: org.id('senior'), repo_id: 1, n: 2 }]);
});

it('counts who was active in which repo for any window as a count over every fact would, asked again or not', async () => {
  await org.repo('web', 2);
  const people = ['senior', 'newbie', 'peer'];
  // A PR every few days over 120 days in two repos, each reviewed by the two others; one review
  // stored with an offset (a time not in GitHub's form, kept as written), late on a Sunday.
  for (let d = 3; d < 120; d += 2.6) {
    const author = people[Math.floor(d) % 3]!;
    const pr = await org.pr({ author, created: at(d), repo: Math.floor(d) % 2 ? 2 : 1 });
    for (const r of people.filter((p) => p !== author)) await org.review(pr, r, 'COMMENTED', at(d - 0.4), { body: 5 });
  }
  const offset = await org.pr({ author: 'peer', created: at(45) });
  await org.review(offset, 'senior', 'APPROVED', '2026-04-26T23:30:00-03:00');
  await deriveAll(t.db, { now: NOW });

  const prs = await t.db.selectFrom('signal_pr_facts').select(['author_id', 'repo_id', 'created_at']).execute();
  const reviews = await t.db.selectFrom('signal_review_facts').select(['reviewer_id', 'repo_id', 'submitted_at']).execute();
  const counted = (rows: { person: number; repo: number; at: string }[], from: string, to: string, repos?: number[]) => {
    const n = new Map<string, number>();
    for (const r of rows) {
      const ms = Date.parse(r.at);
      if (ms < Date.parse(from) || ms >= Date.parse(to) || (repos && !repos.includes(r.repo))) continue;
      n.set(`${r.person} ${r.repo}`, (n.get(`${r.person} ${r.repo}`) ?? 0) + 1);
    }
    return [...n].sort();
  };
  const asPairs = (xs: { person_id: number; repo_id: number; n: number }[]) => xs.map((x) => [`${x.person_id} ${x.repo_id}`, x.n]).sort();
  const authors = prs.map((p) => ({ person: p.author_id, repo: p.repo_id, at: p.created_at }));
  const reviewers = reviews.map((r) => ({ person: r.reviewer_id, repo: r.repo_id, at: r.submitted_at }));
  expect(reviewers.some((r) => r.at.endsWith('-03:00')), 'the review kept as written').toBe(true);

  // Windows of whole weeks, of part-weeks at either end, one day, and the repo filter; twice
  // each, so counts a first call kept are read by the second. The week of 20 April holds the
  // review kept as written (its text's date), though its instant is on 27 April: counted by
  // its instant, it is outside that whole week.
  const windows: [string, string, number[]?][] = [[at(119), NOW], [at(60), at(10)], ['2026-04-06T00:00:00Z', '2026-05-04T00:00:00Z'], ['2026-04-20T00:00:00Z', '2026-05-04T00:00:00Z', [1]], ['2026-04-20T00:00:00Z', '2026-04-27T00:00:00Z'], [at(33.3), at(32.1)], [at(90), at(30), [2]]];
  for (let round = 0; round < 2; round++) {
    for (const [from, to, repos] of windows) {
      const a = await activityByRepo(t.db, from, to, repos);
      expect(asPairs(a.authored), `PRs opened ${from}…${to} ${repos ?? ''} (call ${round + 1})`).toEqual(counted(authors, from, to, repos));
      expect(asPairs(a.reviewed), `reviews given ${from}…${to} ${repos ?? ''} (call ${round + 1})`).toEqual(counted(reviewers, from, to, repos));
    }
  }
});
