import { Hono } from 'hono';
import { emptyStats, type SimStats } from './stats.ts';
import type { SimState } from './state.ts';

export interface EvolveRequest {
  newPulls?: number;
  newReviewsOnOldPulls?: number;
  lateMerges?: number;
  /** How many days the simulated clock moves forward (from 1/24, an hour). */
  days?: number;
}

/** /_sim/*: the simulator's own controls. Never faulted, limited or charged. */
export function simRoutes(state: SimState, stats: { current: SimStats }, evolve: (req: EvolveRequest) => Promise<unknown>): Hono {
  const app = new Hono();
  let cpuAtReset = process.cpuUsage();
  const cpuMs = () => {
    const u = process.cpuUsage(cpuAtReset);
    return Math.round((u.user + u.system) / 1000);
  };
  app.get('/_sim/stats', (c) => c.json({ ...stats.current, cpuMs: cpuMs() }));
  app.post('/_sim/reset-stats', (c) => {
    Object.assign(stats.current, emptyStats());
    cpuAtReset = process.cpuUsage();
    return c.json(stats.current);
  });
  app.get('/_sim/truth', (c) => c.json({ ...state.index.org.truth, org: state.index.org.org.login, now: state.index.org.now }));
  app.post('/_sim/evolve', async (c) => {
    let body: unknown = {};
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return c.json({ message: 'Body must be JSON like {"newPulls": 5, "newReviewsOnOldPulls": 3, "lateMerges": 1, "days": 2}' }, 400);
      }
    }
    const req: EvolveRequest = {};
    for (const key of ['newPulls', 'newReviewsOnOldPulls', 'lateMerges', 'days'] as const) {
      const v = (body as Record<string, unknown>)[key];
      if (v === undefined) continue;
      // Days may be a share of one from an hour up (an hour of activity between two syncs).
      const ok = typeof v === 'number' && (key === 'days' ? v === 0 || (v >= 1 / 24 && v <= 100_000) : Number.isInteger(v) && v >= 0 && v <= 100_000);
      if (!ok) return c.json({ message: key === 'days' ? 'days must be 0, or from 1/24 (an hour) to 100000' : `${key} must be a whole number from 0 to 100000` }, 400);
      req[key] = v;
    }
    try {
      return c.json((await evolve(req)) ?? {});
    } catch (err) {
      return c.json({ message: `Could not evolve the org: ${err instanceof Error ? err.message : String(err)}` }, 422);
    }
  });
  return app;
}
