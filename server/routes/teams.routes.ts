import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, resolveFilter } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { filterQuery } from './filters.ts';

/** Teams from GitHub and from settings; a team under minGroupSize shows no averages. */
export function teamsRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const f = await resolveFilter(db, c.req.valid('query'));
      const settings = await readSettings(db);
      const teams = await db
        .selectFrom('signal_teams')
        .leftJoin('signal_team_members', 'signal_team_members.slug', 'signal_teams.slug')
        .select(['signal_teams.slug', 'signal_teams.name', 'signal_teams.source', (eb) => eb.fn.count<number>('signal_team_members.person_id').as('members')])
        .groupBy('signal_teams.slug')
        .orderBy('signal_teams.slug')
        .execute();
      const weekFrom = f.from.slice(0, 10);
      const weekTo = f.to.slice(0, 10);
      const totals = await db
        .selectFrom('signal_weekly')
        .select(['scope_key', (eb) => eb.fn.sum<number>('prs_opened').as('prs'), (eb) => eb.fn.sum<number>('reviews').as('reviews'), (eb) => eb.fn.sum<number>('prs_merged').as('merged'), (eb) => eb.fn.sum<number>('merged_without_review').as('mergedWithoutReview')])
        .where('scope', '=', 'team')
        .where('week', '>=', weekFrom)
        .where('week', '<', weekTo)
        .groupBy('scope_key')
        .execute();
      const byTeam = new Map(totals.map((t) => [t.scope_key, t]));
      return c.json({
        from: f.from,
        to: f.to,
        minGroupSize: settings.minGroupSize,
        teams: teams.map((t) => {
          const members = Number(t.members);
          const small = members < settings.minGroupSize;
          const tot = byTeam.get(t.slug);
          return {
            slug: t.slug,
            name: t.name,
            source: t.source,
            members,
            // Weekly totals summed over the weeks starting in the window.
            totals: small ? null : { prs: Number(tot?.prs ?? 0), reviews: Number(tot?.reviews ?? 0), merged: Number(tot?.merged ?? 0), mergedWithoutReview: Number(tot?.mergedWithoutReview ?? 0) },
            suppressed: small ? `groups under ${settings.minGroupSize} are not shown as an average` : null,
          };
        }),
      });
    })
    .get('/:slug', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const slug = c.req.param('slug');
      const team = await db.selectFrom('signal_teams').selectAll().where('slug', '=', slug).executeTakeFirst();
      if (!team) throw new AppError('not_found', `No team "${slug}". GET /api/teams lists the known teams.`);
      await resolveFilter(db, c.req.valid('query')); // a bad team or repo in the query is still a 400
      const settings = await readSettings(db);
      const members = await db
        .selectFrom('signal_team_members')
        .innerJoin('signal_people', 'signal_people.person_id', 'signal_team_members.person_id')
        .select('signal_people.login')
        .where('slug', '=', slug)
        .orderBy('signal_people.login')
        .execute();
      const report = await buildReport(db, { ...c.req.valid('query'), team: slug }, { settings });
      const small = members.length < settings.minGroupSize;
      return c.json({
        slug,
        name: team.name,
        source: team.source,
        from: report.from,
        to: report.to,
        members: members.map((m) => m.login),
        suppressed: small ? `Team ${slug} has ${members.length} member${members.length === 1 ? '' : 's'}; groups under ${settings.minGroupSize} are not shown as an average.` : null,
        reviews: small ? null : report.reviews,
        tiers: small ? null : report.tiers,
        mentoring: { edges: report.mentoring.edges, newcomers: report.mentoring.newcomers, gaps: report.mentoring.gaps },
      });
    });
}
