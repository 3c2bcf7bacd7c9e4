// GraphQL sources for the people and bots that author everything else. They link to nothing but
// each other, so every other source file can import them.
import type { SimPerson } from '../model.ts';
import { int32, webUrl, type Src } from './graphql-shared.ts';
import { memo } from './memo.ts';
import type { OrgIndex } from './org-index.ts';
import type { SimState } from './state.ts';

/** GraphQL drops the `[bot]` suffix that REST logins carry. */
const graphqlLogin = (p: SimPerson) => (p.type === 'Bot' ? p.login.replace(/\[bot\]$/, '') : p.login);

// Every PR, review and comment names its author: each person's source is built once per index
// (the index is rebuilt when the org evolves, which drops these).
const actors = new WeakMap<OrgIndex, Map<string, Src | null>>();

/** An Actor, or null for a deleted account (GitHub's GraphQL has no ghost object). */
export function actor(s: SimState, login: string | null): Src | null {
  if (login === null) return null;
  return memo(actors, s.index, login, () => {
    const p = s.index.people.get(login);
    return !p || p.deleted ? null : p.type === 'Bot' ? botNode(s, p) : userNode(s, p);
  });
}

export function userNode(s: SimState, p: SimPerson): Src {
  return {
    __typename: 'User',
    id: p.nodeId,
    databaseId: int32(p.id),
    login: p.login,
    name: p.name,
    email: p.email,
    url: webUrl(s, p.login),
    resourcePath: `/${p.login}`,
    avatarUrl: `https://avatars.githubusercontent.com/u/${p.id}?v=4`,
    createdAt: p.joinedAt,
    updatedAt: s.index.org.now,
    isSiteAdmin: false,
    company: null,
    location: null,
    bio: '',
  };
}

function botNode(s: SimState, p: SimPerson): Src {
  const login = graphqlLogin(p);
  return {
    __typename: 'Bot',
    id: p.nodeId,
    databaseId: int32(p.id),
    login,
    url: `${s.baseUrl}/apps/${login}`,
    resourcePath: `/apps/${login}`,
    avatarUrl: `https://avatars.githubusercontent.com/in/${p.id}?v=4`,
    createdAt: p.joinedAt,
    updatedAt: s.index.org.now,
  };
}
