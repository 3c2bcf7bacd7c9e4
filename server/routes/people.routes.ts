import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, resolveFilter } from '../signals/report.ts';
import { pendingRequests } from '../signals/pending.ts';
import { filterQuery } from './filters.ts';

// People appear on their own page, reached on purpose, and in an alphabetical list; never as
// a leaderboard (DESIGN.md "Privacy by default").

export function peopleRoutes() {
  return new Hono<AppEnv>()
    .get('/', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const f = await resolveFilter(db, c.req.valid('query'));
      // Tiers are the window's, as the report computes them (the whole org's, whatever the filter).
      const report = await buildReport(db, { ...c.req.valid('query'), team: undefined, repo: undefined });
      const tierOf = new Map(report.people.map((p) => [p.login, p.tier]));
      let q = db
        .selectFrom('signal_people')
        .select(['signal_people.login', 'signal_people.first_activity_at as firstActivityAt', 'signal_people.last_activity_at as lastActivityAt'])
        .where('signal_people.last_activity_at', '>=', f.from)
        .where('signal_people.first_activity_at', '<', f.to);
      if (f.team) q = q.where('signal_people.person_id', 'in', db.selectFrom('signal_team_members').select('person_id').where('slug', '=', f.team));
      if (f.repo) {
        // Authors and reviewers of the repo's PRs, found from its PRs (one index) rather than
        // by testing every person against every fact.
        const repoPrs = db.selectFrom('signal_pr_facts').select('pr_id').where('repo_id', '=', f.repo.id);
        const authors = db.selectFrom('signal_pr_facts').select('author_id as id').where('repo_id', '=', f.repo.id);
        const reviewers = db.selectFrom('signal_review_facts').select('reviewer_id as id').where('pr_id', 'in', repoPrs);
        q = q.where('signal_people.person_id', 'in', authors.union(reviewers));
      }
      const people = (await q.orderBy('signal_people.login').execute()).map((p) => ({ login: p.login, tier: tierOf.get(p.login) ?? null, firstActivityAt: p.firstActivityAt, lastActivityAt: p.lastActivityAt }));
      return c.json({ from: f.from, to: f.to, people });
    })
    .get('/:login', filterQuery, async (c) => {
      const { db } = c.get('deps');
      const login = c.req.param('login');
      const person = await db.selectFrom('signal_people').selectAll().where('login', '=', login).executeTakeFirst();
      if (!person) throw new AppError('not_found', `No person "${login}" in the analysed data (bots, the ghost user and excluded people are not analysed).`);
      const query = c.req.valid('query');
      const report = await buildReport(db, { ...query, team: undefined });
      const f = await resolveFilter(db, query);
      const weekly = await db
        .selectFrom('signal_person_weekly')
        .select(['week', 'prs_opened', 'reviews_given', 'reviews_received', 'substantive_given', 'rubber_stamps', 'approvals'])
        .where('person_id', '=', person.person_id)
        .where('week', '>=', f.from.slice(0, 10))
        .where('week', '<', f.to.slice(0, 10))
        .orderBy('week')
        .execute();
      const teams = await db
        .selectFrom('signal_team_members')
        .innerJoin('signal_teams', 'signal_teams.slug', 'signal_team_members.slug')
        .select(['signal_teams.slug', 'signal_teams.name'])
        .where('person_id', '=', person.person_id)
        .orderBy('signal_teams.slug')
        .execute();
      const pending = await pendingRequests(db, { asOf: f.asOf, reviewers: new Set([person.person_id]), reviewerId: person.person_id, repoId: f.repo?.id });
      const stats = report.people.find((p) => p.login === login) ?? null;
      return c.json({
        login,
        from: report.from,
        to: report.to,
        firstActivityAt: person.first_activity_at,
        lastActivityAt: person.last_activity_at,
        teams,
        stats,
        pendingReviewRequests: pending.length,
        mentors: report.mentoring.edges.filter((e) => e.mentee === login),
        mentees: report.mentoring.edges.filter((e) => e.mentor === login),
        newcomer: report.mentoring.newcomers.find((n) => n.login === login) ?? null,
        gaps: report.mentoring.gaps.filter((g) => g.login === login),
        weekly,
      });
    });
}
