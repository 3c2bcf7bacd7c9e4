import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { readSettings } from '../settings.ts';
import { digestDestinations, sendDigest } from '../digest/digest.send.ts';
import { lastSends } from '../digest/digest.sends.ts';
import { nextDigestAt } from '../digest/digest.schedule.ts';

/**
 * The weekly digest: what is configured (destinations by kind and a masked label, never a
 * secret), when it next goes, the last attempt per destination; and a test send to each.
 */
export function digestRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db, config } = c.get('deps');
      const settings = await readSettings(db);
      const destinations = digestDestinations(config.digest, settings.digest.recipients).map((d) => ({ kind: d.kind, label: d.label }));
      return c.json({
        settings: settings.digest,
        names: settings.briefNames,
        destinations,
        linked: config.digest.publicUrl !== undefined,
        nextAt: nextDigestAt(settings.digest),
        lastSends: await lastSends(db),
      });
    })
    .post('/test', async (c) => {
      const { db, config } = c.get('deps');
      return c.json({ results: await sendDigest(db, config.digest, 'test') });
    });
}
