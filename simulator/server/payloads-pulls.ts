import type { SimCommit, SimIssueComment, SimPull, SimReview, SimReviewComment } from '../model.ts';
import { orgOwner, repoObject, teamObject } from './payloads-repos.ts';
import { authorAssociation, simpleUser } from './payloads-users.ts';
import { fakeSha, shaOf, type SimState } from './state.ts';

const reactions = (url: string) => ({
  url: `${url}/reactions`,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

/** SHA of the squash commit a merged PR landed as (GitHub's merge_commit_sha), else null. */
export function mergeCommitSha(state: SimState, p: SimPull): string | null {
  if (p.mergedAt === null) return null;
  const id = state.index.mergeCommit.get(p.repo)?.get(p.number);
  return id === undefined ? fakeSha(`${p.repo}#${p.number}:merge`) : shaOf(state, p.repo, id);
}

/** SHA of the PR's head: its last commit, or a stable stand-in. */
export function headSha(state: SimState, p: SimPull): string {
  const last = p.commitIds.at(-1);
  return last === undefined ? fakeSha(`${p.repo}#${p.number}:head`) : shaOf(state, p.repo, last);
}

export function baseSha(state: SimState, p: SimPull): string {
  const commits = state.index.repos.get(p.repo)?.commits ?? [];
  // The default branch's last commit before the PR was opened (history is oldest first).
  let lo = 0;
  let hi = commits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (commits[mid]!.date <= p.createdAt) lo = mid + 1;
    else hi = mid;
  }
  const base: SimCommit | undefined = commits[lo - 1];
  return base ? shaOf(state, p.repo, base.id) : fakeSha(`${p.repo}#${p.number}:base`);
}

/** `pull-request-simple` (the list item). */
export function pullSimple(state: SimState, p: SimPull): Record<string, unknown> {
  const org = state.index.org.org.login;
  const repo = state.index.repos.get(p.repo);
  const repoUrl = `${state.baseUrl}/repos/${org}/${p.repo}`;
  const url = `${repoUrl}/pulls/${p.number}`;
  const html = `${state.baseUrl}/${org}/${p.repo}/pull/${p.number}`;
  const issue = `${repoUrl}/issues/${p.number}`;
  const head = headSha(state, p);
  const repoBody = repo ? repoObject(state, repo) : null;
  const pending = p.reviewRequests.filter((r) => r.pending);
  return {
    url,
    id: p.id,
    node_id: p.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    number: p.number,
    state: p.closedAt === null ? 'open' : 'closed',
    locked: false,
    title: p.title,
    user: simpleUser(state, p.author),
    body: p.body,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: mergeCommitSha(state, p),
    assignee: null,
    assignees: [],
    requested_reviewers: pending.filter((r) => r.reviewer !== null).map((r) => simpleUser(state, r.reviewer)),
    requested_teams: pending.flatMap((r) => {
      const t = r.team === null ? undefined : state.index.teams.get(r.team);
      return t ? [teamObject(state, t)] : [];
    }),
    labels: [],
    milestone: null,
    draft: p.isDraft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${repoUrl}/statuses/${head}`,
    head: { label: `${org}:${p.headRef}`, ref: p.headRef, sha: head, user: simpleUser(state, p.author), repo: repoBody },
    base: { label: `${org}:${p.baseRef}`, ref: p.baseRef, sha: baseSha(state, p), user: orgOwner(state), repo: repoBody },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repoUrl}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${repoUrl}/statuses/${head}` },
    },
    author_association: authorAssociation(state, p.author),
    auto_merge: null,
    active_lock_reason: null,
  };
}

/** `pull-request` (GET one): the list item plus counts and merge state. */
export function pullFull(state: SimState, p: SimPull): Record<string, unknown> {
  const base = pullSimple(state, p);
  return {
    ...base,
    merged: p.mergedAt !== null,
    mergeable: p.closedAt === null ? true : null,
    rebaseable: p.closedAt === null ? false : null,
    mergeable_state: p.closedAt === null ? (p.isDraft ? 'draft' : 'clean') : 'unknown',
    merged_by: p.mergedBy === null ? null : simpleUser(state, p.mergedBy),
    comments: p.issueComments.length,
    review_comments: p.reviewComments.length,
    maintainer_can_modify: false,
    commits: Math.max(1, p.commitIds.length),
    additions: p.additions,
    deletions: p.deletions,
    changed_files: p.changedFiles,
  };
}

export function reviewObject(state: SimState, p: SimPull, r: SimReview): Record<string, unknown> {
  const org = state.index.org.org.login;
  const html = `${state.baseUrl}/${org}/${p.repo}/pull/${p.number}#pullrequestreview-${r.id}`;
  const prUrl = `${state.baseUrl}/repos/${org}/${p.repo}/pulls/${p.number}`;
  return {
    id: r.id,
    node_id: r.nodeId,
    user: simpleUser(state, r.author),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: prUrl,
    author_association: authorAssociation(state, r.author),
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    submitted_at: r.submittedAt,
    commit_id: headSha(state, p),
  };
}

export function reviewCommentObject(state: SimState, p: SimPull, c: SimReviewComment): Record<string, unknown> {
  const org = state.index.org.org.login;
  const repoUrl = `${state.baseUrl}/repos/${org}/${p.repo}`;
  const url = `${repoUrl}/pulls/comments/${c.id}`;
  const html = `${state.baseUrl}/${org}/${p.repo}/pull/${p.number}#discussion_r${c.id}`;
  const prUrl = `${repoUrl}/pulls/${p.number}`;
  const sha = headSha(state, p);
  return {
    url,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: c.nodeId,
    diff_hunk: `@@ -${Math.max(1, c.line - 3)},6 +${Math.max(1, c.line - 3)},7 @@`,
    path: c.path,
    position: 4,
    original_position: 4,
    commit_id: sha,
    original_commit_id: sha,
    ...(c.inReplyTo === null ? {} : { in_reply_to_id: c.inReplyTo }),
    user: simpleUser(state, c.author),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: prUrl,
    author_association: authorAssociation(state, c.author),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: prUrl } },
    reactions: reactions(url),
    start_line: null,
    original_start_line: null,
    start_side: null,
    line: c.line,
    original_line: c.line,
    side: 'RIGHT',
    subject_type: 'line',
  };
}

export function issueCommentObject(state: SimState, p: SimPull, c: SimIssueComment): Record<string, unknown> {
  const org = state.index.org.org.login;
  const repoUrl = `${state.baseUrl}/repos/${org}/${p.repo}`;
  const url = `${repoUrl}/issues/comments/${c.id}`;
  return {
    url,
    html_url: `${state.baseUrl}/${org}/${p.repo}/pull/${p.number}#issuecomment-${c.id}`,
    issue_url: `${repoUrl}/issues/${p.number}`,
    id: c.id,
    node_id: c.nodeId,
    user: simpleUser(state, c.author),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(state, c.author),
    body: c.body,
    reactions: reactions(url),
    performed_via_github_app: null,
  };
}

/** One commit of a PR as GitHub's `commit`; unknown ids (unmerged work) are described from the PR. */
export function commitObject(state: SimState, p: SimPull, commitId: string, parent: string | null): Record<string, unknown> {
  const org = state.index.org.org.login;
  const c = state.index.commits.get(p.repo)?.get(commitId);
  const sha = shaOf(state, p.repo, commitId);
  const repoUrl = `${state.baseUrl}/repos/${org}/${p.repo}`;
  const author = state.index.people.get(c?.authorLogin ?? p.author);
  const who = { name: c?.authorName ?? author?.name ?? p.author, email: c?.authorEmail ?? author?.email ?? '', date: c?.date ?? p.createdAt };
  const gh = c ? c.authorLogin : p.author;
  return {
    sha,
    node_id: Buffer.from(`04:Commit${p.repo}:${sha}`).toString('base64'),
    commit: {
      author: who,
      committer: who,
      message: c?.message ?? p.title,
      tree: { sha: fakeSha(`tree:${sha}`), url: `${repoUrl}/git/trees/${fakeSha(`tree:${sha}`)}` },
      url: `${repoUrl}/git/commits/${sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${repoUrl}/commits/${sha}`,
    html_url: `${state.baseUrl}/${org}/${p.repo}/commit/${sha}`,
    comments_url: `${repoUrl}/commits/${sha}/comments`,
    author: gh === null ? null : simpleUser(state, gh),
    committer: gh === null ? null : simpleUser(state, gh),
    parents: parent === null ? [] : [{ sha: parent, url: `${repoUrl}/commits/${parent}`, html_url: `${state.baseUrl}/${org}/${p.repo}/commit/${parent}` }],
  };
}

