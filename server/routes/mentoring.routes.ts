import { Hono } from 'hono';
import type { AppEnv } from '../app.ts';
import { buildReport } from '../report.ts';
import { filterQuery } from './filters.ts';

/** Who mentors whom (the graph), newcomers' first months and the gaps, each with its reason. */
export function mentoringRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const report = await buildReport(db, c.req.valid('query'));
    return c.json({ from: report.from, to: report.to, team: report.team, repo: report.repo, ...report.mentoring });
  });
}
