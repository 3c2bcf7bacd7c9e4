import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildBrief } from '../signals/brief.ts';
import { filterQuery } from './filters.ts';

/** The one-page brief for people outside engineering, for the dashboard's period and scope. */
export function briefRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    return c.json(await buildBrief(db, c.req.valid('query')));
  });
}
