import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { resolveFilter } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';
import { teamGuard } from '../signals/privacy.ts';

/** Weekly series (ISO weeks, UTC) of every review signal for the org, one team or one repo. */
export function trendsRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const f = await resolveFilter(db, c.req.valid('query'));
    if (f.team && f.repo) throw new AppError('bad_request', 'Weekly trends are kept per team or per repo; pass team or repo, not both.');
    const settings = await readSettings(db);
    const guard = await teamGuard(db, f.team, f.teamName, settings);
    const scope = f.team ? { scope: 'team' as const, key: f.team } : f.repo ? { scope: 'repo' as const, key: f.repo.fullName } : { scope: 'org' as const, key: '' };
    // A week belongs to the window when it starts inside it.
    const weeks = guard
      ? []
      : await db
          .selectFrom('signal_weekly')
          .selectAll()
          .where('scope', '=', scope.scope)
          .where('scope_key', '=', scope.key)
          .where('week', '>=', f.from.slice(0, 10))
          .where('week', '<', f.to.slice(0, 10))
          .orderBy('week')
          .execute();
    return c.json({
      from: f.from,
      to: f.to,
      scope: scope.scope,
      key: scope.key || null,
      suppressed: guard,
      weeks: weeks.map(({ scope: _s, scope_key: _k, ...w }) => w),
    });
  });
}
