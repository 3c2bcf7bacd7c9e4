import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildReport } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';
import { groupGuard } from '../signals/privacy.ts';

/** The leader's first screen: aggregates and findings; no per-person list (privacy by default). */
export function overviewRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const q = c.req.valid('query');
    const settings = await readSettings(db);
    const report = await buildReport(db, q, { settings });
    const guard = await groupGuard(db, report.team, settings);
    const { people: _people, ...rest } = report;
    if (guard) return c.json({ ...rest, reviews: null, tiers: null, findings: [], suppressed: guard });
    return c.json({ ...rest, suppressed: null });
  });
}
