import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { handmadeOrg } from './simulator.handmade-org.ts';

// Queries GitHub would reject are rejected the same way: HTTP 200 with `errors`, no charge.
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ org: handmadeOrg(), git: false });
});
afterAll(async () => {
  await sim?.close();
});

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${sim.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${sim.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, used: Number(res.headers.get('x-ratelimit-used')), body: (await res.json()) as any };
}

describe('rejected GraphQL queries', () => {
  it('answers a malformed query with a parse error and its location', async () => {
    const { status, body } = await graphql('{ repository(owner: "acme", name: "api") { id } } }');
    expect(status).toBe(200);
    expect(body).toEqual({ errors: [{ message: 'Parse error on "}" (RCURLY) at [1, 51]', locations: [{ line: 1, column: 51 }] }] });
    const eof = await graphql('{ viewer { login }');
    expect(eof.body.errors[0].message).toBe('Unexpected end of document');
  });

  it("names a field the type does not have, in GitHub's words", async () => {
    const { status, body } = await graphql('{ viewer { loginn } }');
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: "Field 'loginn' doesn't exist on type 'User'",
      locations: [{ line: 1, column: 12 }],
      extensions: { code: 'undefinedField', typeName: 'User', fieldName: 'loginn' },
    });
  });

  it('requires first or last on connections that return records, at most 100', async () => {
    const before = (await graphql('{ rateLimit { used } }')).body.data.rateLimit.used;
    const missing = await graphql('{ repository(owner: "acme", name: "api") { pullRequests { nodes { number } } } }');
    expect(missing.body.errors[0]).toMatchObject({
      type: 'MISSING_PAGINATION_BOUNDARIES',
      message: 'You must provide a `first` or `last` value to properly paginate the `pullRequests` connection.',
      path: ['repository', 'pullRequests'],
    });
    const tooMany = await graphql('query($n: Int) { repository(owner: "acme", name: "api") { pullRequests(first: $n) { nodes { number } } } }', { n: 101 });
    expect(tooMany.body.errors[0]).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      message: 'Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.',
    });
    // Counting needs no bounds.
    const count = await graphql('{ repository(owner: "acme", name: "api") { pullRequests { totalCount } } }');
    expect(count.body.data.repository.pullRequests.totalCount).toBe(120);
    // Rejected queries cost nothing; the count and the rateLimit look-ups cost a point each.
    expect((await graphql('{ rateLimit { used } }')).body.data.rateLimit.used).toBe(before + 2);
  });

  it('refuses a query that could return more than 500,000 nodes', async () => {
    const { body } = await graphql(`{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].type).toBe('MAX_NODE_LIMIT_EXCEEDED');
    expect(body.errors[0].message).toMatch(/exceeds the maximum limit of 500,000/);
  });

  it('reports an unknown repository as NOT_FOUND beside null data', async () => {
    const { body } = await graphql('{ repository(owner: "acme", name: "nope") { id } }');
    expect(body.data).toEqual({ repository: null });
    expect(body.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'acme/nope'." });
  });

  it('rejects a cursor it never handed out', async () => {
    const { body } = await graphql('{ repository(owner: "acme", name: "api") { pullRequests(first: 5, after: "bm9wZQ==") { nodes { number } } } }');
    expect(body.errors[0]).toMatchObject({ type: 'INVALID_CURSOR_ARGUMENTS' });
  });

  it('serves a deleted author as null and a bot as Bot without the [bot] suffix', async () => {
    const { body } = await graphql('{ repository(owner: "acme", name: "api") { pullRequests(first: 4) { nodes { number author { __typename login } } } } }');
    const byNumber = Object.fromEntries(body.data.repository.pullRequests.nodes.map((p: any) => [p.number, p.author]));
    // In the hand-made org PR n is written by ['ada', 'zoe', 'old-timer' (deleted), 'dependabot[bot]'][n % 4].
    expect(byNumber[2]).toBeNull();
    expect(byNumber[3]).toEqual({ __typename: 'Bot', login: 'dependabot' });
    expect(byNumber[1]).toEqual({ __typename: 'User', login: 'zoe' });
  });
});
