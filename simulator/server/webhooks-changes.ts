// What changed in the org between two moments, as the webhook deliveries GitHub would have sent
// for it, in the order things happened. Read by comparing the org with a mark taken before the
// change, so any change the evolve step makes (or will make) is announced without it knowing.
import type { SimOrg, SimPull } from '../model.ts';
import {
  issueCommentEvent, membershipEvent, pullAt, pullRequestEvent, pushEvent, reviewCommentEvent, reviewEvent, reviewRequestedExtra, type Payload,
} from './webhooks-payloads.ts';
import type { SimState } from './state.ts';

/** One delivery's content, before it is addressed to a hook. */
export interface WebhookEvent {
  event: string;
  action: string | null;
  /** When it happened in the simulated org. */
  at: string;
  repo: string | null;
  number: number | null;
  payload: Payload;
}

interface PullMark {
  requests: number;
  reviews: Set<number>;
  reviewComments: Set<number>;
  issueComments: Set<number>;
  closed: boolean;
  draft: boolean;
}

export interface OrgMark {
  pulls: Map<string, PullMark>;
  commits: Map<string, number>;
  teams: Map<string, Set<string>>;
}

const key = (repo: string, n: number) => `${repo}#${n}`;

/** What the org holds now, to compare with after a change. */
export function markOrg(org: SimOrg): OrgMark {
  const pulls = new Map<string, PullMark>();
  for (const p of org.pulls) {
    pulls.set(key(p.repo, p.number), {
      requests: p.reviewRequests.length, reviews: new Set(p.reviews.map((r) => r.id)), reviewComments: new Set(p.reviewComments.map((c) => c.id)),
      issueComments: new Set(p.issueComments.map((c) => c.id)), closed: p.closedAt !== null, draft: p.isDraft,
    });
  }
  return {
    pulls,
    commits: new Map(org.repos.map((r) => [r.name, r.commits.length])),
    teams: new Map(org.teams.map((t) => [t.slug, new Set(t.members)])),
  };
}

/** The deliveries for everything added since `mark`, oldest first; `state` already serves the changed org. */
export function changesSince(state: SimState, mark: OrgMark): WebhookEvent[] {
  const org = state.index.org;
  const events: WebhookEvent[] = [];
  for (const p of org.pulls) events.push(...pullChanges(state, p, mark.pulls.get(key(p.repo, p.number))));
  for (const repo of org.repos) {
    const from = mark.commits.get(repo.name) ?? 0;
    // One push per commit: each squash merge or direct push is its own `git push`.
    for (let i = from; i < repo.commits.length; i++) {
      const c = repo.commits[i]!;
      events.push({ event: 'push', action: null, at: c.date, repo: repo.name, number: c.prNumber, payload: pushEvent(state, repo, repo.commits[i - 1], [c]) });
    }
  }
  for (const team of org.teams) {
    const was = mark.teams.get(team.slug) ?? new Set<string>();
    const now = new Set(team.members);
    const at = org.now;
    for (const login of team.members) if (!was.has(login)) events.push({ event: 'membership', action: 'added', at, repo: null, number: null, payload: membershipEvent(state, team, login, 'added') });
    for (const login of was) if (!now.has(login)) events.push({ event: 'membership', action: 'removed', at, repo: null, number: null, payload: membershipEvent(state, team, login, 'removed') });
  }
  // Stable: at one instant a PR's own events keep their logical order (merged, then pushed).
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function pullChanges(state: SimState, p: SimPull, was: PullMark | undefined): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  const add = (event: string, action: string | null, at: string, payload: Payload) => out.push({ event, action, at, repo: p.repo, number: p.number, payload });
  const pr = (action: string, at: string, sender: string | null, extra?: Payload) => add('pull_request', action, at, pullRequestEvent(state, pullAt(p, at), action, sender, extra));
  if (!was) pr('opened', p.createdAt, p.author);
  for (const r of p.reviewRequests.slice(was?.requests ?? 0)) pr('review_requested', r.requestedAt, p.author, reviewRequestedExtra(state, r.reviewer, r.team));
  if ((was?.draft ?? p.readyAt !== null) && !p.isDraft && p.readyAt !== null) pr('ready_for_review', p.readyAt, p.author);
  for (const r of p.reviews) {
    if (was?.reviews.has(r.id)) continue;
    add('pull_request_review', 'submitted', r.submittedAt, reviewEvent(state, pullAt(p, r.submittedAt), r));
  }
  for (const c of p.reviewComments) {
    if (was?.reviewComments.has(c.id)) continue;
    add('pull_request_review_comment', 'created', c.createdAt, reviewCommentEvent(state, pullAt(p, c.createdAt), c));
  }
  for (const c of p.issueComments) {
    if (was?.issueComments.has(c.id)) continue;
    add('issue_comment', 'created', c.createdAt, issueCommentEvent(state, pullAt(p, c.createdAt), c));
  }
  if (!was?.closed && p.closedAt !== null) pr('closed', p.closedAt, p.mergedBy ?? p.author);
  return out;
}
