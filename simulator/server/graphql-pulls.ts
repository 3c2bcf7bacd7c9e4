// GraphQL sources for pull requests and what hangs off them: reviews, inline comments grouped
// into threads, conversation comments, review requests and timeline events.
//
// They are classes: every field is a getter, or a method taking the field's arguments (see
// graphql-schema.ts), on the prototype. A page of 100 PRs builds a few hundred of them, so a
// source costs an object holding a few references, and a field costs something only when a
// query selects it.
import type { SimIssueComment, SimPull, SimRepo, SimReview, SimReviewComment, SimTeam } from '../model.ts';
import { actor } from './graphql-actors.ts';
import { commitNode } from './graphql-commits.ts';
import { connection, type ConnectionArgs } from './graphql-connection.ts';
import { int32, ordered, pullState, webUrl, type Order, type Src } from './graphql-shared.ts';
import { baseSha, headSha, mergeCommitSha } from './payloads-pulls.ts';
import { authorAssociation } from './payloads-users.ts';
import { shaOf, type SimState } from './state.ts';

/**
 * The sources a pull request links up to: its repository, and the teams asked to review it.
 * graphql-org.ts builds those and links down to pull requests, so it hands them in and every
 * source here passes them on; importing them back would make the two files a cycle.
 */
export interface PullLinks {
  repoNode(s: SimState, r: SimRepo): Src;
  teamNode(s: SimState, t: SimTeam): Src;
}

const pullUrl = (s: SimState, p: SimPull) => webUrl(s, s.index.org.org.login, p.repo, 'pull', p.number);

export class PullSource {
  readonly #s: SimState;
  readonly #links: PullLinks;
  readonly #p: SimPull;
  constructor(s: SimState, links: PullLinks, p: SimPull) {
    this.#s = s;
    this.#links = links;
    this.#p = p;
  }
  get __typename() {
    return 'PullRequest';
  }
  get id() {
    return this.#p.nodeId;
  }
  get databaseId() {
    return int32(this.#p.id);
  }
  get fullDatabaseId() {
    return String(this.#p.id);
  }
  get number() {
    return this.#p.number;
  }
  get title() {
    return this.#p.title;
  }
  get body() {
    return this.#p.body;
  }
  get bodyText() {
    return this.#p.body;
  }
  get url() {
    return pullUrl(this.#s, this.#p);
  }
  get permalink() {
    return pullUrl(this.#s, this.#p);
  }
  get resourcePath() {
    return `/${this.#s.index.org.org.login}/${this.#p.repo}/pull/${this.#p.number}`;
  }
  get createdAt() {
    return this.#p.createdAt;
  }
  get updatedAt() {
    return this.#p.updatedAt;
  }
  get publishedAt() {
    return this.#p.createdAt;
  }
  get lastEditedAt() {
    return null;
  }
  get closedAt() {
    return this.#p.closedAt;
  }
  get mergedAt() {
    return this.#p.mergedAt;
  }
  get merged() {
    return this.#p.mergedAt !== null;
  }
  get closed() {
    return this.#p.closedAt !== null;
  }
  get locked() {
    return false;
  }
  get isDraft() {
    return this.#p.isDraft;
  }
  get state() {
    return pullState(this.#p);
  }
  get additions() {
    return this.#p.additions;
  }
  get deletions() {
    return this.#p.deletions;
  }
  get changedFiles() {
    return this.#p.changedFiles;
  }
  get headRefName() {
    return this.#p.headRef;
  }
  get baseRefName() {
    return this.#p.baseRef;
  }
  get headRefOid() {
    return headSha(this.#s, this.#p);
  }
  get baseRefOid() {
    return baseSha(this.#s, this.#p);
  }
  get totalCommentsCount() {
    return this.#p.issueComments.length + this.#p.reviewComments.length;
  }
  get authorAssociation() {
    return authorAssociation(this.#s, this.#p.author);
  }
  author() {
    return actor(this.#s, this.#p.author);
  }
  mergedBy() {
    return this.#p.mergedBy === null ? null : actor(this.#s, this.#p.mergedBy);
  }
  mergeCommit() {
    const s = this.#s;
    const p = this.#p;
    const mergeSha = mergeCommitSha(s, p);
    if (mergeSha === null) return null;
    const mergeId = s.index.mergeCommit.get(p.repo)?.get(p.number);
    return mergeId !== undefined ? commitNode(s, p.repo, mergeId) : { __typename: 'Commit', oid: mergeSha, abbreviatedOid: mergeSha.slice(0, 7) };
  }
  repository() {
    const r = this.#s.index.repos.get(this.#p.repo);
    return r ? this.#links.repoNode(this.#s, r) : null;
  }
  commits(a: ConnectionArgs) {
    const s = this.#s;
    const p = this.#p;
    return connection(p.commitIds, a, (id) => ({
      __typename: 'PullRequestCommit',
      id: Buffer.from(`PRC:${p.nodeId}:${id}`).toString('base64'),
      url: `${pullUrl(s, p)}/commits/${shaOf(s, p.repo, id)}`,
      commit: commitNode(s, p.repo, id),
    }));
  }
  reviews(a: ConnectionArgs & { states?: string[] | null; author?: string | null }) {
    const list = this.#p.reviews
      .filter((r) => (!a.states || a.states.includes(r.state)) && (a.author == null || r.author === a.author))
      .sort((x, y) => (x.submittedAt < y.submittedAt ? -1 : x.submittedAt > y.submittedAt ? 1 : x.id - y.id));
    return connection(list, a, (r) => new ReviewSource(this.#s, this.#links, this.#p, r));
  }
  comments(a: ConnectionArgs & { orderBy?: Order | null }) {
    const o = a.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
    const list = ordered(this.#p.issueComments, (c) => (o.field === 'UPDATED_AT' ? c.updatedAt : c.createdAt), (c) => c.id, o.direction);
    return connection(list, a, (c) => new IssueCommentSource(this.#s, this.#links, this.#p, c));
  }
  reviewThreads(a: ConnectionArgs) {
    return connection(threadsOf(this.#p), a, (t) => threadNode(this.#s, this.#links, this.#p, t));
  }
  reviewRequests(a: ConnectionArgs) {
    const s = this.#s;
    const links = this.#links;
    const p = this.#p;
    return connection(
      p.reviewRequests.filter((r) => r.pending),
      a,
      (r) => ({
        __typename: 'ReviewRequest',
        id: Buffer.from(`RR:${p.nodeId}:${r.reviewer ?? `@${r.team}`}`).toString('base64'),
        asCodeOwner: false,
        pullRequest: () => new PullSource(s, links, p),
        requestedReviewer: () => requested(s, links, r.reviewer, r.team),
      }),
    );
  }
  timelineItems(a: ConnectionArgs & { itemTypes?: string[] | null; since?: string | null }) {
    const all = timelineOf(this.#p);
    const items = all.filter((e) => (!a.itemTypes || a.itemTypes.includes(e.kind)) && (a.since == null || e.at >= a.since));
    const c = connection(items, a, (e) => new TimelineSource(this.#s, this.#links, this.#p, e));
    return { ...c, filteredCount: items.length, totalCount: all.length, pageCount: c.nodes.length, updatedAt: this.#p.updatedAt };
  }
  labels(a: ConnectionArgs) {
    return connection([], a, (x) => x);
  }
  assignees(a: ConnectionArgs) {
    return connection([], a, (x) => x);
  }
}

export function pullNode(s: SimState, links: PullLinks, p: SimPull): PullSource {
  return new PullSource(s, links, p);
}

function requested(s: SimState, links: PullLinks, reviewer: string | null, team: string | null): Src | null {
  if (reviewer !== null) return actor(s, reviewer);
  const t = team === null ? undefined : s.index.teams.get(team);
  return t ? links.teamNode(s, t) : null;
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

/** A ReviewRequestedEvent or a ReadyForReviewEvent. */
class TimelineSource {
  readonly #s: SimState;
  readonly #links: PullLinks;
  readonly #p: SimPull;
  readonly #e: TimelineEvent;
  constructor(s: SimState, links: PullLinks, p: SimPull, e: TimelineEvent) {
    this.#s = s;
    this.#links = links;
    this.#p = p;
    this.#e = e;
  }
  get __typename() {
    return this.#e.kind === 'READY_FOR_REVIEW_EVENT' ? 'ReadyForReviewEvent' : 'ReviewRequestedEvent';
  }
  get id() {
    return Buffer.from(`${this.#e.kind}:${this.#p.nodeId}:${this.#e.n}`).toString('base64');
  }
  get createdAt() {
    return this.#e.at;
  }
  get url() {
    return this.#s.baseUrl;
  }
  actor() {
    return actor(this.#s, this.#p.author);
  }
  pullRequest() {
    return new PullSource(this.#s, this.#links, this.#p);
  }
  requestedReviewer() {
    return requested(this.#s, this.#links, this.#e.reviewer, this.#e.team);
  }
}

export class ReviewSource {
  readonly #s: SimState;
  readonly #links: PullLinks;
  readonly #p: SimPull;
  readonly #r: SimReview;
  constructor(s: SimState, links: PullLinks, p: SimPull, r: SimReview) {
    this.#s = s;
    this.#links = links;
    this.#p = p;
    this.#r = r;
  }
  get __typename() {
    return 'PullRequestReview';
  }
  get id() {
    return this.#r.nodeId;
  }
  get databaseId() {
    return int32(this.#r.id);
  }
  get fullDatabaseId() {
    return String(this.#r.id);
  }
  get authorAssociation() {
    return authorAssociation(this.#s, this.#r.author);
  }
  get state() {
    return this.#r.state;
  }
  get body() {
    return this.#r.body;
  }
  get bodyText() {
    return this.#r.body;
  }
  get createdAt() {
    return this.#r.submittedAt;
  }
  get updatedAt() {
    return this.#r.submittedAt;
  }
  get submittedAt() {
    return this.#r.submittedAt;
  }
  get publishedAt() {
    return this.#r.submittedAt;
  }
  get lastEditedAt() {
    return null;
  }
  get url() {
    return `${pullUrl(this.#s, this.#p)}#pullrequestreview-${this.#r.id}`;
  }
  author() {
    return actor(this.#s, this.#r.author);
  }
  pullRequest() {
    return new PullSource(this.#s, this.#links, this.#p);
  }
  commit() {
    const sha = headSha(this.#s, this.#p);
    return { __typename: 'Commit', oid: sha, abbreviatedOid: sha.slice(0, 7) };
  }
  comments(a: ConnectionArgs) {
    const list = this.#p.reviewComments.filter((c) => c.reviewId === this.#r.id).sort((x, y) => x.id - y.id);
    return connection(list, a, (c) => new ReviewCommentSource(this.#s, this.#links, this.#p, c));
  }
}

export function reviewNode(s: SimState, links: PullLinks, p: SimPull, r: SimReview): ReviewSource {
  return new ReviewSource(s, links, p, r);
}

/** What an inline comment and a conversation comment share. */
abstract class CommentSource<C extends SimReviewComment | SimIssueComment> {
  readonly #s: SimState;
  readonly #links: PullLinks;
  readonly #p: SimPull;
  readonly #c: C;
  constructor(s: SimState, links: PullLinks, p: SimPull, c: C) {
    this.#s = s;
    this.#links = links;
    this.#p = p;
    this.#c = c;
  }
  protected get sim() {
    return this.#s;
  }
  protected get links() {
    return this.#links;
  }
  protected get pr() {
    return this.#p;
  }
  protected get comment() {
    return this.#c;
  }
  get id() {
    return this.#c.nodeId;
  }
  get databaseId() {
    return int32(this.#c.id);
  }
  get fullDatabaseId() {
    return String(this.#c.id);
  }
  get authorAssociation() {
    return authorAssociation(this.#s, this.#c.author);
  }
  get body() {
    return this.#c.body;
  }
  get bodyText() {
    return this.#c.body;
  }
  get createdAt() {
    return this.#c.createdAt;
  }
  get updatedAt() {
    return this.#c.updatedAt;
  }
  get publishedAt() {
    return this.#c.createdAt;
  }
  get lastEditedAt() {
    return null;
  }
  get isMinimized() {
    return false;
  }
  author() {
    return actor(this.#s, this.#c.author);
  }
  pullRequest() {
    return new PullSource(this.#s, this.#links, this.#p);
  }
}

export class ReviewCommentSource extends CommentSource<SimReviewComment> {
  get __typename() {
    return 'PullRequestReviewComment';
  }
  get path() {
    return this.comment.path;
  }
  get line() {
    return this.comment.line;
  }
  get originalLine() {
    return this.comment.line;
  }
  get position() {
    return 4;
  }
  get originalPosition() {
    return 4;
  }
  get diffHunk() {
    const from = Math.max(1, this.comment.line - 3);
    return `@@ -${from},6 +${from},7 @@`;
  }
  get state() {
    return 'SUBMITTED';
  }
  get outdated() {
    return false;
  }
  get url() {
    return `${pullUrl(this.sim, this.pr)}#discussion_r${this.comment.id}`;
  }
  pullRequestReview() {
    const r = this.pr.reviews.find((x) => x.id === this.comment.reviewId);
    return r ? new ReviewSource(this.sim, this.links, this.pr, r) : null;
  }
  replyTo() {
    const to = this.comment.inReplyTo === null ? undefined : this.pr.reviewComments.find((x) => x.id === this.comment.inReplyTo);
    return to ? new ReviewCommentSource(this.sim, this.links, this.pr, to) : null;
  }
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

function threadNode(s: SimState, links: PullLinks, p: SimPull, t: Thread): Src {
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
    pullRequest: () => new PullSource(s, links, p),
    comments: (a: ConnectionArgs) => connection(t.comments, a, (c) => new ReviewCommentSource(s, links, p, c)),
  };
}

export class IssueCommentSource extends CommentSource<SimIssueComment> {
  get __typename() {
    return 'IssueComment';
  }
  get url() {
    return `${pullUrl(this.sim, this.pr)}#issuecomment-${this.comment.id}`;
  }
}
