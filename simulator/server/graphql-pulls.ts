// GraphQL sources for pull requests and what hangs off them: reviews, inline comments grouped
// into threads, conversation comments, review requests and timeline events.
import type { SimIssueComment, SimPull, SimReview, SimReviewComment } from '../model.ts';
import { connection, type ConnectionArgs } from './graphql-connection.ts';
import { actor, commitNode, repoNode, teamNode } from './graphql-org.ts';
import { int32, ordered, pullState, webUrl, type Order, type Src } from './graphql-shared.ts';
import { baseSha, headSha, mergeCommitSha } from './payloads-pulls.ts';
import { authorAssociation } from './payloads-users.ts';
import { shaOf, type SimState } from './state.ts';

export function pullNode(s: SimState, p: SimPull): Src {
  const org = s.index.org.org.login;
  // Fields that cost a hash or a lookup are getters: a query asks for a few of the many.
  const url = () => webUrl(s, org, p.repo, 'pull', p.number);
  return {
    __typename: 'PullRequest',
    id: p.nodeId,
    databaseId: int32(p.id),
    fullDatabaseId: String(p.id),
    number: p.number,
    title: p.title,
    body: p.body,
    bodyText: p.body,
    get url() {
      return url();
    },
    get permalink() {
      return url();
    },
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
    get headRefOid() {
      return headSha(s, p);
    },
    get baseRefOid() {
      return baseSha(s, p);
    },
    totalCommentsCount: p.issueComments.length + p.reviewComments.length,
    get authorAssociation() {
      return authorAssociation(s, p.author);
    },
    author: () => actor(s, p.author),
    mergedBy: () => (p.mergedBy === null ? null : actor(s, p.mergedBy)),
    mergeCommit: () => {
      const mergeSha = mergeCommitSha(s, p);
      const mergeId = s.index.mergeCommit.get(p.repo)?.get(p.number);
      return mergeSha === null ? null : mergeId !== undefined ? commitNode(s, p.repo, mergeId) : { __typename: 'Commit', oid: mergeSha, abbreviatedOid: mergeSha.slice(0, 7) };
    },
    repository: () => {
      const r = s.index.repos.get(p.repo);
      return r ? repoNode(s, r) : null;
    },
    commits: (a: ConnectionArgs) =>
      connection(p.commitIds, a, (id) => ({
        __typename: 'PullRequestCommit',
        id: Buffer.from(`PRC:${p.nodeId}:${id}`).toString('base64'),
        url: `${url()}/commits/${shaOf(s, p.repo, id)}`,
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
    get authorAssociation() {
      return authorAssociation(s, r.author);
    },
    state: r.state,
    body: r.body,
    bodyText: r.body,
    createdAt: r.submittedAt,
    updatedAt: r.submittedAt,
    submittedAt: r.submittedAt,
    publishedAt: r.submittedAt,
    lastEditedAt: null,
    get url() {
      return `${webUrl(s, org, p.repo, 'pull', p.number)}#pullrequestreview-${r.id}`;
    },
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
    get authorAssociation() {
      return authorAssociation(s, c.author);
    },
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
    get url() {
      return `${webUrl(s, org, p.repo, 'pull', p.number)}#discussion_r${c.id}`;
    },
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
    get authorAssociation() {
      return authorAssociation(s, c.author);
    },
    body: c.body,
    bodyText: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.createdAt,
    lastEditedAt: null,
    isMinimized: false,
    get url() {
      return `${webUrl(s, org, p.repo, 'pull', p.number)}#issuecomment-${c.id}`;
    },
    pullRequest: () => pullNode(s, p),
  };
}

/** Query.node / Query.nodes: any id the org serves. */
