import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { readSettings } from '../settings.ts';
import { resolveFilter, type ReportFilter } from './filter.ts';
import { teamGuard } from './privacy.ts';

// Weekly series (ISO weeks, UTC) of every review signal for the org, one team or one repo, from
// the weekly rollups the derive stage keeps (a week belongs to a window when it starts inside it).

export async function weeklyTrends(db: Db, filter: ReportFilter) {
  const f = await resolveFilter(db, filter);
  if (f.team && f.repo) throw new AppError('bad_request', 'Weekly trends are kept per team or per repo; pass team or repo, not both.');
  const settings = await readSettings(db);
  const guard = await teamGuard(db, f.team, f.teamName, settings);
  const scope = f.team ? { scope: 'team' as const, key: f.team } : f.repo ? { scope: 'repo' as const, key: f.repo.fullName } : { scope: 'org' as const, key: '' };
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
  return {
    from: f.from,
    to: f.to,
    scope: scope.scope,
    key: scope.key || null,
    suppressed: guard,
    weeks: weeks.map(({ scope: _s, scope_key: _k, ...w }) => w),
  };
}
