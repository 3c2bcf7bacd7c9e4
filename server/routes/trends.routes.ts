import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { weeklyTrends } from '../signals/trends.ts';
import { filterQuery } from './filters.ts';

/** Weekly series (ISO weeks, UTC) of every review signal for the org, one team or one repo. */
export function trendsRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => c.json(await weeklyTrends(c.get('deps').db, c.req.valid('query'))));
}
