import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { buildReport } from './report.ts';
import { pendingRequests } from './pending.ts';
import { resolveFilter, type ReportFilter } from './filter.ts';
import { teamGuard } from './privacy.ts';
import { readSettings } from '../settings.ts';

// People in a window: an alphabetical list (never ranked) and one person's page, reached on
// purpose (DESIGN.md "Privacy by default"). Their figures are the report's, so a person's page
// and `guidepost report --json` say the same.

/** People active in the window, in the team or among the repo's authors and reviewers, with the window's tier. */
export async function listPeople(db: Db, filter: ReportFilter) {
  const f = await resolveFilter(db, filter);
  const guard = await teamGuard(db, f.team, f.teamName, await readSettings(db));
  if (guard) return { from: f.from, to: f.to, suppressed: guard, people: [] };
  // Tiers are the org's over the window, whatever the filter.
  const report = await buildReport(db, { ...filter, team: undefined, repo: undefined });
  const tierOf = new Map(report.people.map((p) => [p.login, p.tier]));
  let q = db
    .selectFrom('signal_people')
    .select(['signal_people.login', 'signal_people.first_activity_at as firstActivityAt', 'signal_people.last_activity_at as lastActivityAt'])
    .where('signal_people.last_activity_at', '>=', f.from)
    .where('signal_people.first_activity_at', '<', f.to);
  if (f.team) q = q.where('signal_people.person_id', 'in', db.selectFrom('signal_team_members').select('person_id').where('slug', '=', f.team));
  if (f.repo) {
    // Authors and reviewers of the repo's PRs, found from its PRs (one index) rather than by
    // testing every person against every fact.
    const repoPrs = db.selectFrom('signal_pr_facts').select('pr_id').where('repo_id', '=', f.repo.id);
    const authors = db.selectFrom('signal_pr_facts').select('author_id as id').where('repo_id', '=', f.repo.id);
    const reviewers = db.selectFrom('signal_review_facts').select('reviewer_id as id').where('pr_id', 'in', repoPrs);
    q = q.where('signal_people.person_id', 'in', authors.union(reviewers));
  }
  const rows = await q.orderBy('signal_people.login').execute();
  return { from: f.from, to: f.to, suppressed: null, people: rows.map((p) => ({ login: p.login, tier: tierOf.get(p.login) ?? null, firstActivityAt: p.firstActivityAt, lastActivityAt: p.lastActivityAt })) };
}

/** One person's page: their figures in the window (repo filter applied, never a team's). */
export async function personPage(db: Db, login: string, filter: ReportFilter) {
  const person = await db.selectFrom('signal_people').selectAll().where('login', '=', login).executeTakeFirst();
  if (!person) throw new AppError('not_found', `No person "${login}" in the analysed data (bots, the ghost user and excluded people are not analysed).`);
  // An unknown team or repo is still a 400, though a person's page takes no team (the window and
  // the repo do not depend on it).
  const f = await resolveFilter(db, filter);
  const report = await buildReport(db, { ...filter, team: undefined });
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
  return {
    login,
    from: report.from,
    to: report.to,
    asOf: report.asOf,
    repo: report.repo,
    firstActivityAt: person.first_activity_at,
    lastActivityAt: person.last_activity_at,
    teams,
    stats: report.people.find((p) => p.login === login) ?? null,
    pendingReviewRequests: pending.length,
    mentors: report.mentoring.edges.filter((e) => e.mentee === login),
    mentees: report.mentoring.edges.filter((e) => e.mentor === login),
    newcomer: report.mentoring.newcomers.find((n) => n.login === login) ?? null,
    gaps: report.mentoring.gaps.filter((g) => g.login === login),
    weekly,
  };
}
