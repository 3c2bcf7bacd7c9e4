import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TestDb } from './harness.ts';
import { createTestOrg, NOW, at, type OrgBuilder } from './signals.fixture.ts';
import { deriveAll, deriveIncremental } from '../jobs/derive/signals.derive.ts';
import { buildReport, reportJson } from '../server/signals/report.ts';
import { packRows } from '../server/signals/packs.ts';
import { readPacks } from '../server/signals/packs.read.ts';

// After a new day of data, the incremental derive gives the same signals as a full recompute,
// and leaves weeks the new data does not touch alone (but for PRs still waiting, whose wait grows).

let t: TestDb;
let org: OrgBuilder;
beforeEach(async () => { ({ t, org } = await createTestOrg()); });
afterEach(async () => t.close());

const snapshot = async () => ({
  prFacts: await t.db.selectFrom('signal_pr_facts').selectAll().orderBy('pr_id').execute(),
  reviewFacts: await t.db.selectFrom('signal_review_facts').selectAll().orderBy('review_id').execute(),
  weekly: await t.db.selectFrom('signal_weekly').selectAll().orderBy('scope').orderBy('scope_key').orderBy('week').execute(),
  personWeekly: await t.db.selectFrom('signal_person_weekly').selectAll().orderBy('person_id').orderBy('week').execute(),
  people: await t.db.selectFrom('signal_people').selectAll().orderBy('person_id').execute(),
  // The default window as the read model answers it (nothing of it is stored).
  report: reportJson(await buildReport(t.db, { to: NOW })),
  // The week packs window reports read: each week's facts, in any order.
  packs: (await readPacks(t.db, '2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).map((p) => {
    const rows = packRows(p);
    return { week: p.week, prs: rows.prs.sort((a, b) => a.pr_id - b.pr_id), reviews: rows.reviews.sort((a, b) => a.review_id - b.review_id) };
  }),
});

it('matches a full recompute after one more day of reviews and PRs', async () => {
  for (const l of ['senior', 'newbie', 'peer']) await org.person(l);
  await org.team('core', ['senior', 'peer']);
  await org.pr({ author: 'senior', created: at(300), merged: at(299) });
  const old = await org.pr({ author: 'newbie', created: at(20), updated: at(19) });
  await org.review(old, 'senior', 'CHANGES_REQUESTED', at(19), { inline: 1 });
  // Still waiting for a review: its week's time to first review grows by a day, no new data.
  await org.pr({ author: 'peer', created: at(25) });
  const dayBefore = at(1);
  await deriveAll(t.db, { now: dayBefore });
  const before = await t.db.selectFrom('signal_weekly').selectAll().where('week', '<', at(30).slice(0, 10)).execute();

  // The new day: a second review on the old PR (its updated_at moves), a new PR, a merge.
  await org.review(old, 'senior', 'COMMENTED', at(0.5), { body: 30 });
  await t.db.updateTable('pull_requests').set({ updated_at: at(0.4), merged_at: at(0.4), closed_at: at(0.4), state: 'merged' }).where('id', '=', old).execute();
  const fresh = await org.pr({ author: 'peer', created: at(0.8) });
  await org.request(fresh, 'senior', at(0.7));
  await org.review(fresh, 'senior', 'APPROVED', at(0.2));

  await deriveIncremental(t.db, { since: dayBefore, now: NOW });
  const incremental = await snapshot();
  expect(incremental.report.mentoring.edges).toHaveLength(1);
  expect(incremental.packs.map((p) => p.week)).toContain('2026-05-25'); // the new day's week
  // Weeks far from the new day were not rewritten.
  expect(await t.db.selectFrom('signal_weekly').selectAll().where('week', '<', at(30).slice(0, 10)).execute()).toEqual(before);

  await deriveAll(t.db, { now: NOW });
  const full = await snapshot();
  expect(incremental).toEqual(full);
  const r = await buildReport(t.db, { to: NOW });
  expect(r.mentoring.edges).toEqual([expect.objectContaining({ mentor: 'senior', mentee: 'newbie', weight: 3 })]);
});
