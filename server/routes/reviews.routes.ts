import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildReport } from '../signals/report.ts';
import { teamGuard } from '../signals/privacy.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';

/** Review participation for the window: aggregates, pending requests and the load distribution. */
export function reviewsRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const settings = await readSettings(db);
    const report = await buildReport(db, c.req.valid('query'), { settings });
    const guard = await teamGuard(db, report.team, report.teamName, settings);
    const head = { from: report.from, to: report.to, asOf: report.asOf, group: report.group };
    if (guard) return c.json({ ...head, suppressed: guard, reviews: null, distribution: null, pendingRequests: null });
    // How many reviewers gave 1, 2–5, 6–20, 21+ reviews: the shape of the load without names.
    const buckets = { '1': 0, '2-5': 0, '6-20': 0, '21+': 0 };
    for (const p of report.people) {
      const n = p.reviewsGiven;
      if (n === 0) continue;
      buckets[n === 1 ? '1' : n <= 5 ? '2-5' : n <= 20 ? '6-20' : '21+']++;
    }
    return c.json({ ...head, suppressed: null, reviews: report.reviews, distribution: buckets, pendingRequests: report.reviews.pendingRequests });
  });
}
