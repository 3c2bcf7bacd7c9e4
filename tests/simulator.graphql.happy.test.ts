import { validate as validateAgainstGitHub } from '@octokit/graphql-schema';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimOrg } from '../simulator/model.ts';
import type { RunningSimulator } from '../simulator/start.ts';
import { startSmallSimulator } from './simulator.fixture.ts';

// The GraphQL side as Guidepost's collector uses it: pull requests ordered by update, with
// reviews, comments, threads, requests and ready-for-review events nested, paged by cursor.
let sim: RunningSimulator;
let org: SimOrg;
let octokit: Octokit;

beforeAll(async () => { ({ sim, org, octokit } = await startSmallSimulator()); });
afterAll(async () => sim?.close());

async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${sim.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const PULLS_QUERY = /* GraphQL */ `
  query Pulls($owner: String!, $name: String!, $after: String) {
    repository(owner: $owner, name: $name) {
      url
      pullRequests(first: 50, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id databaseId number title url state isDraft
          createdAt updatedAt closedAt mergedAt
          additions deletions changedFiles headRefName
          author { __typename login ... on User { databaseId name } }
          mergedBy { login }
          mergeCommit { oid }
          reviews(first: 50) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { databaseId fullDatabaseId author { login } state body submittedAt comments { totalCount } }
          }
          comments(first: 50) { totalCount nodes { databaseId author { login } body createdAt } }
          reviewThreads(first: 50) { totalCount nodes { comments(first: 20) { totalCount nodes { databaseId author { login } path createdAt } } } }
          reviewRequests(first: 20) { totalCount nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }
          timelineItems(first: 50, itemTypes: [REVIEW_REQUESTED_EVENT, READY_FOR_REVIEW_EVENT]) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes {
              __typename
              ... on ReviewRequestedEvent { createdAt requestedReviewer { ... on User { login } ... on Team { slug } } }
              ... on ReadyForReviewEvent { createdAt }
            }
          }
        }
      }
    }
    rateLimit { cost limit remaining resetAt used nodeCount }
  }
`;

describe('GraphQL as the collector uses it', () => {
  it('validates against GitHub published schema', () => {
    expect(validateAgainstGitHub(PULLS_QUERY)).toEqual([]);
  });

  it('returns the same pull requests and reviews as REST, newest update first, page by page', async () => {
    const o = org.org.login;
    for (const repo of org.repos) {
      const pulls: any[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const { status, body } = await graphql(PULLS_QUERY, { owner: o, name: repo.name, after });
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        const conn = body.data.repository.pullRequests;
        pulls.push(...conn.nodes);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      const rest = await octokit.paginate('GET /repos/{owner}/{repo}/pulls', { owner: o, repo: repo.name, state: 'all', per_page: 100 });
      expect(pulls.map((p) => p.number).sort((a, b) => a - b)).toEqual(rest.map((p) => p.number).sort((a, b) => a - b));
      const updated = pulls.map((p) => p.updatedAt as string);
      expect(updated).toEqual([...updated].sort().reverse());

      for (const p of pulls) {
        const sim = org.pulls.find((x) => x.repo === repo.name && x.number === p.number)!;
        expect(p.reviews.nodes.map((r: any) => r.fullDatabaseId).sort()).toEqual(sim.reviews.map((r) => String(r.id)).sort());
        expect(p.comments.totalCount).toBe(sim.issueComments.length);
        const threadComments = p.reviewThreads.nodes.reduce((n: number, t: any) => n + t.comments.totalCount, 0);
        expect(threadComments).toBe(sim.reviewComments.length);
        expect(p.reviewRequests.totalCount).toBe(sim.reviewRequests.filter((r) => r.pending).length);
        expect(p.timelineItems.nodes.filter((e: any) => e.__typename === 'ReadyForReviewEvent').length).toBe(sim.readyAt ? 1 : 0);
        const author = org.people.find((x) => x.login === sim.author);
        if (author?.deleted) expect(p.author).toBeNull();
        else expect(p.author.__typename).toBe(author?.type === 'Bot' ? 'Bot' : 'User');
      }
      // REST and GraphQL agree on reviews and on the merge commit, PR by PR (a sample keeps it quick).
      for (const p of pulls.filter((_, i) => i % 10 === 0)) {
        const reviews = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: o, repo: repo.name, pull_number: p.number, per_page: 100 });
        expect(p.reviews.nodes.map((r: any) => [r.fullDatabaseId, r.state]).sort()).toEqual(reviews.map((r) => [String(r.id), r.state]).sort());
        const one = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: o, repo: repo.name, pull_number: p.number })).data;
        expect(p.mergeCommit?.oid ?? null).toBe(one.merge_commit_sha);
        expect(p.databaseId).toBe(one.id);
      }
    }
  });

  it('answers several repositories in one query through aliases', async () => {
    const [a, b] = org.repos;
    const { body } = await graphql(`{
      a: repository(owner: "${org.org.login}", name: "${a!.name}") { name pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { updatedAt } } }
      b: repository(owner: "${org.org.login}", name: "${b!.name}") { name pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { updatedAt } } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.a.pullRequests.totalCount).toBe(org.pulls.filter((p) => p.repo === a!.name).length);
    expect(body.data.b.name).toBe(b!.name);
  });

  it('lists the organization repositories and knows the viewer', async () => {
    const { body } = await graphql(`query($login: String!) { viewer { login } organization(login: $login) { repositories(first: 100, orderBy: {field: NAME, direction: ASC}) { totalCount nodes { name url } } } }`, { login: org.org.login });
    expect(body.data.organization.repositories.nodes.map((r: any) => r.name)).toEqual(org.repos.map((r) => r.name).sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
    expect(typeof body.data.viewer.login).toBe('string');
  });
});

describe('GraphQL cost', () => {
  it("charges GitHub's own example 51 points", async () => {
    const before = await graphql('{ rateLimit { remaining used } }');
    const { headers, body } = await graphql(`query {
      viewer {
        login
        repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } }
      }
      rateLimit { cost limit remaining used nodeCount }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.rateLimit.cost).toBe(51);
    // 100 + 100·50 + 100·50·60 nodes, GitHub's own node count for the same example.
    expect(body.data.rateLimit.nodeCount).toBe(305_100);
    expect(body.data.rateLimit.used - before.body.data.rateLimit.used).toBe(51);
    expect(Number(headers.get('x-ratelimit-used'))).toBe(body.data.rateLimit.used);
    expect(headers.get('x-ratelimit-resource')).toBe('graphql');
  });

  it('charges a plain query at least one point', async () => {
    const { body } = await graphql('{ viewer { login } rateLimit { cost } }');
    expect(body.data.rateLimit.cost).toBe(1);
  });
});
