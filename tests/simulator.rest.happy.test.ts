import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimOrg } from '../simulator/model.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { startSmallSimulator } from './simulator.fixture.ts';
import { expectValidResponse } from './simulator.openapi.ts';

// The collector's view of the simulated GitHub: every REST route walked to its last page with
// @octokit/rest, every page checked against GitHub's OpenAPI description.
let sim: RunningSimulator;
let octokit: Octokit;
let org: SimOrg;

beforeAll(async () => { ({ sim, org, octokit } = await startSmallSimulator()); });
afterAll(async () => sim?.close());

/** Paginates a route to the end, validating every page against its OpenAPI schema. */
async function walk(template: string, params: Record<string, unknown>): Promise<any[]> {
  const openapiPath = template.replace(/^GET /, '');
  return octokit.paginate(template as any, { per_page: 100, ...params }, (response: any) => {
    expectValidResponse(openapiPath, response.data);
    return response.data;
  });
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe('REST routes paginated with @octokit/rest', () => {
  it('lists the org, its repos, members and teams as the org holds them', async () => {
    const o = org.org.login;
    const orgBody = (await octokit.request('GET /orgs/{org}', { org: o })).data;
    expectValidResponse('/orgs/{org}', orgBody);
    expect(orgBody.login).toBe(o);

    const repos = await walk('GET /orgs/{org}/repos', { org: o });
    expect(repos.map((r) => r.name).sort()).toEqual(org.repos.map((r) => r.name).sort());
    expect(repos.every((r) => r.clone_url === `${sim.url}/git/${o}/${r.name}.git`)).toBe(true);

    const members = await walk('GET /orgs/{org}/members', { org: o });
    expect(members.length).toBe(org.people.filter((p) => p.isMember && !p.deleted).length);

    const teams = await walk('GET /orgs/{org}/teams', { org: o });
    expect(teams.length).toBe(org.teams.length);
    for (const t of org.teams) {
      const m = await walk('GET /orgs/{org}/teams/{team_slug}/members', { org: o, team_slug: t.slug });
      expect(m.map((u) => u.login).sort()).toEqual(
        t.members.filter((l) => !org.people.find((p) => p.login === l)?.deleted).sort(),
      );
    }
    const user = (await octokit.request('GET /user')).data;
    expectValidResponse('/user', user);
  });

  it('walks every pull request and its reviews, comments, requests and commits to the end', async () => {
    const o = org.org.login;
    let ghostSeen = false;
    for (const repo of org.repos) {
      const pulls = org.pulls.filter((p) => p.repo === repo.name);
      const full = (await octokit.request('GET /repos/{owner}/{repo}', { owner: o, repo: repo.name })).data;
      expectValidResponse('/repos/{owner}/{repo}', full);

      const all = await walk('GET /repos/{owner}/{repo}/pulls', { owner: o, repo: repo.name, state: 'all' });
      expect(all.map((p) => p.number).sort((a, b) => a - b)).toEqual(pulls.map((p) => p.number).sort((a, b) => a - b));
      const open = await walk('GET /repos/{owner}/{repo}/pulls', { owner: o, repo: repo.name, state: 'open' });
      expect(open.length).toBe(pulls.filter((p) => p.closedAt === null).length);

      // Every sixth PR (and every PR by a deleted user) keeps the walk inside the test budget;
      // the lists above already cover every PR.
      const sample = pulls.filter((p, i) => i % 6 === 0 || org.people.find((x) => x.login === p.author)?.deleted);
      await inBatches(sample, 6, async (p) => {
        const params = { owner: o, repo: repo.name, pull_number: p.number };
        const reviews = await walk('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', params);
        expect(reviews.map((r) => r.id)).toEqual([...p.reviews].sort((a, b) => a.id - b.id).map((r) => r.id));
        const comments = await walk('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', params);
        expect(comments.length).toBe(p.reviewComments.length);
        const commits = await walk('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', params);
        expect(commits.length).toBe(Math.min(250, p.commitIds.length));
        const requested = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', params)).data;
        expectValidResponse('/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', requested);
        const pending = p.reviewRequests.filter((r) => r.pending);
        expect(requested.users.length + requested.teams.length).toBe(pending.length);
        const author = org.people.find((x) => x.login === p.author);
        if (author?.deleted) {
          ghostSeen = true;
          expect(all.find((x) => x.number === p.number)?.user).toMatchObject({ login: 'ghost', id: 10137 });
        }
      });
      // One full pull request per repo is enough to check the single-PR shape.
      const first = pulls[0];
      if (first) {
        const one = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: o, repo: repo.name, pull_number: first.number })).data;
        expectValidResponse('/repos/{owner}/{repo}/pulls/{pull_number}', one);
        expect(one).toMatchObject({ number: first.number, additions: first.additions, deletions: first.deletions, merged: first.mergedAt !== null });
      }

      const reviewComments = await walk('GET /repos/{owner}/{repo}/pulls/comments', { owner: o, repo: repo.name });
      expect(reviewComments.length).toBe(pulls.reduce((n, p) => n + p.reviewComments.length, 0));
      const issueComments = await walk('GET /repos/{owner}/{repo}/issues/comments', { owner: o, repo: repo.name });
      expect(issueComments.length).toBe(pulls.reduce((n, p) => n + p.issueComments.length, 0));
    }
    expect(ghostSeen).toBe(org.pulls.some((p) => org.people.find((x) => x.login === p.author)?.deleted));
  });

  it('filters repo-wide comments by `since`', async () => {
    const o = org.org.login;
    const repo = org.repos[0]!.name;
    const comments = org.pulls.filter((p) => p.repo === repo).flatMap((p) => p.issueComments);
    const since = [...comments].map((c) => c.updatedAt).sort()[Math.floor(comments.length / 2)]!;
    const got = await walk('GET /repos/{owner}/{repo}/issues/comments', { owner: o, repo, since });
    expect(got.length).toBe(comments.filter((c) => c.updatedAt >= since).length);
    expect(got.length).toBeLessThan(comments.length);
  });

  it('serves bots as type Bot with a [bot] login', async () => {
    const bot = org.people.find((p) => p.type === 'Bot' && org.pulls.some((x) => x.author === p.login));
    expect(bot).toBeDefined();
    const pull = org.pulls.find((x) => x.author === bot!.login)!;
    const body = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: org.org.login, repo: pull.repo, pull_number: pull.number })).data;
    expect(body.user?.type).toBe('Bot');
    expect(body.user?.login).toMatch(/\[bot\]$/);
  });
});

describe('same seed, same answers', () => {
  it('two simulators started with the same seed answer every route identically', async () => {
    const a = await startSimulator({ seed: 7, scale: 'tiny', git: false });
    const b = await startSimulator({ seed: 7, scale: 'tiny', git: false });
    try {
      const o = a.org.org.login;
      const repo = a.org.repos[0]!.name;
      const n = [...a.org.pulls].filter((p) => p.repo === repo).sort((x, y) => y.reviews.length - x.reviews.length)[0]!.number;
      const paths = [
        `/orgs/${o}`, `/orgs/${o}/repos`, `/orgs/${o}/members`, `/orgs/${o}/teams`, `/repos/${o}/${repo}`,
        `/repos/${o}/${repo}/pulls?state=all&per_page=100`, `/repos/${o}/${repo}/pulls/${n}`, `/repos/${o}/${repo}/pulls/${n}/reviews`,
        `/repos/${o}/${repo}/pulls/comments?per_page=100`, `/repos/${o}/${repo}/issues/comments?per_page=100`,
      ];
      for (const path of paths) {
        const [x, y] = await Promise.all(
          [a, b].map(async (s) => (await (await fetch(s.url + path, { headers: { authorization: `token ${s.token}` } })).text()).replaceAll(s.url.replace('http://', ''), 'SIM')),
        );
        expect(x, path).toBe(y);
        // Comment lists may be empty in a tiny org; everything else has content.
        if (!path.includes('comments')) expect(x!.length).toBeGreaterThan(2);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
