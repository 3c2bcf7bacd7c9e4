// Bounded git subprocesses for the knowledge stage. Each call has a time limit and keeps only
// the tail of stderr; errors carry git's own words (never the environment, where credentials live).
import { spawn } from 'node:child_process';

export interface GitOptions {
  /** Repository (bare or not); passed as `git -C`. */
  cwd?: string;
  /** Extra environment (e.g. GIT_CONFIG_* carrying an auth header); merged over process.env. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

const STDERR_KEEP = 4096;

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed: ${firstLine(stderr) || `exit code ${code}`}`);
    this.name = 'GitError';
  }
}

export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** `git` with a quiet, stable configuration: no pager, no prompts, UTF-8 paths unquoted. */
export function gitArgs(args: string[], cwd: string | undefined): string[] {
  return [...(cwd ? ['-C', cwd] : []), '-c', 'core.quotePath=false', '-c', 'color.ui=false', ...args];
}

export function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  // GIT_TERMINAL_PROMPT=0: a missing credential fails instead of waiting for a person to type.
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

/** Runs git to completion and returns its stdout; rejects with a GitError on failure. */
export function runGit(args: string[], opts: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitArgs(args, opts.cwd), {
      env: gitEnv(opts.env),
      timeout: opts.timeoutMs ?? 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = keepTail(err + b.toString('utf8'))));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new GitError(args, code, err));
    });
  });
}

/** Like runGit but resolves null instead of failing (for probes such as rev-parse --verify). */
export async function tryGit(args: string[], opts: GitOptions = {}): Promise<string | null> {
  try {
    return await runGit(args, opts);
  } catch (err) {
    if (err instanceof GitError) return null;
    throw err;
  }
}

export function keepTail(s: string): string {
  return s.length > STDERR_KEEP ? s.slice(-STDERR_KEEP) : s;
}
