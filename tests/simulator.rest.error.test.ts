import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { handmadeOrg } from './simulator.handmade-org.ts';

// What a client sees when it asks for something that is not there, or without a valid token,
// and how conditional requests and Link pagination behave.
let sim: RunningSimulator;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(sim.url + path, { headers: { authorization: `token ${sim.token}`, ...headers } });

beforeAll(async () => {
  sim = await startSimulator({ org: handmadeOrg(), git: false });
});
afterAll(async () => {
  await sim?.close();
});

describe('GitHub error bodies', () => {
  it('answers unknown routes, orgs, repos and pull requests with GitHub 404 body', async () => {
    for (const path of ['/no/such/route', '/orgs/someone-else', '/repos/acme/nope', '/repos/acme/nope/pulls', '/repos/acme/api/pulls/9999', '/orgs/acme/teams/nope/members']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    }
  });

  it('answers a bad or missing token with 401 Bad credentials, on REST and GraphQL', async () => {
    const body = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' };
    const bad = await get('/orgs/acme', { authorization: 'token ghp_wrong' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual(body);
    const missing = await fetch(`${sim.url}/orgs/acme`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual(body);
    const gql = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: 'bearer nope' }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(gql.status).toBe(401);
    expect(await gql.json()).toEqual({ ...body, documentation_url: 'https://docs.github.com/graphql' });
  });

  it('answers an unparseable GraphQL body with 400 Problems parsing JSON', async () => {
    const res = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${sim.token}` }, body: '{not json' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe('Problems parsing JSON');
  });
});

describe('conditional requests', () => {
  it('answers a matching If-None-Match with 304 and does not charge it', async () => {
    const first = await get('/repos/acme/api/pulls?state=all');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const before = sim.stats();
    const again = await get('/repos/acme/api/pulls?state=all', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(remaining);
    expect(sim.stats().notModified).toBe(before.notModified + 1);
    expect(sim.stats().pointsCharged).toBe(before.pointsCharged);
    // A different page is a different body, so its ETag does not match and it is charged.
    const other = await get('/repos/acme/api/pulls?state=all&page=2', { 'if-none-match': etag! });
    expect(other.status).toBe(200);
    expect(Number(other.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
  });
});

describe('Link pagination', () => {
  const links = (res: Response) =>
    Object.fromEntries((res.headers.get('link') ?? '').split(', ').filter(Boolean).map((part) => {
      const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
      return [rel, new URL(url!).searchParams.get('page')];
    }));

  it('gives next and last on the first page, all four in the middle, prev and first on the last', async () => {
    // 120 pull requests in acme/api, 50 a page → 3 pages.
    const p1 = await get('/repos/acme/api/pulls?state=all&per_page=50');
    expect(links(p1)).toEqual({ next: '2', last: '3' });
    const p2 = await get('/repos/acme/api/pulls?state=all&per_page=50&page=2');
    expect(links(p2)).toEqual({ prev: '1', next: '3', last: '3', first: '1' });
    const p3 = await get('/repos/acme/api/pulls?state=all&per_page=50&page=3');
    expect(links(p3)).toEqual({ prev: '2', first: '1' });
    expect(((await p3.json()) as unknown[]).length).toBe(20);
  });

  it('caps per_page at 100 like GitHub', async () => {
    const res = await get('/repos/acme/api/pulls?state=all&per_page=500');
    expect(((await res.json()) as unknown[]).length).toBe(100);
    expect(links(res)).toEqual({ next: '2', last: '2' });
  });
});
