import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesQuery, PULL_OVERFLOW_QUERY, PULLS_QUERY } from '../jobs/github/pulls.query.ts';
import { rootValue } from '../simulator/server/graphql-resolvers.ts';
import { githubSchema } from '../simulator/server/graphql-schema.ts';
import { indexOrg } from '../simulator/server/org-index.ts';
import type { SimState } from '../simulator/server/state.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';

// The simulated GitHub runs queries compiled by graphql-jit, which is fast but has rules of its
// own (scalar fields are read as properties, sources are classes). graphql-js is the reference:
// over the same sources, every answer the simulator serves must be the one graphql-js gives.

let sim: RunningSimulator;
let reference: SimState;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, scale: 'small', git: false, rateLimit: 1_000_000 });
  reference = { index: indexOrg(sim.org), shas: new Map(), baseUrl: sim.url, token: sim.token, hiddenRepos: new Set(), app: null };
}, 60_000);
afterAll(async () => sim?.close());

// Every field the sources serve, with arguments, fragments on unions and nested connections.
const EVERYTHING = `query Everything($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    id name url updatedAt pushedAt nameWithOwner isPrivate
    defaultBranchRef { name target { ... on Commit { oid message committedDate additions deletions author { name email user { login } } } } }
    pullRequests(first: 30, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount edges { cursor } pageInfo { hasNextPage endCursor }
      nodes {
        id url permalink resourcePath number title body state merged closed locked isDraft headRefOid baseRefOid totalCommentsCount authorAssociation publishedAt lastEditedAt
        author { login url avatarUrl(size: 40) ... on User { name email createdAt } ... on Bot { id } }
        mergedBy { login } mergeCommit { oid abbreviatedOid url }
        commits(first: 5) { totalCount nodes { id url commit { oid messageHeadline } } }
        reviews(first: 10, states: [APPROVED, COMMENTED, CHANGES_REQUESTED]) { nodes { id url state authorAssociation bodyText createdAt commit { oid } comments(first: 5) { nodes { id url path line diffHunk replyTo { id } pullRequestReview { id } } } } }
        comments(first: 10, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { id url updatedAt isMinimized author { login } } }
        reviewThreads(first: 10) { nodes { id path line comments(first: 5) { nodes { id } } } }
        reviewRequests(first: 10) { nodes { id asCodeOwner requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }
        timelineItems(first: 10, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) { filteredCount totalCount pageCount updatedAt nodes { __typename ... on ReadyForReviewEvent { id createdAt url actor { login } } ... on ReviewRequestedEvent { id createdAt actor { login } } } }
        labels(first: 5) { totalCount } assignees(first: 5) { totalCount }
      }
    }
  }
}`;

async function served(query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${sim.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return dropRateLimit((await res.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] });
}

async function byGraphqlJs(query: string, variables: Record<string, unknown>) {
  const rate = { cost: 1, nodeCount: 1, bucket: { limit: 1, used: 0, resetAt: Date.now() } };
  const result = await execute({ schema: githubSchema(), document: parse(query), rootValue: rootValue(reference, rate), variableValues: variables });
  expect(result.errors ?? []).toEqual([]);
  return dropRateLimit(JSON.parse(JSON.stringify({ data: result.data ?? null })) as { data?: Record<string, unknown> | null });
}

/** rateLimit reports the live bucket, which the reference does not share. */
function dropRateLimit<T extends { data?: Record<string, unknown> | null }>(answer: T): T {
  if (answer.data) delete answer.data.rateLimit;
  return answer;
}

describe('the compiled GraphQL executor', () => {
  it('answers the sync’s queries, page by page, exactly as graphql-js does over the same sources', async () => {
    const owner = sim.org.org.login;
    let pages = 0;
    for (const repo of sim.org.repos) {
      let after: string | null = null;
      do {
        const variables: Record<string, unknown> = { owner, name: repo.name, first: 100, after, nested: 50 };
        const got = await served(PULLS_QUERY, variables);
        expect(got).toEqual(await byGraphqlJs(PULLS_QUERY, variables));
        pages++;
        const conn = (got.data?.repository as { pullRequests: { pageInfo: { hasNextPage: boolean; endCursor: string } } }).pullRequests;
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      } while (after !== null);
    }
    expect(pages).toBeGreaterThan(sim.org.repos.length);
    const names = sim.org.repos.map((r) => r.name);
    expect(await served(changesQuery(owner, names), {})).toEqual(await byGraphqlJs(changesQuery(owner, names), {}));
    for (const p of sim.org.pulls.filter((x) => x.reviews.length > 0).slice(0, 10)) {
      const variables = { id: p.nodeId, reviews: null, comments: null, timeline: null, withReviews: true, withComments: true, withTimeline: true };
      expect(await served(PULL_OVERFLOW_QUERY, variables)).toEqual(await byGraphqlJs(PULL_OVERFLOW_QUERY, variables));
    }
  }, 60_000);

  it('serves every field of pull requests, reviews, comments, threads, requests and timeline events as graphql-js does', async () => {
    for (const repo of sim.org.repos) {
      const variables = { owner: sim.org.org.login, name: repo.name };
      const got = await served(EVERYTHING, variables);
      expect(got.errors).toBeUndefined();
      expect(got).toEqual(await byGraphqlJs(EVERYTHING, variables));
    }
  }, 60_000);
});
