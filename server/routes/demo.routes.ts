import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { saveConnection } from '../../jobs/github/connect.ts';
import { SYNC_ORG, syncOrgJobKey } from '../../jobs/github/sync.ts';
import { enqueue } from '../../jobs/queue.ts';
import { likeOp } from '../../server/db/dialect.ts';

/**
 * POST starts the demo org and its sync; GET says how it is going. The demo runs the real
 * pipeline against the simulated GitHub, which the composition root starts (deps.startDemo).
 */
export function demoRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db, sync } = c.get('deps');
      const conn = await db.selectFrom('connections').select(['org', 'created_at']).where('is_demo', '=', 1).executeTakeFirst();
      const done = conn ? await db.selectFrom('sync_state').select(['status']).where('scope', likeOp(db), `repo:${conn.org}/%`).execute() : [];
      return c.json({
        running: Boolean(sync?.demo),
        org: conn?.org ?? null,
        repos: done.length,
        reposDone: done.filter((s) => s.status === 'done').length,
      });
    })
    .post('/', async (c) => {
      const { db, config, sync, startDemo } = c.get('deps');
      if (!sync || !startDemo) throw new AppError('conflict', 'This process does not run the sync jobs and the demo simulator, so it cannot run the demo. Start it with `guidepost serve`.');
      if (!sync.demo) {
        const sim = await startDemo();
        sync.demo = { url: sim.url, org: sim.org.org.login, close: () => sim.close() };
        await saveConnection(db, config, { org: sim.org.org.login, apiUrl: sim.url, auth: { kind: 'token', token: sim.token }, isDemo: true });
        sync.forget(sim.org.org.login);
        // The simulated history ends at its own "now", not today's date: backfill a year back from it.
        const since = new Date(Date.parse(sim.org.now) - config.backfillDays * 86_400_000).toISOString();
        await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(sim.org.org.login), payload: { org: sim.org.org.login, since } });
      }
      return c.json({ running: true, org: sync.demo.org }, 202);
    });
}
