import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCommits, buildRepos, serveGit } from '../simulator/git/index.ts';
import type { SimCommit, SimOrg } from '../simulator/model.ts';
import { startGitHost, type GitHost } from './simulator.git.fixture.ts';

const run = promisify(execFile);
const git = (args: string[], cwd?: string) => run('git', args, { cwd, timeout: 30_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });

const first: SimCommit = {
  id: 'c1', prNumber: 1, authorLogin: 'ada', authorName: 'Ada', authorEmail: 'ada@example.org', date: '2025-01-01T00:00:00Z',
  message: 'First (#1)', changes: [{ path: 'src/a.ts', kind: 'add', additions: 3, deletions: 0 }],
};

function orgWith(repoNames: string[]): SimOrg {
  return {
    seed: 1, scale: 'tiny', now: '2025-03-31T00:00:00Z',
    org: { id: 1, nodeId: 'O_1', login: 'acme', name: 'Acme', createdAt: '2024-01-01T00:00:00Z' },
    people: [], teams: [], pulls: [],
    repos: repoNames.map((name, i) => ({
      id: i + 1, nodeId: `R_${i}`, name, description: '', defaultBranch: 'main', createdAt: '2024-01-01T00:00:00Z', isPrivate: false, isArchived: false, commits: [first],
    })),
    truth: {
      org: 'acme', now: '2025-03-31T00:00:00Z', seed: 1, settings: { newcomerDays: 90, menteeLimit: 5, rubberStampLines: 200, mentorTenureGapDays: 180 },
      mentorPairs: [], newcomers: [], newcomersWithoutMentor: [], overloadedMentors: [], loadCarriers: [], rubberStampers: [],
      knowledgeIslands: [], departedOwners: [], bots: [], ghost: null,
    },
  };
}

describe('simulated git repositories, bad requests', () => {
  let host: GitHost;
  let tmp: string;
  let reposRoot: string;
  let base: string;

  beforeAll(async () => {
    host = await startGitHost((app, dir) => {
      // Like the simulator's server: the repo name and the rest of the path come from the URL, decoded.
      app.all('/git/:org/*', (c) => {
        const rest = decodeURIComponent(new URL(c.req.url).pathname).slice(`/git/${c.req.param('org')}/`.length);
        const at = rest.indexOf('.git');
        if (at < 0) return c.text('Repository not found.\n', 404);
        return serveGit(c.req.raw, { reposRoot: join(dir, 'repos'), repo: rest.slice(0, at), pathInfo: rest.slice(at + 4) });
      });
    });
    ({ tmp, base } = host);
    reposRoot = join(tmp, 'repos');
    await buildRepos(orgWith(['api']), reposRoot);
    // A real repository just outside the served folder: what a traversal would reach.
    await buildRepos(orgWith(['outside']), tmp);
  });

  afterAll(async () => host?.close());

  it('answers 404 for a repository that does not exist, and git clone fails with that', async () => {
    const res = await fetch(`${base}/nope.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Repository not found.\n');
    await expect(git(['clone', '--bare', `${base}/nope.git`, join(tmp, 'nope-clone')])).rejects.toThrow(/not found|404/i);
  });

  it('answers 404 to path traversal in the repo name or the path after it', async () => {
    // The same URL served with the check bypassed would reach `outside.git`; prove it exists.
    const outside = await serveGit(new Request('http://x/info/refs?service=git-upload-pack'), { reposRoot: tmp, repo: 'outside', pathInfo: '/info/refs' });
    expect(outside.status).toBe(200);
    await outside.body?.cancel();

    for (const path of [
      '/..%2Foutside.git/info/refs?service=git-upload-pack',
      '/api.git/..%2F..%2Foutside.git/info/refs?service=git-upload-pack',
      '/api.git/objects/..%2F..%2F..%2Foutside.git%2Fconfig',
      '/api.git/config',
      '/api.git/HEAD',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
    for (const [repo, pathInfo] of [['../outside', '/info/refs'], ['api', '/../../outside.git/info/refs'], ['', '/info/refs'], ['..', '/info/refs']] as const) {
      const res = await serveGit(new Request('http://x/info/refs?service=git-upload-pack'), { reposRoot, repo, pathInfo });
      expect(res.status, `${repo} ${pathInfo}`).toBe(404);
    }
  });

  it('refuses a push: the simulated GitHub is read-only', async () => {
    const clone = join(tmp, 'push-clone');
    await git(['clone', '--quiet', `${base}/api.git`, clone]);
    await git(['-c', 'user.name=x', '-c', 'user.email=x@example.org', 'commit', '--quiet', '--allow-empty', '-m', 'sneaky'], clone);
    await expect(git(['push', 'origin', 'HEAD:main'], clone)).rejects.toThrow(/403/);
    const res = await fetch(`${base}/api.git/info/refs?service=git-upload-pack`);
    expect(await res.text()).toContain('refs/heads/main');
  });

  it('rejects commits for a repository the org does not have, and repo or branch names git must not see', async () => {
    await expect(appendCommits(orgWith(['api']), reposRoot, 'web', [first])).rejects.toThrow(/not in the simulated org/);
    await expect(buildRepos(orgWith(['../evil']), reposRoot)).rejects.toThrow(/not a GitHub name/);
    const injected = orgWith(['api']);
    injected.repos[0]!.defaultBranch = 'main\nreset refs/heads/evil';
    await expect(buildRepos(injected, reposRoot)).rejects.toThrow(/not a usable branch name/);
    await expect(appendCommits(orgWith(['api', 'fresh']), reposRoot, 'fresh', [first])).rejects.toThrow(/run buildRepos/);
  });

  it('says which commit has a bad date instead of writing a wrong history', async () => {
    const bad = { ...first, id: 'bad', date: 'yesterday' };
    await expect(appendCommits(orgWith(['api']), reposRoot, 'api', [bad])).rejects.toThrow(/Commit bad has date "yesterday"/);
  });
});
