import { Hono } from 'hono';
import type { SimRepo } from '../model.ts';
import { fullRepo, orgFull, repoObject, teamObject } from './payloads-repos.ts';
import { simpleUser } from './payloads-users.ts';
import { jsonWithEtag, notFound, pagedJson } from './rest-http.ts';
import { canSee, type SimState } from './state.ts';

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** /orgs/{org}…, /repos/{owner}/{repo}: the organisation, its repos, members and teams. */
export function orgRoutes(state: SimState): Hono {
  const app = new Hono();
  const isOrg = (login: string) => sameLogin(login, state.index.org.org.login);

  app.get('/orgs/:org', (c) => (isOrg(c.req.param('org')) ? jsonWithEtag(c, orgFull(state)) : notFound(c)));

  app.get('/orgs/:org/repos', (c) => {
    if (!isOrg(c.req.param('org'))) return notFound(c);
    const sort = c.req.query('sort') ?? 'created';
    const direction = c.req.query('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
    const key = (r: SimRepo): string =>
      sort === 'full_name' ? r.name.toLowerCase() : sort === 'created' ? r.createdAt : (r.commits.at(-1)?.date ?? r.createdAt);
    const repos = state.index.org.repos.filter((r) => canSee(state, r.name)).sort((a, b) => {
      const d = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id;
      return direction === 'asc' ? d : -d;
    });
    return pagedJson(c, repos, (r) => repoObject(state, r));
  });

  app.get('/orgs/:org/members', (c) => {
    if (!isOrg(c.req.param('org'))) return notFound(c);
    const members = state.index.org.people.filter((p) => p.isMember && !p.deleted).sort((a, b) => a.id - b.id);
    return pagedJson(c, members, (p) => simpleUser(state, p.login));
  });

  app.get('/orgs/:org/teams', (c) => {
    if (!isOrg(c.req.param('org'))) return notFound(c);
    const teams = [...state.index.org.teams].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    return pagedJson(c, teams, (t) => teamObject(state, t));
  });

  app.get('/orgs/:org/teams/:slug/members', (c) => {
    const team = state.index.teams.get(c.req.param('slug'));
    if (!isOrg(c.req.param('org')) || !team) return notFound(c);
    const members = team.members
      .map((login) => state.index.people.get(login))
      .filter((p) => p !== undefined && !p.deleted)
      .sort((a, b) => a!.id - b!.id);
    return pagedJson(c, members, (p) => simpleUser(state, p!.login));
  });

  app.get('/repos/:owner/:repo', (c) => {
    const repo = state.index.repos.get(c.req.param('repo'));
    if (!isOrg(c.req.param('owner')) || !repo || !canSee(state, repo.name)) return notFound(c);
    return jsonWithEtag(c, fullRepo(state, repo));
  });

  return app;
}
