import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildReport, reportJson } from '../signals/report.ts';
import { teamGuard } from '../signals/privacy.ts';
import { readSettings } from '../settings.ts';
import { agreementsOf } from '../signals/agreements.ts';
import { filterQuery } from './filters.ts';

/** The leader's first screen: aggregates and findings; no per-person list (privacy by default). */
export function overviewRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const settings = await readSettings(db);
    const report = await buildReport(db, c.req.valid('query'), { settings });
    const guard = await teamGuard(db, report.team, report.teamName, settings);
    const { people: _people, ...rest } = reportJson(report);
    if (guard) return c.json({ ...rest, reviews: null, tiers: null, mentoring: null, findings: [], agreements: null, suppressed: guard });
    // The team's working agreements against the same report's figures.
    return c.json({ ...rest, agreements: await agreementsOf(db, report, settings), suppressed: null });
  });
}
