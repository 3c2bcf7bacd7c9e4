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
