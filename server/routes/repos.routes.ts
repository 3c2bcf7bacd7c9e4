import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, reportJson, resolveFilter } from '../signals/report.ts';
import { derivedScope } from '../signals/scope.ts';
import { filterQuery } from './filters.ts';

/** Repositories with their review totals in the window, and one repository's report. */
export function reposRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      // The same window analysis as every other figure: a repo's totals here are its page's.
      const report = await buildReport(db, c.req.valid('query'));
      const scope = await derivedScope(db);
      const repos = await db.selectFrom('repos').select(['id', 'owner', 'full_name', 'name', 'is_archived']).orderBy('full_name').execute();
      return c.json({
        from: report.from,
        to: report.to,
        repos: repos
          .filter((r) => (!report.repo || r.full_name === report.repo) && (!scope || r.owner === scope.org))
          .map((r) => {
            const t = report.byRepo.get(r.id);
            const merged = t?.merged ?? 0;
            const unreviewed = t?.mergedWithoutReview ?? 0;
            return { name: r.full_name, archived: r.is_archived === 1, prs: t?.prs ?? 0, reviews: t?.reviews ?? 0, merged, mergedWithoutReview: unreviewed, coverage: merged ? Math.round(((merged - unreviewed) / merged) * 1000) / 1000 : null };
          }),
      });
    })
    .get('/:owner/:name', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const fullName = `${c.req.param('owner')}/${c.req.param('name')}`;
      await resolveFilter(db, c.req.valid('query')); // a bad team or repo in the query is still a 400
      const repo = await db.selectFrom('repos').select('id').where('full_name', '=', fullName).executeTakeFirst();
      if (!repo) throw new AppError('not_found', `No repository "${fullName}" has been synced.`);
      const report = await buildReport(db, { ...c.req.valid('query'), repo: fullName });
      const { people: _people, ...rest } = reportJson(report);
      return c.json(rest);
    });
}
