import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildReport } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';
import { groupGuard } from '../signals/privacy.ts';
import { FORMULAS } from './trends.routes.ts';

/** Review participation for the window: aggregates, pending requests and the load distribution. */
export function reviewsRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const settings = await readSettings(db);
    const report = await buildReport(db, c.req.valid('query'), { settings });
    const guard = await groupGuard(db, report.team, settings);
    if (guard) return c.json({ from: report.from, to: report.to, suppressed: guard, reviews: null, distribution: null, pendingRequests: null, formulas: FORMULAS });
    // How many reviewers gave 1, 2–5, 6–20, 21+ reviews: the shape of the load without names.
    const buckets = { '1': 0, '2-5': 0, '6-20': 0, '21+': 0 };
    for (const p of report.people) {
      const n = p.reviewsGiven;
      if (n === 0) continue;
      buckets[n === 1 ? '1' : n <= 5 ? '2-5' : n <= 20 ? '6-20' : '21+']++;
    }
    const pending = await db
      .selectFrom('review_requests')
      .innerJoin('pull_requests', 'pull_requests.id', 'review_requests.pull_request_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pull_requests.state', '=', 'open')
      .where('review_requests.reviewer_id', 'is not', null)
      .executeTakeFirst();
    return c.json({ from: report.from, to: report.to, suppressed: null, reviews: report.reviews, distribution: buckets, pendingRequests: Number(pending?.n ?? 0), formulas: FORMULAS });
  });
}
