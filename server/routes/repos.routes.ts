import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, resolveFilter } from '../signals/report.ts';
import { filterQuery } from './filters.ts';

/** Repositories with their review totals in the window, and one repository's report. */
export function reposRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const f = await resolveFilter(db, c.req.valid('query'));
      const repos = await db.selectFrom('repos').select(['id', 'full_name', 'name', 'is_archived']).orderBy('full_name').execute();
      const totals = await db
        .selectFrom('signal_weekly')
        .select(['scope_key', (eb) => eb.fn.sum<number>('prs_opened').as('prs'), (eb) => eb.fn.sum<number>('reviews').as('reviews'), (eb) => eb.fn.sum<number>('prs_merged').as('merged'), (eb) => eb.fn.sum<number>('merged_without_review').as('mergedWithoutReview')])
        .where('scope', '=', 'repo')
        .where('week', '>=', f.from.slice(0, 10))
        .where('week', '<', f.to.slice(0, 10))
        .groupBy('scope_key')
        .execute();
      const byRepo = new Map(totals.map((t) => [t.scope_key, t]));
      return c.json({
        from: f.from,
        to: f.to,
        repos: repos
          .filter((r) => !f.repo || r.id === f.repo.id)
          .map((r) => {
            const t = byRepo.get(r.full_name);
            const merged = Number(t?.merged ?? 0);
            const unreviewed = Number(t?.mergedWithoutReview ?? 0);
            return { name: r.full_name, archived: r.is_archived === 1, prs: Number(t?.prs ?? 0), reviews: Number(t?.reviews ?? 0), merged, mergedWithoutReview: unreviewed, coverage: merged ? (merged - unreviewed) / merged : null };
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
      const { people: _people, ...rest } = report;
      return c.json(rest);
    });
}
