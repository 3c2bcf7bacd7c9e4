import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { readSettings, updateSettings } from '../settings.ts';
import { resolveFilter } from '../signals/report.ts';
import { deriveAll } from '../../jobs/derive/signals.derive.ts';
import { filterQuery } from './filters.ts';

/** Signal settings; saving them recomputes the signals so every screen agrees with them. */
export function settingsRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      await resolveFilter(db, c.req.valid('query')); // settings take no filter, but a bad one is still a 400
      return c.json(await readSettings(db));
    })
    .put('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new AppError('bad_request', 'The request body must be JSON, e.g. {"menteeLimit": 6}.');
      }
      const settings = await updateSettings(db, body);
      const derived = await deriveAll(db);
      return c.json({ settings, unknownTeamLogins: derived.unknownTeamLogins });
    });
}
