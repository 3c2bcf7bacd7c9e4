import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import type { TestDb } from './harness.ts';
import { createTestOrg, NOW, at, type OrgBuilder } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { pickerWindows, prepareMissingReports, prepareReports } from '../jobs/derive/reports.prepare.ts';
import { buildReport, type Report, type ReportFilter } from '../server/signals/report.ts';
import { readDeriveState } from '../server/signals/history.ts';
import { PERIODS, windowOf } from '../web/src/lib/periods.ts';

// After a derive the job makes the period picker's reports and stores them; a serving process
// (another connection: its own memory, as serve beside a worker has) reads them instead of
// analysing the window, and gets exactly the report it would have made.

let t: TestDb;
let org: OrgBuilder;
const opened: Db[] = [];
/** A connection of its own, as another process would open the database. */
const another = async () => {
  const db = await connectDatabase(t.config);
  opened.push(db);
  return db;
};

beforeEach(async () => {
  ({ t, org } = await createTestOrg());
  for (const l of ['senior', 'newbie', 'peer']) await org.person(l);
  await org.team('core', ['senior', 'newbie']);
  for (let d = 200; d > 3; d -= 9) {
    const pr = await org.pr({ author: d % 2 ? 'newbie' : 'peer', created: at(d), merged: at(d - 1) });
    await org.review(pr, 'senior', d % 3 ? 'APPROVED' : 'CHANGES_REQUESTED', at(d, 5), { inline: d % 4 });
  }
  await deriveAll(t.db, { now: NOW });
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  await t.close();
});

/** Each picker window the dashboard can open that lies in the synced history, with its report made the usual way. */
async function madeHere(db: Db): Promise<{ filter: ReportFilter; report: Report }[]> {
  const out: { filter: ReportFilter; report: Report }[] = [];
  for (const filter of pickerWindows(NOW, ['core'])) {
    const report = await buildReport(db, filter).catch(() => null);
    if (report) out.push({ filter, report });
  }
  return out;
}

it('makes the windows the dashboard’s period picker asks for', () => {
  const want = PERIODS.flatMap((p) => {
    const w = windowOf({ period: p.value, to: '', team: 'core', repo: '' }, NOW);
    return [w.query, w.previous];
  });
  expect(pickerWindows(NOW, ['core']).filter((f) => f.team)).toEqual(want);
});

it('serves the picker’s windows from the reports the job stored, equal to the ones it would make', async () => {
  const expected = await madeHere(await another());
  // The org and team core, 4 periods each, with the previous windows that reach into the history.
  expect(expected.map((e) => `${e.filter.team ?? 'org'} ${e.filter.from}`)).toHaveLength(14);
  expect(expected[0]!.report.reviews.prs, 'PRs in the org’s 4 weeks').toBeGreaterThan(0);

  const made = await prepareReports(await another());
  expect(made.reports).toBe(14);

  // With the week packs gone, a report made now would count nothing: what comes back is the stored one.
  await t.db.deleteFrom('signal_week_packs').execute();
  const reader = await another();
  for (const { filter, report } of expected) expect(await buildReport(reader, filter), `${filter.team ?? 'org'} ${filter.from}`).toEqual(report);
  // A window the picker does not open is analysed as always: from no packs, no PRs.
  expect((await buildReport(reader, { from: '2026-03-02', to: '2026-05-20' })).reviews.prs).toBe(0);
});

it('never serves a stored report after the next derive, and keeps only that derive’s', async () => {
  await prepareReports(await another());
  const before = (await readDeriveState(t.db))!.run;
  const filter = pickerWindows(NOW, [])[0]!;
  const counted = (await buildReport(await another(), filter)).reviews.reviews;
  const pr = await org.pr({ author: 'newbie', created: at(2), merged: at(1) });
  await org.review(pr, 'peer', 'APPROVED', at(1.5));
  await deriveAll(t.db, { now: NOW });

  const fresh = await buildReport(await another(), filter);
  expect(fresh.reviews.reviews, 'the new review counted, not the stored report of the run before').toBe(counted + 1);
  await prepareReports(await another());
  const runs = await t.db.selectFrom('signal_reports').select('run').distinct().execute();
  expect(runs.map((r) => r.run)).toEqual([(await readDeriveState(t.db))!.run]);
  expect(runs[0]!.run).not.toBe(before);
  expect((await buildReport(await another(), filter)).reviews).toEqual(fresh.reviews);
});

it('makes them when a worker starts on a database whose derive has none, and only then', async () => {
  // As a database derived by an older Guidepost: signals, and no reports made ahead.
  expect(await t.db.selectFrom('signal_reports').select('key').execute()).toEqual([]);
  await prepareMissingReports(await another());
  const made = await t.db.selectFrom('signal_reports').select(['key', 'body']).orderBy('key').execute();
  expect(made).toHaveLength(14);
  await t.db.deleteFrom('signal_reports').where('key', '=', made[0]!.key).execute();
  await prepareMissingReports(await another());
  expect(await t.db.selectFrom('signal_reports').select('key').execute(), 'the run already has reports: none made again').toHaveLength(13);
});
