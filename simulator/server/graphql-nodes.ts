// GraphQL source objects for the simulated org. Fields are plain values or functions of the
// field's arguments (graphql-js calls them), so only what a query selects is ever computed.
import type { SimPerson, SimPull, SimRepo, SimReview, SimReviewComment, SimIssueComment, SimTeam } from '../model.ts';
import { connection, GitHubGraphQLError, type ConnectionArgs } from './graphql-connection.ts';
import { baseSha, headSha, mergeCommitSha } from './payloads-pulls.ts';
import { authorAssociation } from './payloads-users.ts';
import { fakeSha, shaOf, type SimState } from './state.ts';

type Src = Record<string, unknown>;
type Dir = 'ASC' | 'DESC';
interface Order {
  field: string;
  direction: Dir;
}

const ordered = <T>(list: T[], key: (x: T) => string | number, tie: (x: T) => number, direction: Dir): T[] =>
  [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const d = ka < kb ? -1 : ka > kb ? 1 : tie(a) - tie(b);
    return direction === 'DESC' ? -d : d;
  });

const webUrl = (s: SimState, ...parts: (string | number)[]) => [s.baseUrl, ...parts.map((p) => encodeURIComponent(String(p)))].join('/');

/**
 * GraphQL `Int` is 32-bit; ids beyond it (modern review and comment ids) come back null from
 * `databaseId`, and clients read `fullDatabaseId` (a BigInt string) instead, as on GitHub.
 */
const int32 = (id: number): number | null => (id <= 2_147_483_647 ? id : null);

/** GraphQL drops the `[bot]` suffix that REST logins carry. */
const graphqlLogin = (p: SimPerson) => (p.type === 'Bot' ? p.login.replace(/\[bot\]$/, '') : p.login);

/** An Actor, or null for a deleted account (GitHub's GraphQL has no ghost object). */
export function actor(s: SimState, login: string | null): Src | null {
  const p = login === null ? undefined : s.index.people.get(login);
  if (!p || p.deleted) return null;
  return p.type === 'Bot' ? botNode(s, p) : userNode(s, p);
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
        (r) => (a.isArchived == null || r.isArchived === a.isArchived) && (a.privacy == null || (a.privacy === 'PRIVATE') === r.isPrivate),
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

function repoUpdatedAt(s: SimState, r: SimRepo): string {
  let latest = r.commits.at(-1)?.date ?? r.createdAt;
  for (const p of s.index.pullsByRepo.get(r.name) ?? []) if (p.updatedAt > latest) latest = p.updatedAt;
  return latest;
}

function pullState(p: SimPull): 'OPEN' | 'CLOSED' | 'MERGED' {
  return p.mergedAt !== null ? 'MERGED' : p.closedAt !== null ? 'CLOSED' : 'OPEN';
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
    url: webUrl(s, org, r.name),
    resourcePath: `/${org}/${r.name}`,
    sshUrl: `git@127.0.0.1:${org}/${r.name}.git`,
    isPrivate: r.isPrivate,
    isArchived: r.isArchived,
    isFork: false,
    isDisabled: false,
    isEmpty: r.commits.length === 0,
    visibility: r.isPrivate ? 'PRIVATE' : 'PUBLIC',
    createdAt: r.createdAt,
    updatedAt: repoUpdatedAt(s, r),
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
      let pulls = (s.index.pullsByRepo.get(r.name) ?? []).filter(
        (p) =>
          (!a.states || a.states.includes(pullState(p))) &&
          (a.headRefName == null || p.headRef === a.headRefName) &&
          (a.baseRefName == null || p.baseRef === a.baseRefName),
      );
      const o = a.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
      const key = (p: SimPull): string | number =>
        o.field === 'UPDATED_AT' ? p.updatedAt : o.field === 'COMMENTS' ? p.issueComments.length : p.createdAt;
      pulls = ordered(pulls, key, (p) => p.number, o.direction);
      return connection(pulls, a, (p) => pullNode(s, p));
    },
    pullRequest: (a: { number: number }) => {
      const p = s.index.pull.get(r.name)?.get(a.number);
      return p ? pullNode(s, p) : null;
    },
  };
}

export function commitNode(s: SimState, repo: string, commitId: string): Src {
  const c = s.index.commits.get(repo)?.get(commitId);
  const oid = shaOf(s, repo, commitId);
  const org = s.index.org.org.login;
  const who = { name: c?.authorName ?? null, email: c?.authorEmail ?? null, date: c?.date ?? null, user: () => actorAsUser(s, c?.authorLogin ?? null) };
  return {
    __typename: 'Commit',
    id: Buffer.from(`Commit:${repo}:${oid}`).toString('base64'),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    message: c?.message ?? '',
    messageHeadline: (c?.message ?? '').split('\n')[0],
    committedDate: c?.date ?? null,
    authoredDate: c?.date ?? null,
    url: webUrl(s, org, repo, 'commit', oid),
    author: who,
    committer: who,
    changedFilesIfAvailable: c?.changes.length ?? null,
    additions: c?.changes.reduce((n, ch) => n + ch.additions, 0) ?? 0,
    deletions: c?.changes.reduce((n, ch) => n + ch.deletions, 0) ?? 0,
  };
}

function actorAsUser(s: SimState, login: string | null): Src | null {
  const a = actor(s, login);
  return a && a.__typename === 'User' ? a : null;
}

export function pullNode(s: SimState, p: SimPull): Src {
  const org = s.index.org.org.login;
  const url = webUrl(s, org, p.repo, 'pull', p.number);
  const mergeSha = mergeCommitSha(s, p);
  const mergeId = s.index.mergeCommit.get(p.repo)?.get(p.number);
  return {
    __typename: 'PullRequest',
    id: p.nodeId,
    databaseId: int32(p.id),
    fullDatabaseId: String(p.id),
    number: p.number,
    title: p.title,
    body: p.body,
    bodyText: p.body,
    url,
    permalink: url,
    resourcePath: `/${org}/${p.repo}/pull/${p.number}`,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    publishedAt: p.createdAt,
    lastEditedAt: null,
    closedAt: p.closedAt,
    mergedAt: p.mergedAt,
    merged: p.mergedAt !== null,
    closed: p.closedAt !== null,
    locked: false,
    isDraft: p.isDraft,
    state: pullState(p),
    additions: p.additions,
    deletions: p.deletions,
    changedFiles: p.changedFiles,
    headRefName: p.headRef,
    baseRefName: p.baseRef,
    headRefOid: headSha(s, p),
    baseRefOid: baseSha(s, p),
    totalCommentsCount: p.issueComments.length + p.reviewComments.length,
    authorAssociation: authorAssociation(s, p.author),
    author: () => actor(s, p.author),
    mergedBy: () => (p.mergedBy === null ? null : actor(s, p.mergedBy)),
    mergeCommit: () =>
      mergeSha === null ? null : mergeId !== undefined ? commitNode(s, p.repo, mergeId) : { __typename: 'Commit', oid: mergeSha, abbreviatedOid: mergeSha.slice(0, 7) },
    repository: () => {
      const r = s.index.repos.get(p.repo);
      return r ? repoNode(s, r) : null;
    },
    commits: (a: ConnectionArgs) =>
      connection(p.commitIds, a, (id) => ({
        __typename: 'PullRequestCommit',
        id: Buffer.from(`PRC:${p.nodeId}:${id}`).toString('base64'),
        url: `${url}/commits/${shaOf(s, p.repo, id)}`,
        commit: commitNode(s, p.repo, id),
      })),
    reviews: (a: ConnectionArgs & { states?: string[] | null; author?: string | null }) => {
      const list = p.reviews
        .filter((r) => (!a.states || a.states.includes(r.state)) && (a.author == null || r.author === a.author))
        .sort((x, y) => (x.submittedAt < y.submittedAt ? -1 : x.submittedAt > y.submittedAt ? 1 : x.id - y.id));
      return connection(list, a, (r) => reviewNode(s, p, r));
    },
    comments: (a: ConnectionArgs & { orderBy?: Order | null }) => {
      const o = a.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
      const list = ordered(p.issueComments, (c) => (o.field === 'UPDATED_AT' ? c.updatedAt : c.createdAt), (c) => c.id, o.direction);
      return connection(list, a, (c) => issueCommentNode(s, p, c));
    },
    reviewThreads: (a: ConnectionArgs) => connection(threadsOf(p), a, (t) => threadNode(s, p, t)),
    reviewRequests: (a: ConnectionArgs) =>
      connection(
        p.reviewRequests.filter((r) => r.pending),
        a,
        (r) => ({
          __typename: 'ReviewRequest',
          id: Buffer.from(`RR:${p.nodeId}:${r.reviewer ?? `@${r.team}`}`).toString('base64'),
          asCodeOwner: false,
          pullRequest: () => pullNode(s, p),
          requestedReviewer: () => requested(s, r.reviewer, r.team),
        }),
      ),
    timelineItems: (a: ConnectionArgs & { itemTypes?: string[] | null; since?: string | null }) => {
      const items = timelineOf(p).filter((e) => (!a.itemTypes || a.itemTypes.includes(e.kind)) && (a.since == null || e.at >= a.since));
      const all = timelineOf(p);
      const c = connection(items, a, (e) => timelineNode(s, p, e));
      return { ...c, filteredCount: items.length, totalCount: all.length, pageCount: c.nodes.length, updatedAt: p.updatedAt };
    },
    labels: (a: ConnectionArgs) => connection([], a, (x) => x),
    assignees: (a: ConnectionArgs) => connection([], a, (x) => x),
  };
}

function requested(s: SimState, reviewer: string | null, team: string | null): Src | null {
  if (reviewer !== null) return actor(s, reviewer);
  const t = team === null ? undefined : s.index.teams.get(team);
  return t ? teamNode(s, t) : null;
}

interface TimelineEvent {
  kind: 'REVIEW_REQUESTED_EVENT' | 'READY_FOR_REVIEW_EVENT';
  at: string;
  reviewer: string | null;
  team: string | null;
  n: number;
}

function timelineOf(p: SimPull): TimelineEvent[] {
  const events: TimelineEvent[] = p.reviewRequests.map((r, n) => ({ kind: 'REVIEW_REQUESTED_EVENT', at: r.requestedAt, reviewer: r.reviewer, team: r.team, n }));
  if (p.readyAt !== null) events.push({ kind: 'READY_FOR_REVIEW_EVENT', at: p.readyAt, reviewer: null, team: null, n: events.length });
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.n - b.n));
}

function timelineNode(s: SimState, p: SimPull, e: TimelineEvent): Src {
  const id = Buffer.from(`${e.kind}:${p.nodeId}:${e.n}`).toString('base64');
  if (e.kind === 'READY_FOR_REVIEW_EVENT') {
    return { __typename: 'ReadyForReviewEvent', id, createdAt: e.at, actor: () => actor(s, p.author), pullRequest: () => pullNode(s, p), url: `${s.baseUrl}` };
  }
  return {
    __typename: 'ReviewRequestedEvent',
    id,
    createdAt: e.at,
    actor: () => actor(s, p.author),
    pullRequest: () => pullNode(s, p),
    requestedReviewer: () => requested(s, e.reviewer, e.team),
  };
}

export function reviewNode(s: SimState, p: SimPull, r: SimReview): Src {
  const org = s.index.org.org.login;
  return {
    __typename: 'PullRequestReview',
    id: r.nodeId,
    databaseId: int32(r.id),
    fullDatabaseId: String(r.id),
    author: () => actor(s, r.author),
    authorAssociation: authorAssociation(s, r.author),
    state: r.state,
    body: r.body,
    bodyText: r.body,
    createdAt: r.submittedAt,
    updatedAt: r.submittedAt,
    submittedAt: r.submittedAt,
    publishedAt: r.submittedAt,
    lastEditedAt: null,
    url: `${webUrl(s, org, p.repo, 'pull', p.number)}#pullrequestreview-${r.id}`,
    pullRequest: () => pullNode(s, p),
    commit: () => ({ __typename: 'Commit', oid: headSha(s, p), abbreviatedOid: headSha(s, p).slice(0, 7) }),
    comments: (a: ConnectionArgs) =>
      connection(
        p.reviewComments.filter((c) => c.reviewId === r.id).sort((x, y) => x.id - y.id),
        a,
        (c) => reviewCommentNode(s, p, c),
      ),
  };
}

export function reviewCommentNode(s: SimState, p: SimPull, c: SimReviewComment): Src {
  const org = s.index.org.org.login;
  return {
    __typename: 'PullRequestReviewComment',
    id: c.nodeId,
    databaseId: int32(c.id),
    fullDatabaseId: String(c.id),
    author: () => actor(s, c.author),
    authorAssociation: authorAssociation(s, c.author),
    body: c.body,
    bodyText: c.body,
    path: c.path,
    line: c.line,
    originalLine: c.line,
    position: 4,
    originalPosition: 4,
    diffHunk: `@@ -${Math.max(1, c.line - 3)},6 +${Math.max(1, c.line - 3)},7 @@`,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.createdAt,
    lastEditedAt: null,
    state: 'SUBMITTED',
    outdated: false,
    isMinimized: false,
    url: `${webUrl(s, org, p.repo, 'pull', p.number)}#discussion_r${c.id}`,
    pullRequest: () => pullNode(s, p),
    pullRequestReview: () => {
      const r = p.reviews.find((x) => x.id === c.reviewId);
      return r ? reviewNode(s, p, r) : null;
    },
    replyTo: () => {
      const to = c.inReplyTo === null ? undefined : p.reviewComments.find((x) => x.id === c.inReplyTo);
      return to ? reviewCommentNode(s, p, to) : null;
    },
  };
}

interface Thread {
  root: SimReviewComment;
  comments: SimReviewComment[];
}

/** Groups inline comments into threads: a comment and every reply chained to it. */
function threadsOf(p: SimPull): Thread[] {
  const byId = new Map(p.reviewComments.map((c) => [c.id, c]));
  const rootOf = (c: SimReviewComment): SimReviewComment => {
    let cur = c;
    for (let i = 0; i < 1000 && cur.inReplyTo !== null; i++) {
      const up = byId.get(cur.inReplyTo);
      if (!up) break;
      cur = up;
    }
    return cur;
  };
  const threads = new Map<number, Thread>();
  for (const c of [...p.reviewComments].sort((a, b) => a.id - b.id)) {
    const root = rootOf(c);
    const t = threads.get(root.id) ?? { root, comments: [] };
    t.comments.push(c);
    threads.set(root.id, t);
  }
  return [...threads.values()].sort((a, b) => a.root.id - b.root.id);
}

function threadNode(s: SimState, p: SimPull, t: Thread): Src {
  return {
    __typename: 'PullRequestReviewThread',
    id: Buffer.from(`PRRT:${p.nodeId}:${t.root.id}`).toString('base64'),
    isResolved: false,
    isOutdated: false,
    isCollapsed: false,
    path: t.root.path,
    line: t.root.line,
    originalLine: t.root.line,
    diffSide: 'RIGHT',
    pullRequest: () => pullNode(s, p),
    comments: (a: ConnectionArgs) => connection(t.comments, a, (c) => reviewCommentNode(s, p, c)),
  };
}

export function issueCommentNode(s: SimState, p: SimPull, c: SimIssueComment): Src {
  const org = s.index.org.org.login;
  return {
    __typename: 'IssueComment',
    id: c.nodeId,
    databaseId: int32(c.id),
    fullDatabaseId: String(c.id),
    author: () => actor(s, c.author),
    authorAssociation: authorAssociation(s, c.author),
    body: c.body,
    bodyText: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.createdAt,
    lastEditedAt: null,
    isMinimized: false,
    url: `${webUrl(s, org, p.repo, 'pull', p.number)}#issuecomment-${c.id}`,
    pullRequest: () => pullNode(s, p),
  };
}

/** Query.node / Query.nodes: any id the org serves. */
export function nodeById(s: SimState, id: string): Src | null {
  const o = s.index.org;
  if (id === o.org.nodeId) return orgNode(s);
  const repo = o.repos.find((r) => r.nodeId === id);
  if (repo) return repoNode(s, repo);
  const person = o.people.find((p) => p.nodeId === id);
  if (person) return actor(s, person.login);
  const team = o.teams.find((t) => t.nodeId === id);
  if (team) return teamNode(s, team);
  for (const p of o.pulls) {
    if (p.nodeId === id) return pullNode(s, p);
    const r = p.reviews.find((x) => x.nodeId === id);
    if (r) return reviewNode(s, p, r);
  }
  return null;
}

export function notFound(message: string): never {
  throw new GitHubGraphQLError(message, 'NOT_FOUND');
}
