import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { authEnv } from '../jobs/git/clone.ts';

// `guidepost simulate` as a user runs it: two lines to copy, then a GitHub to talk to and clone from.
const run = promisify(execFile);
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function simulate(args: string[]): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ['bin/guidepost.js', 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

describe('guidepost simulate', () => {
  it('prints url and token first, serves the org and its git repositories, and stops on SIGTERM', async () => {
    const { child, lines } = simulate(['--port', '0', '--seed', '1', '--scale', 'tiny']);
    const urlLine = (await lines.next()).value as string;
    const tokenLine = (await lines.next()).value as string;
    expect(urlLine).toMatch(/^url: http:\/\/127\.0\.0\.1:\d+$/);
    expect(tokenLine).toMatch(/^token: \S+$/);
    const url = urlLine.slice('url: '.length);
    const token = tokenLine.slice('token: '.length);

    const truth = (await (await fetch(`${url}/_sim/truth`)).json()) as { org: string; now: string };
    expect(truth.org).toMatch(/\S/);
    const repos = (await (await fetch(`${url}/orgs/${truth.org}/repos`, { headers: { authorization: `token ${token}` } })).json()) as {
      name: string;
      clone_url: string;
    }[];
    const repo = repos[0]!;
    const pulls = (await (await fetch(`${url}/repos/${truth.org}/${repo.name}/pulls?state=closed&per_page=100`, { headers: { authorization: `token ${token}` } })).json()) as {
      number: number;
      merge_commit_sha: string | null;
    }[];
    const merged = pulls.filter((p) => p.merge_commit_sha !== null);
    expect(merged.length).toBeGreaterThan(0);

    const dir = mkdtempSync(join(tmpdir(), 'sim-clone-'));
    dirs.push(dir);
    const refused = await run('git', ['clone', '--quiet', repo.clone_url, join(dir, 'no')], { timeout: 30_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    // With the token as git sends it to GitHub: Basic credentials (a Bearer header gets 401 there and here).
    await run('git', ['clone', '--quiet', '--bare', repo.clone_url, join(dir, 'r.git')], { timeout: 60_000, env: { ...process.env, ...authEnv(token) } });
    const { stdout } = await run('git', ['log', '--format=%H %s'], { cwd: join(dir, 'r.git') });
    const shas = new Set(stdout.trim().split('\n').map((l) => l.split(' ')[0]));
    for (const p of merged) expect(shas.has(p.merge_commit_sha!), `PR #${p.number}`).toBe(true);

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad flag with one clear line and exit code 1', async () => {
    const err = (await run(process.execPath, ['bin/guidepost.js', 'simulate', '--scale', 'huge', '--port', '0'], { timeout: 30_000 }).catch((e) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr.trim()).toBe('guidepost: --scale must be one of tiny, small, medium, large, got "huge"');
  });
});
