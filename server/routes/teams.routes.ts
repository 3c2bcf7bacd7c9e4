import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, resolveFilter } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { hiddenReason, hiddenTeams, teamGuard } from '../signals/privacy.ts';
import { filterQuery } from './filters.ts';

/** Teams from GitHub and from settings; a team under minGroupSize shows no averages. */
export function teamsRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const f = await resolveFilter(db, c.req.valid('query'));
      const settings = await readSettings(db);
      const teams = await db.selectFrom('signal_teams').select(['slug', 'name', 'source']).orderBy('name').orderBy('slug').execute();
      const { hidden, sizes } = await hiddenTeams(db, settings);
      // One analysis for every team: each team's totals are what its own report counts.
      const { byTeam } = await buildReport(db, { from: f.from, to: f.to, repo: f.repo?.fullName }, { settings });
      const out = [];
      for (const t of teams) {
        const members = sizes.get(t.slug) ?? 0;
        if (hidden.has(t.slug)) {
          out.push({ slug: t.slug, name: t.name, source: t.source, members, totals: null, suppressed: hiddenReason(`Team ${t.name}`, members, settings) });
          continue;
        }
        const r = byTeam.get(t.slug) ?? { prs: 0, merged: 0, mergedWithoutReview: 0, reviews: 0 };
        out.push({ slug: t.slug, name: t.name, source: t.source, members, totals: { prs: r.prs, reviews: r.reviews, merged: r.merged, mergedWithoutReview: r.mergedWithoutReview }, suppressed: null });
      }
      return c.json({ from: f.from, to: f.to, minGroupSize: settings.minGroupSize, teams: out });
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
      const guard = await teamGuard(db, slug, team.name, settings);
      const small = guard !== null;
      return c.json({
        slug,
        name: team.name,
        source: team.source,
        from: report.from,
        to: report.to,
        asOf: report.asOf,
        group: report.group,
        members: small ? [] : members.map((m) => m.login),
        suppressed: guard,
        reviews: small ? null : report.reviews,
        tiers: small ? null : report.tiers,
        mentoring: small ? null : { edges: report.mentoring.edges, newcomers: report.mentoring.newcomers, gaps: report.mentoring.gaps },
        findings: small ? [] : report.findings,
      });
    });
}
