// Webhook bodies as GitHub sends them to an organisation's hook, built from the same payload
// builders the REST API serves, so a pull request, review or comment has one shape and one id
// whether it arrives by webhook or by sync. @octokit/webhooks-examples is the truth for keys.
import type { SimCommit, SimIssueComment, SimPull, SimRepo, SimReview, SimReviewComment, SimTeam } from '../model.ts';
import { issueCommentObject, pullFull, reviewCommentObject, reviewObject } from './payloads-pulls.ts';
import { orgFull, repoObject, teamObject } from './payloads-repos.ts';
import { simpleUser } from './payloads-users.ts';
import { fakeSha, shaOf, type SimState } from './state.ts';

export type Payload = Record<string, unknown>;

/** `organization-simple`, as every org hook delivery carries it. */
export function orgSimple(state: SimState): Payload {
  const o = orgFull(state);
  const keys = ['login', 'id', 'node_id', 'url', 'repos_url', 'events_url', 'hooks_url', 'issues_url', 'members_url', 'public_members_url', 'avatar_url', 'description'];
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** The pull request as it stood at `t`: later merges, reviews and comments not yet there. */
export function pullAt(p: SimPull, t: string): SimPull {
  const by = (x: string | null) => (x !== null && x <= t ? x : null);
  const reviews = p.reviews.filter((r) => r.submittedAt <= t);
  return {
    ...p,
    updatedAt: p.updatedAt > t ? t : p.updatedAt,
    closedAt: by(p.closedAt),
    mergedAt: by(p.mergedAt),
    mergedBy: by(p.mergedAt) === null ? null : p.mergedBy,
    isDraft: p.isDraft || (p.readyAt !== null && p.readyAt > t),
    reviews,
    reviewComments: p.reviewComments.filter((c) => c.createdAt <= t),
    issueComments: p.issueComments.filter((c) => c.createdAt <= t),
    // A request the person asked fulfilled by a review is still pending before that review.
    reviewRequests: p.reviewRequests
      .filter((r) => r.requestedAt <= t)
      .map((r) => ({ ...r, pending: r.pending || (p.reviews.some((x) => x.author === r.reviewer) && !reviews.some((x) => x.author === r.reviewer)) })),
  };
}

function base(state: SimState, repo: SimRepo, sender: string | null): Payload {
  // Webhooks' repository carries the org's custom properties, which REST leaves out.
  return { repository: { ...repoObject(state, repo), custom_properties: {} }, organization: orgSimple(state), sender: simpleUser(state, sender) };
}

function repoOf(state: SimState, p: SimPull): SimRepo {
  const repo = state.index.repos.get(p.repo);
  if (!repo) throw new Error(`no repository ${p.repo} for pull request #${p.number}`);
  return repo;
}

/** `pull_request` with `action`; `extra` carries e.g. requested_reviewer. */
export function pullRequestEvent(state: SimState, p: SimPull, action: string, sender: string | null, extra: Payload = {}): Payload {
  return { action, number: p.number, pull_request: pullFull(state, p), ...extra, ...base(state, repoOf(state, p), sender) };
}

export function reviewRequestedExtra(state: SimState, reviewer: string | null, team: string | null): Payload {
  const t: SimTeam | undefined = team === null ? undefined : state.index.teams.get(team);
  return t ? { requested_team: teamObject(state, t) } : { requested_reviewer: simpleUser(state, reviewer) };
}

export function reviewEvent(state: SimState, p: SimPull, r: SimReview): Payload {
  // Webhooks spell review states in lower case (`approved`), the REST API in upper case.
  const review = { ...reviewObject(state, p, r), state: r.state.toLowerCase() };
  return { action: 'submitted', review, pull_request: pullFull(state, p), ...base(state, repoOf(state, p), r.author) };
}

export function reviewCommentEvent(state: SimState, p: SimPull, c: SimReviewComment): Payload {
  return { action: 'created', comment: reviewCommentObject(state, p, c), pull_request: pullFull(state, p), ...base(state, repoOf(state, p), c.author) };
}

/** The pull request as the issue it also is (`issue_comment` carries it, with `pull_request` links). */
function issueObject(state: SimState, p: SimPull): Payload {
  const pr = pullFull(state, p);
  const repoUrl = `${state.baseUrl}/repos/${state.index.org.org.login}/${p.repo}`;
  const url = `${repoUrl}/issues/${p.number}`;
  return {
    url, repository_url: repoUrl, labels_url: `${url}/labels{/name}`, comments_url: `${url}/comments`, events_url: `${url}/events`,
    html_url: pr.html_url, id: p.id, node_id: p.nodeId, number: p.number, title: p.title, user: pr.user, labels: [],
    state: pr.state, locked: false, assignee: null, assignees: [], milestone: null, comments: p.issueComments.length,
    created_at: p.createdAt, updated_at: p.updatedAt, closed_at: p.closedAt, author_association: pr.author_association,
    active_lock_reason: null, draft: p.isDraft,
    pull_request: { url: pr.url, html_url: pr.html_url, diff_url: pr.diff_url, patch_url: pr.patch_url, merged_at: p.mergedAt },
    body: p.body, reactions: { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    timeline_url: `${url}/timeline`, performed_via_github_app: null, state_reason: p.closedAt === null ? null : p.mergedAt === null ? 'not_planned' : 'completed',
  };
}

export function issueCommentEvent(state: SimState, p: SimPull, c: SimIssueComment): Payload {
  return { action: 'created', issue: issueObject(state, p), comment: issueCommentObject(state, p, c), ...base(state, repoOf(state, p), c.author) };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** `push` of new commits onto the default branch (a squash merge or a direct push). */
export function pushEvent(state: SimState, repo: SimRepo, before: SimCommit | undefined, commits: SimCommit[]): Payload {
  const org = state.index.org.org.login;
  const html = `${state.baseUrl}/${org}/${repo.name}`;
  const beforeSha = before ? shaOf(state, repo.name, before.id) : '0'.repeat(40);
  const afterSha = shaOf(state, repo.name, (commits.at(-1) as SimCommit).id);
  const who = (c: SimCommit) => ({ name: c.authorName, email: c.authorEmail, ...(c.authorLogin === null ? {} : { username: c.authorLogin }) });
  const list = commits.map((c) => {
    const sha = shaOf(state, repo.name, c.id);
    const paths = (kinds: string[]) => c.changes.filter((x) => kinds.includes(x.kind)).map((x) => x.path);
    return {
      id: sha, tree_id: fakeSha(`tree:${sha}`), distinct: true, message: c.message, timestamp: c.date, url: `${html}/commit/${sha}`,
      author: who(c), committer: who(c), added: paths(['add', 'rename']), removed: [...paths(['delete']), ...c.changes.filter((x) => x.kind === 'rename' && x.from).map((x) => x.from as string)], modified: paths(['modify']),
    };
  });
  const r = repoObject(state, repo);
  const owner = r.owner as Payload;
  const last = commits.at(-1) as SimCommit;
  // A push's repository differs from the REST one: unix-second dates and a few legacy keys.
  const repository = {
    ...r, owner: { name: owner.login, email: null, ...owner }, created_at: seconds(repo.createdAt), pushed_at: seconds(last.date),
    stargazers: 0, master_branch: repo.defaultBranch, organization: org, custom_properties: {},
  };
  return {
    ref: `refs/heads/${repo.defaultBranch}`, before: beforeSha, after: afterSha, repository,
    pusher: { name: last.authorLogin ?? last.authorName, email: last.authorEmail }, organization: orgSimple(state), sender: simpleUser(state, last.authorLogin),
    created: false, deleted: false, forced: false, base_ref: null, compare: `${html}/compare/${beforeSha.slice(0, 12)}...${afterSha.slice(0, 12)}`,
    commits: list, head_commit: list.at(-1) ?? null,
  };
}

/** `membership` added/removed: a person joined or left a team. */
export function membershipEvent(state: SimState, team: SimTeam, login: string, action: 'added' | 'removed'): Payload {
  return { action, scope: 'team', member: simpleUser(state, login), sender: simpleUser(state, state.index.viewer.login), team: teamObject(state, team), organization: orgSimple(state) };
}

export interface HookInfo {
  id: number;
  url: string;
  createdAt: string;
}

/** `ping`, sent once when a hook is configured. */
export function pingEvent(state: SimState, hook: HookInfo, events: string[]): Payload {
  const org = state.index.org.org.login;
  const api = `${state.baseUrl}/orgs/${org}/hooks/${hook.id}`;
  return {
    zen: 'Keep it logically awesome.',
    hook_id: hook.id,
    hook: {
      type: 'Organization', id: hook.id, name: 'web', active: true, events,
      config: { content_type: 'json', insecure_ssl: '0', secret: '********', url: hook.url },
      updated_at: hook.createdAt, created_at: hook.createdAt, url: api, ping_url: `${api}/pings`, deliveries_url: `${api}/deliveries`,
    },
    organization: orgSimple(state),
    sender: simpleUser(state, state.index.viewer.login),
  };
}
