import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { listPeople, personPage } from '../signals/people.ts';
import { filterQuery } from './filters.ts';

// People appear on their own page, reached on purpose, and in an alphabetical list; never as
// a leaderboard (DESIGN.md "Privacy by default").

export function peopleRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => c.json(await listPeople(c.get('deps').db, c.req.valid('query'))))
    .get('/:login', filterQuery, async (c) => c.json(await personPage(c.get('deps').db, c.req.param('login'), c.req.valid('query'))));
}
