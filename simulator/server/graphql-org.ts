// GraphQL sources for teams, the organisation and repositories. Fields are plain values, getters,
// or functions of the field's arguments (fields that take arguments or return objects; see
// graphql-schema.ts), so what costs something is computed only when a query selects it.
import type { SimPerson, SimPull, SimRepo, SimTeam } from '../model.ts';
import { actor, userNode } from './graphql-actors.ts';
import { commitNode } from './graphql-commits.ts';
import { connection, type ConnectionArgs } from './graphql-connection.ts';
import { pullNode, reviewNode, type PullLinks } from './graphql-pulls.ts';
import { int32, ordered, pullState, webUrl, type Order, type Src } from './graphql-shared.ts';
import { memo } from './memo.ts';
import { canSee, type SimState } from './state.ts';

// A pull request links back up to its repository and to the teams asked to review it. Those are
// built here, and this file links down to pull requests, so it hands them over rather than
// graphql-pulls.ts importing them back.
const pullLinks: PullLinks = { repoNode, teamNode };

export function teamNode(s: SimState, t: SimTeam): Src {
  const org = s.index.org.org.login;
  return {
    __typename: 'Team',
    id: t.nodeId,
    databaseId: int32(t.id),
    slug: t.slug,
    name: t.name,
    combinedSlug: `${org}/${t.slug}`,
    description: t.description,
    privacy: 'VISIBLE',
    url: `${s.baseUrl}/orgs/${org}/teams/${t.slug}`,
    organization: () => orgNode(s),
    members: (a: ConnectionArgs) =>
      connection(
        t.members.map((l) => s.index.people.get(l)).filter((p): p is SimPerson => !!p && !p.deleted),
        a,
        (p) => userNode(s, p),
      ),
  };
}

export function orgNode(s: SimState): Src {
  const o = s.index.org.org;
  return {
    __typename: 'Organization',
    id: o.nodeId,
    databaseId: int32(o.id),
    login: o.login,
    name: o.name,
    url: webUrl(s, o.login),
    resourcePath: `/${o.login}`,
    avatarUrl: `https://avatars.githubusercontent.com/u/${o.id}?v=4`,
    createdAt: o.createdAt,
    updatedAt: s.index.org.now,
    repositories: (a: ConnectionArgs & { orderBy?: Order; isArchived?: boolean | null; privacy?: string | null }) => {
      let repos = s.index.org.repos.filter(
        (r) => canSee(s, r.name) && (a.isArchived == null || r.isArchived === a.isArchived) && (a.privacy == null || (a.privacy === 'PRIVATE') === r.isPrivate),
      );
      const o2 = a.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
      const key = (r: SimRepo): string =>
        o2.field === 'NAME' ? r.name.toLowerCase() : o2.field === 'CREATED_AT' ? r.createdAt : o2.field === 'STARGAZERS' ? '' : repoUpdatedAt(s, r);
      repos = ordered(repos, key, (r) => r.id, o2.direction);
      return connection(repos, a, (r) => repoNode(s, r));
    },
    membersWithRole: (a: ConnectionArgs) => {
      const members = s.index.org.people.filter((p) => p.isMember && !p.deleted).sort((x, y) => x.id - y.id);
      const c = connection(members, a, (p) => userNode(s, p));
      return { ...c, edges: c.edges.map((e) => ({ ...e, role: 'MEMBER' })) };
    },
    teams: (a: ConnectionArgs) => connection([...s.index.org.teams].sort((x, y) => x.name.localeCompare(y.name)), a, (t) => teamNode(s, t)),
    team: (a: { slug: string }) => {
      const t = s.index.teams.get(a.slug);
      return t ? teamNode(s, t) : null;
    },
  };
}

// A client pages through a repo's PRs in one order, so each order is sorted once per list. The
// index (and so every list) is rebuilt when the org evolves, which drops these.
const sortedPulls = new WeakMap<SimPull[], Map<string, SimPull[]>>();

function pullsInOrder(all: SimPull[], o: Order): SimPull[] {
  return memo(sortedPulls, all, `${o.field} ${o.direction}`, () => {
    const key = (p: SimPull): string | number => (o.field === 'UPDATED_AT' ? p.updatedAt : o.field === 'COMMENTS' ? p.issueComments.length : p.createdAt);
    return ordered(all, key, (p) => p.number, o.direction);
  });
}

function repoUpdatedAt(s: SimState, r: SimRepo): string {
  let latest = r.commits.at(-1)?.date ?? r.createdAt;
  for (const p of s.index.pullsByRepo.get(r.name) ?? []) if (p.updatedAt > latest) latest = p.updatedAt;
  return latest;
}

export function repoNode(s: SimState, r: SimRepo): Src {
  const org = s.index.org.org.login;
  const tip = r.commits.at(-1);
  return {
    __typename: 'Repository',
    id: r.nodeId,
    databaseId: int32(r.id),
    name: r.name,
    nameWithOwner: `${org}/${r.name}`,
    description: r.description,
    // Cloneable: the simulator serves git smart HTTP at this address too, as github.com does.
    get url() {
      return webUrl(s, org, r.name);
    },
    resourcePath: `/${org}/${r.name}`,
    sshUrl: `git@127.0.0.1:${org}/${r.name}.git`,
    isPrivate: r.isPrivate,
    isArchived: r.isArchived,
    isFork: false,
    isDisabled: false,
    isEmpty: r.commits.length === 0,
    visibility: r.isPrivate ? 'PRIVATE' : 'PUBLIC',
    createdAt: r.createdAt,
    get updatedAt() {
      return repoUpdatedAt(s, r);
    },
    pushedAt: tip?.date ?? r.createdAt,
    owner: () => orgNode(s),
    defaultBranchRef: () => ({
      __typename: 'Ref',
      id: Buffer.from(`Ref:${r.nodeId}:${r.defaultBranch}`).toString('base64'),
      name: r.defaultBranch,
      prefix: 'refs/heads/',
      target: tip ? commitNode(s, r.name, tip.id) : null,
    }),
    pullRequests: (a: ConnectionArgs & { states?: string[] | null; orderBy?: Order | null; headRefName?: string | null; baseRefName?: string | null }) => {
      const o = a.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
      const pulls = pullsInOrder(s.index.pullsByRepo.get(r.name) ?? [], o).filter(
        (p) =>
          (!a.states || a.states.includes(pullState(p))) &&
          (a.headRefName == null || p.headRef === a.headRefName) &&
          (a.baseRefName == null || p.baseRef === a.baseRefName),
      );
      return connection(pulls, a, (p) => pullNode(s, pullLinks, p));
    },
    pullRequest: (a: { number: number }) => {
      const p = s.index.pull.get(r.name)?.get(a.number);
      return p ? pullNode(s, pullLinks, p) : null;
    },
  };
}

export function nodeById(s: SimState, id: string): object | null {
  const o = s.index.org;
  if (id === o.org.nodeId) return orgNode(s);
  const repo = o.repos.find((r) => r.nodeId === id);
  if (repo) return canSee(s, repo.name) ? repoNode(s, repo) : null;
  const person = o.people.find((p) => p.nodeId === id);
  if (person) return actor(s, person.login);
  const team = o.teams.find((t) => t.nodeId === id);
  if (team) return teamNode(s, team);
  for (const p of o.pulls) {
    if (!canSee(s, p.repo)) continue;
    if (p.nodeId === id) return pullNode(s, pullLinks, p);
    const r = p.reviews.find((x) => x.nodeId === id);
    if (r) return reviewNode(s, pullLinks, p, r);
  }
  return null;
}
