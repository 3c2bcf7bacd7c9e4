// Real bare git repositories for the simulated org: one per SimRepo, its default branch holding
// SimRepo.commits in order. Written with `git fast-import` (one process per repo, a few at a
// time) because it is orders of magnitude faster than a commit per process, and deterministic.
import { once } from 'node:events';
import { appendFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { SimCommit, SimOrg } from '../model.ts';
import { checkCommit, commitCommand } from './fast-import.stream.ts';
import { runGit, spawnGit, waitForGit } from './git.run.ts';
import { isRepoName, repoDir } from './repo.path.ts';

/** id → SHA per repo name. */
export type ShaMaps = Map<string, Map<string, string>>;

// Lets upload-pack serve `--filter=blob:none` clones and the lazy blob fetches that follow;
// pushes are refused because the simulated GitHub is read-only.
const SERVE_CONFIG = '[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n[http]\n\treceivepack = false\n';

/** Creates `${reposRoot}/${name}.git` for every repo of the org (replacing old ones) and returns the SHAs. */
export async function buildRepos(org: SimOrg, reposRoot: string): Promise<ShaMaps> {
  for (const repo of org.repos) checkRepo(repo.name, repo.defaultBranch);
  await mkdir(reposRoot, { recursive: true });
  const built = new Map<string, Map<string, string>>();
  // fast-import waits on the disk part of the time, so a few more processes than cores pay off.
  await eachLimited(org.repos, Math.min(8, 2 * availableParallelism()), async (repo) => {
    const dir = repoDir(reposRoot, repo.name);
    await rm(dir, { recursive: true, force: true });
    await runGit(['init', '--bare', '--quiet', '--template=', `--initial-branch=${repo.defaultBranch}`, dir]);
    await appendFile(join(dir, 'config'), SERVE_CONFIG);
    built.set(repo.name, await importCommits(dir, repo.defaultBranch, repo.commits, null, new Set(), repo.codeowners));
  });
  return new Map(org.repos.map((r) => [r.name, built.get(r.name) ?? new Map<string, string>()]));
}

/** Adds `commits` (oldest first) on top of the repo's default branch; returns their id → SHA. */
export async function appendCommits(org: SimOrg, reposRoot: string, repo: string, commits: SimCommit[]): Promise<Map<string, string>> {
  const sim = org.repos.find((r) => r.name === repo);
  if (!sim) throw new Error(`Repository "${repo}" is not in the simulated org ${org.org.login}; add it to the org before appending commits.`);
  const dir = repoDir(reposRoot, checkRepo(repo, sim.defaultBranch));
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    throw new Error(`No git repository at ${dir}; run buildRepos for the org first.`);
  }
  const ref = `refs/heads/${sim.defaultBranch}`;
  const tip = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir }).then((r) => r.stdout.trim(), () => null);
  const paths = new Set<string>();
  if (tip) {
    const { stdout } = await runGit(['ls-tree', '-r', '-z', '--name-only', tip], { cwd: dir });
    for (const p of stdout.split('\0')) if (p) paths.add(p);
  }
  return importCommits(dir, sim.defaultBranch, commits, tip, paths);
}

async function importCommits(dir: string, branch: string, commits: SimCommit[], tip: string | null, paths: Set<string>, firstExtra?: { path: string; text: string }): Promise<Map<string, string>> {
  const shas = new Map<string, string>();
  if (commits.length === 0) return shas;
  commits.forEach(checkCommit); // fail before fast-import starts, not halfway through
  const marks = join(dir, 'sim-fast-import.marks');
  const args = ['fast-import', '--quiet', '--done', `--export-marks=${marks}`];
  const child = await spawnGit(args, { cwd: dir, timeoutMs: 10 * 60_000, stdout: 'ignore' });
  const exited = waitForGit(child, args);
  exited.catch(() => {}); // awaited below; this only keeps an early death from going unhandled
  const stdin = child.stdin as Writable;
  try {
    const ref = `refs/heads/${branch}`;
    let chunk = '';
    for (let i = 0; i < commits.length; i++) {
      chunk += commitCommand(commits[i] as SimCommit, ref, i + 1, i === 0 ? tip : null, paths, i === 0 ? firstExtra : undefined);
      if (chunk.length > 1 << 16) {
        if (!stdin.write(chunk)) await Promise.race([once(stdin, 'drain'), exited]);
        chunk = '';
      }
    }
    stdin.end(`${chunk}done\n`);
    await exited;
    for (const line of (await readFile(marks, 'utf8')).split('\n')) {
      const [mark, sha] = line.split(' ');
      const commit = mark && sha ? commits[Number(mark.slice(1)) - 1] : undefined;
      if (commit && sha) shas.set(commit.id, sha);
    }
  } finally {
    child.kill();
    await rm(marks, { force: true });
  }
  return shas;
}

// A branch name goes into the fast-import stream, so it must be a plain ref name (no spaces,
// line breaks or `..`).
const BRANCH = /^(?!.*\.\.)[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkRepo(name: string, branch: string): string {
  if (!isRepoName(name)) throw new Error(`Repository name "${name}" is not a GitHub name (letters, digits, '.', '-', '_'); fix the simulated org.`);
  if (!BRANCH.test(branch) || branch.endsWith('.lock')) throw new Error(`Repository ${name} has default branch "${branch}", which is not a usable branch name; fix the simulated org.`);
  return name;
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
