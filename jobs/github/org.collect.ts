import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import type { GithubClient } from './client.ts';
import { githubError, orgNotFound } from './errors.ts';
import { extractContext, extractRaw } from './extract.ts';
import { collectRestPage, storeRaw } from './raw.collect.ts';
import { CHANGES_BATCH, changesCost, changesQuery } from './pulls.query.ts';

// REST for what GraphQL serves poorly: the org, its repos, members and teams. Every page is
// asked conditionally, so re-checking an unchanged org costs nothing (304s are free).

export async function collectOrgProfile(db: Db, gh: GithubClient, org: string): Promise<void> {
  try {
    await collectRestPage(db, gh, { kind: 'org', scope: `org:${org}`, route: '/orgs/{org}', params: { org } });
  } catch (err) {
    if ((err as { status?: number }).status === 404) throw orgNotFound(org);
    throw githubError(err, gh.baseUrl);
  }
}

/** Pages through a REST list and extracts each page that changed. */
async function collectList(db: Db, gh: GithubClient, logger: Logger, o: { kind: string; scope: string; route: string; params: Record<string, unknown> }, botLogins?: readonly string[]): Promise<void> {
  for (let page = 1; ; page++) {
    const params = { ...o.params, per_page: 100, page };
    const got = await collectRestPage(db, gh, { kind: o.kind, scope: o.scope, route: o.route, params }, (trx, raw) => extractRaw(trx, raw, extractContext(trx, logger, botLogins)));
    if (!got.next) return;
  }
}

/** The org's repositories, into raw rows and the repos table. */
export async function collectOrgRepos(db: Db, gh: GithubClient, logger: Logger, org: string, botLogins?: readonly string[]): Promise<void> {
  try {
    await collectList(db, gh, logger, { kind: 'repos_page', scope: `org:${org}`, route: '/orgs/{org}/repos', params: { org, type: 'all' } }, botLogins);
  } catch (err) {
    throw githubError(err, gh.baseUrl);
  }
}

/** Members, teams and team members of the org, into raw rows and the domain tables. */
export async function collectOrgPeople(db: Db, gh: GithubClient, logger: Logger, org: string, botLogins?: readonly string[]): Promise<void> {
  const scope = `org:${org}`;
  try {
    // Independent lists, asked at once (the client bounds the requests in flight).
    await Promise.all([
      collectList(db, gh, logger, { kind: 'members_page', scope, route: '/orgs/{org}/members', params: { org } }, botLogins),
      collectList(db, gh, logger, { kind: 'teams_page', scope, route: '/orgs/{org}/teams', params: { org } }, botLogins),
    ]);
  } catch (err) {
    throw githubError(err, gh.baseUrl);
  }
  const teams = await db.selectFrom('teams').select('slug').where('source', '=', 'github').where('org', '=', org).execute();
  await Promise.all(
    teams.map(async (t) => {
      try {
        await collectList(db, gh, logger, { kind: 'team_members_page', scope: `team:${org}/${t.slug}`, route: '/orgs/{org}/teams/{team_slug}/members', params: { org, team_slug: t.slug } }, botLogins);
      } catch (err) {
        // A team this token cannot list (secret teams): the rest of the org still syncs.
        logger.warn({ team: t.slug, err: githubError(err, gh.baseUrl).message }, 'could not list a team’s members; skipped');
      }
    }),
  );
}

export interface RepoHead {
  name: string;
  /** updatedAt of the most recently updated PR, or null for a repo without PRs. */
  newest: string | null;
  /** False when the token cannot see the repo. */
  accessible: boolean;
}

/** Asks many repos for their most recently updated PR in one aliased GraphQL query per 100 repos. */
export async function checkRepoHeads(db: Db, gh: GithubClient, org: string, names: readonly string[]): Promise<RepoHead[]> {
  const out: RepoHead[] = [];
  for (let i = 0; i < names.length; i += CHANGES_BATCH) {
    const batch = names.slice(i, i + CHANGES_BATCH);
    const query = changesQuery(org, batch);
    let res;
    try {
      res = await gh.graphql<Record<string, { pullRequests: { nodes: ({ updatedAt: string } | null)[] } } | null>>(query, {}, { cost: changesCost(batch.length) });
    } catch (err) {
      throw githubError(err, gh.baseUrl);
    }
    await storeRaw(db, { source: 'graphql', kind: 'repo_heads', scope: `org:${org}`, url: `${gh.baseUrl}/graphql`, request: { repos: batch }, status: 200, body: res.body });
    batch.forEach((name, j) => {
      const repo = res.data?.[`r${j}`];
      out.push({ name, newest: repo?.pullRequests.nodes[0]?.updatedAt ?? null, accessible: Boolean(repo) });
    });
  }
  return out;
}

/**
 * A repo's pulse: a conditional REST call for its most recently updated PR, with the ETag of the
 * last one (a 304 is free). GitHub moves a PR's updated_at on every review, comment, push and
 * merge, so an unchanged answer means nothing in the repo's PRs changed since the pulse was
 * taken. Taken before a repo's PRs are read, so anything that changes afterwards shows next time.
 * Returns whether it changed, or null when the repo did not answer.
 */
export async function takePulse(db: Db, gh: GithubClient, org: string, name: string): Promise<boolean | null> {
  try {
    const page = await collectRestPage(db, gh, { kind: 'repo_pulse', scope: `repo:${org}/${name}`, route: '/repos/{owner}/{repo}/pulls', params: { owner: org, repo: name, state: 'all', sort: 'updated', direction: 'desc', per_page: 1 } });
    return page.changed;
  } catch {
    // Not visible or failing: the GraphQL check or the repo's own sync decides, and reports it.
    return null;
  }
}

/** The repos whose pulse is unchanged; the rest (changed, never asked, not answering) go to the GraphQL change check. */
export async function unchangedRepos(db: Db, gh: GithubClient, org: string, names: readonly string[]): Promise<Set<string>> {
  const changed = await Promise.all(names.map((name) => takePulse(db, gh, org, name)));
  return new Set(names.filter((_, i) => changed[i] === false));
}
