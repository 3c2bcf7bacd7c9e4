import type { Db } from '../../server/db/connect.ts';
import { AppError } from '../../server/errors.ts';
import { readSettings } from '../../server/settings.ts';
import { reportFor, reportKey, type ReportFilter } from '../../server/signals/report.ts';
import { readDeriveState } from '../../server/signals/history.ts';
import { dayOf, periodDays, PERIOD_WEEKS } from '../../server/signals/periods.ts';
import { reportBytes, storedKey } from '../../server/signals/report.store.ts';

// After a derive, the reports of every window the dashboard's period picker opens (each period
// ending where the synced data ends, and the overview's previous window), for the org and for
// each team, are made here, in the job, and stored (server/signals/report.store.ts). Opening a
// page after a sync is then a row read in the serving process, not an analysis of up to a year
// of a large org's reviews there, while the next sync's work has the other core.

/** Reports made per pass before the event loop gets a turn (a worker's heartbeat must not wait). */
const BATCH = 8;

/** The dashboard's own windows: each period ending where the data ends, and the one before it. */
export function pickerWindows(dataEnd: string, teams: readonly string[]): ReportFilter[] {
  const out: ReportFilter[] = [];
  const to = dayOf(Date.parse(dataEnd));
  for (const team of [undefined, ...teams]) {
    for (const weeks of PERIOD_WEEKS) {
      const w = periodDays(to, weeks);
      out.push({ from: w.fromDay, to: w.toDay, team }, { from: w.prevFromDay, to: w.prevToDay, team });
    }
  }
  return out;
}

/**
 * Makes and stores the picker's reports for the current derive run, and drops those of earlier
 * runs (no key can find them again). A window outside the synced history (a previous window
 * before the first PR) is a 400 for the dashboard too, and is skipped.
 */
export async function prepareReports(db: Db): Promise<{ reports: number; ms: number }> {
  const t0 = performance.now();
  const state = await readDeriveState(db);
  if (!state?.historyTo) return { reports: 0, ms: 0 };
  const settings = await readSettings(db);
  const teams = (await db.selectFrom('signal_teams').select('slug').orderBy('slug').execute()).map((r) => r.slug);
  const rows: { key: string; run: string; body: Buffer }[] = [];
  const seen = new Set<string>();
  const filters = pickerWindows(state.historyTo, teams);
  for (let i = 0; i < filters.length; i++) {
    if (i % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      const keyed = await reportKey(db, filters[i]!, { settings });
      const stored = storedKey(keyed.key);
      if (seen.has(stored)) continue;
      seen.add(stored);
      rows.push({ key: stored, run: state.run, body: reportBytes(await reportFor(db, keyed)) });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'bad_request')) throw err;
    }
  }
  await db.transaction().execute(async (trx) => {
    // A derive that landed meanwhile makes its own; these would never be read.
    if ((await readDeriveState(trx))?.run !== state.run) return;
    await trx.deleteFrom('signal_reports').where('run', '<>', state.run).execute();
    for (const row of rows) await trx.insertInto('signal_reports').values(row).onConflict((oc) => oc.column('key').doUpdateSet({ run: row.run, body: row.body })).execute();
  });
  return { reports: rows.length, ms: performance.now() - t0 };
}

/** Makes them when the current derive has none: a database derived by an older Guidepost, or a job stopped before it made them. */
export async function prepareMissingReports(db: Db): Promise<{ reports: number; ms: number }> {
  const state = await readDeriveState(db);
  if (!state?.historyTo) return { reports: 0, ms: 0 };
  const made = await db.selectFrom('signal_reports').select('key').where('run', '=', state.run).limit(1).executeTakeFirst();
  return made ? { reports: 0, ms: 0 } : prepareReports(db);
}

/**
 * prepareReports (or prepareMissingReports) where a failure is a warning, worded the same for
 * every caller: the derive's signals are committed by then, and a page makes any report that
 * was not made ahead, so nothing is lost and no derive needs running again.
 */
export async function prepareReportsOrWarn(db: Db, warn: (err: unknown, message: string) => void, make: (db: Db) => Promise<{ reports: number; ms: number }> = prepareReports): Promise<{ reports: number; ms: number } | null> {
  try {
    return await make(db);
  } catch (err) {
    warn(err, "making the period picker's reports failed; each page makes its own");
    return null;
  }
}
