import type { SimPerson } from '../model.ts';
import type { SimState } from './state.ts';

// GitHub serves a deleted account as this fixed "ghost" user (https://github.com/ghost).
export const GHOST = { login: 'ghost', id: 10137, nodeId: 'MDQ6VXNlcjEwMTM3' } as const;

/** REST login: bots carry the `[bot]` suffix in REST (GraphQL drops it). */
export function restLogin(p: SimPerson): string {
  return p.type === 'Bot' && !p.login.endsWith('[bot]') ? `${p.login}[bot]` : p.login;
}

/** A person as GitHub's `simple-user`; deleted or unknown people become the ghost user. */
export function simpleUser(state: SimState, login: string | null): Record<string, unknown> {
  const p = login === null ? undefined : state.index.people.get(login);
  if (!p || p.deleted) return userObject('https://api.github.com', GHOST.login, GHOST.id, GHOST.nodeId, 'User');
  return userObject(state.baseUrl, restLogin(p), p.id, p.nodeId, p.type);
}

function userObject(base: string, login: string, id: number, nodeId: string, type: string): Record<string, unknown> {
  const u = `${base}/users/${encodeURIComponent(login)}`;
  const html = base === 'https://api.github.com' ? `https://github.com/${login}` : `${base}/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: html,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** GitHub's author_association of a login towards the org's repositories. */
export function authorAssociation(state: SimState, login: string | null): string {
  const p = login === null ? undefined : state.index.people.get(login);
  if (!p || p.deleted) return 'NONE';
  if (p.isMember) return 'MEMBER';
  return p.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR';
}

/** GET /user: the token owner as `private-user`. */
export function privateUser(state: SimState): Record<string, unknown> {
  const p = state.index.viewer;
  return {
    ...simpleUser(state, p.login),
    user_view_type: 'private',
    name: p.name,
    company: null,
    blog: '',
    location: null,
    email: p.email,
    notification_email: p.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: p.joinedAt,
    updated_at: state.index.org.now,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}
