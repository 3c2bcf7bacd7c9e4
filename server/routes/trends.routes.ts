import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { resolveFilter } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';
import { groupGuard } from '../signals/privacy.ts';

/** Weekly series (ISO weeks, UTC) of every review signal for the org, one team or one repo. */
export function trendsRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const f = await resolveFilter(db, c.req.valid('query'));
    if (f.team && f.repo) throw new AppError('bad_request', 'Weekly trends are kept per team or per repo; pass team or repo, not both.');
    const settings = await readSettings(db);
    const guard = await groupGuard(db, f.team, settings);
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
      formulas: FORMULAS,
    });
  });
}

/** Shown beside each tile (DESIGN.md: every tile shows its formula). */
export const FORMULAS = {
  ttfr: 'Time to first review = first non-author, non-bot review or review comment − clock start (first review request, else ready for review, else creation). PRs still waiting count with the time waited so far.',
  coverage: 'Merged PRs with at least one non-author review before merge ÷ merged PRs.',
  rubberStamp: 'An approval with no comments and no body on a PR over the rubber-stamp size (200 changed lines by default).',
  substantive: 'Changes requested, or a review with at least one comment or a body.',
  gini: 'Gini coefficient of reviews given among active reviewers (0 = even, 1 = one person).',
  sharingIndex: '(1 − Gini of reviews received per author) × active ÷ available reviewers.',
  crossTeamShare: 'Reviews where reviewer and author share no team ÷ reviews where both are in a team.',
};
