import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import { readSettings, SettingsSchema, updateSettings, type Settings } from '../settings.ts';
import { DigestSettingsSchema } from '../digest/digest.settings.ts';
import { resolveFilter } from '../signals/filter.ts';
import { validate } from '../middleware/validate.ts';
import { enqueueDeriveSignals } from '../../jobs/derive.enqueue.ts';
import { filterQuery } from './filters.ts';

type Patch<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer I> ? I : T[K]> };

/** The settings' fields, each optional and without its default (zod 4's partial() would fill the defaults in, resetting what the body left out). */
function patchOf<T extends z.ZodRawShape>(shape: T) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape)) fields[key] = z.optional(field instanceof z.ZodDefault ? field.unwrap() : field);
  return z.object(fields as Patch<T>).strict();
}

// The digest's fields are patched one by one too (updateSettings merges them over the stored ones).
const SettingsPatch = patchOf(SettingsSchema.shape).extend({ digest: patchOf(DigestSettingsSchema.shape).optional() });

/**
 * Team members named in settings who are no GitHub person, team by team, matched without case
 * as GitHub logins are: those the recompute leaves out of the team (jobs/derive/teams.derive.ts).
 */
async function unknownTeamLogins(db: Db, teams: Settings['teams']): Promise<string[]> {
  const logins = [...new Set(teams.flatMap((t) => t.members.map((m) => m.toLowerCase())))];
  if (logins.length === 0) return [];
  const known = await db.selectFrom('people').select('login').where((eb) => eb(eb.fn('lower', ['login']), 'in', logins)).execute();
  const people = new Set(known.map((p) => p.login.toLowerCase()));
  return teams.flatMap((t) => t.members.filter((m) => !people.has(m.toLowerCase())));
}

/** Signal settings; saving them queues a recompute of the signals so every screen agrees with them. */
export function settingsRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      await resolveFilter(db, c.req.valid('query')); // settings take no filter, but a bad one is still a 400
      return c.json(await readSettings(db));
    })
    .put('/', filterQuery, validate('json', SettingsPatch), async (c) => {
      const { db } = c.get('deps');
      const settings = await updateSettings(db, c.req.valid('json'));
      // Answered before the recompute: the job runner does it, or does it once one starts.
      await enqueueDeriveSignals(db);
      return c.json({ settings, deriveQueued: true as const, unknownTeamLogins: await unknownTeamLogins(db, settings.teams) });
    });
}
