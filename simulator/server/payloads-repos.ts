import type { SimRepo, SimTeam } from '../model.ts';
import { memo } from './memo.ts';
import type { SimState } from './state.ts';

/** The organisation as the owner of its repositories (a `simple-user` of type Organization). */
export function orgOwner(state: SimState): Record<string, unknown> {
  const o = state.index.org.org;
  const u = `${state.baseUrl}/users/${o.login}`;
  return {
    login: o.login,
    id: o.id,
    node_id: o.nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${o.id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: `${state.baseUrl}/${o.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: 'Organization',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** Git URL a client can clone (served by git http-backend under /git). */
export function cloneUrl(state: SimState, repo: string): string {
  return `${state.baseUrl}/git/${state.index.org.org.login}/${repo}.git`;
}

function lastActivity(state: SimState, r: SimRepo): string {
  const pulls = state.index.pullsByRepo.get(r.name) ?? [];
  let latest = r.createdAt;
  for (const p of pulls) if (p.updatedAt > latest) latest = p.updatedAt;
  const last = r.commits.at(-1);
  if (last && last.date > latest) latest = last.date;
  return latest;
}

// Every pull request payload embeds its repository twice; build each body once per org version.
const repoCache = new WeakMap<object, Map<string, Record<string, unknown>>>();

/** `repository` / `minimal-repository` / `full-repository` share this body. */
export function repoObject(state: SimState, r: SimRepo): Record<string, unknown> {
  return memo(repoCache, state.index, `${state.baseUrl} ${r.name}`, () => buildRepoObject(state, r));
}

function buildRepoObject(state: SimState, r: SimRepo): Record<string, unknown> {
  const org = state.index.org.org.login;
  const full = `${org}/${r.name}`;
  const u = `${state.baseUrl}/repos/${full}`;
  const openPulls = (state.index.pullsByRepo.get(r.name) ?? []).filter((p) => p.closedAt === null).length;
  const pushedAt = r.commits.at(-1)?.date ?? r.createdAt;
  return {
    id: r.id,
    node_id: r.nodeId,
    name: r.name,
    full_name: full,
    private: r.isPrivate,
    owner: orgOwner(state),
    html_url: `${state.baseUrl}/${full}`,
    description: r.description,
    fork: false,
    url: u,
    forks_url: `${u}/forks`,
    keys_url: `${u}/keys{/key_id}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    teams_url: `${u}/teams`,
    hooks_url: `${u}/hooks`,
    issue_events_url: `${u}/issues/events{/number}`,
    events_url: `${u}/events`,
    assignees_url: `${u}/assignees{/user}`,
    branches_url: `${u}/branches{/branch}`,
    tags_url: `${u}/tags`,
    blobs_url: `${u}/git/blobs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    trees_url: `${u}/git/trees{/sha}`,
    statuses_url: `${u}/statuses/{sha}`,
    languages_url: `${u}/languages`,
    stargazers_url: `${u}/stargazers`,
    contributors_url: `${u}/contributors`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    commits_url: `${u}/commits{/sha}`,
    git_commits_url: `${u}/git/commits{/sha}`,
    comments_url: `${u}/comments{/number}`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    contents_url: `${u}/contents/{+path}`,
    compare_url: `${u}/compare/{base}...{head}`,
    merges_url: `${u}/merges`,
    archive_url: `${u}/{archive_format}{/ref}`,
    downloads_url: `${u}/downloads`,
    issues_url: `${u}/issues{/number}`,
    pulls_url: `${u}/pulls{/number}`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    labels_url: `${u}/labels{/name}`,
    releases_url: `${u}/releases{/id}`,
    deployments_url: `${u}/deployments`,
    created_at: r.createdAt,
    updated_at: lastActivity(state, r),
    pushed_at: pushedAt,
    git_url: `git://${state.baseUrl.replace(/^https?:\/\//, '')}/${full}.git`,
    ssh_url: `git@${state.baseUrl.replace(/^https?:\/\//, '').replace(/:\d+$/, '')}:${full}.git`,
    clone_url: cloneUrl(state, r.name),
    svn_url: `${state.baseUrl}/${full}`,
    homepage: null,
    size: r.commits.length * 4,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: r.isArchived,
    disabled: false,
    open_issues_count: openPulls,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: r.isPrivate ? 'private' : 'public',
    forks: 0,
    open_issues: openPulls,
    watchers: 0,
    default_branch: r.defaultBranch,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

/** GET /repos/{o}/{r}: `full-repository` adds counts and the organisation. */
export function fullRepo(state: SimState, r: SimRepo): Record<string, unknown> {
  return {
    ...repoObject(state, r),
    allow_squash_merge: true,
    allow_merge_commit: false,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    allow_update_branch: false,
    use_squash_pr_title_as_default: true,
    squash_merge_commit_title: 'PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    organization: orgOwner(state),
    network_count: 0,
    subscribers_count: 0,
  };
}

export function orgFull(state: SimState): Record<string, unknown> {
  const o = state.index.org.org;
  const u = `${state.baseUrl}/orgs/${o.login}`;
  const repos = state.index.org.repos;
  return {
    login: o.login,
    id: o.id,
    node_id: o.nodeId,
    url: u,
    repos_url: `${u}/repos`,
    events_url: `${u}/events`,
    hooks_url: `${u}/hooks`,
    issues_url: `${u}/issues`,
    members_url: `${u}/members{/member}`,
    public_members_url: `${u}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${o.id}?v=4`,
    description: null,
    name: o.name,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: repos.filter((r) => !r.isPrivate).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${state.baseUrl}/${o.login}`,
    created_at: o.createdAt,
    updated_at: state.index.org.now,
    archived_at: null,
    type: 'Organization',
    total_private_repos: repos.filter((r) => r.isPrivate).length,
    owned_private_repos: repos.filter((r) => r.isPrivate).length,
  };
}

export function teamObject(state: SimState, t: SimTeam): Record<string, unknown> {
  const o = state.index.org.org;
  const u = `${state.baseUrl}/organizations/${o.id}/team/${t.id}`;
  return {
    name: t.name,
    id: t.id,
    node_id: t.nodeId,
    slug: t.slug,
    description: t.description,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    url: u,
    html_url: `${state.baseUrl}/orgs/${o.login}/teams/${t.slug}`,
    members_url: `${u}/members{/member}`,
    repositories_url: `${u}/repos`,
    type: 'organization',
    organization_id: o.id,
    permission: 'pull',
    parent: null,
  };
}
