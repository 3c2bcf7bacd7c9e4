// Bounded git subprocesses for the simulated GitHub's repositories. Every call has a time limit
// and keeps only the tail of stderr, so a stuck or chatty git can neither hang nor flood us.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface GitResult {
  stdout: string;
  stderr: string;
}

const STDERR_KEEP = 4096;

/** Runs `git args...`, optionally feeding `input`, and rejects with git's own words on failure. */
export function runGit(args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = keepTail(err + b.toString('utf8'))));
    child.stdin.on('error', () => {}); // git may exit before reading all input; the exit code tells
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve({ stdout, stderr: err });
      else reject(gitError(args, code, signal, err));
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Waits for a spawned git to exit; rejects with its stderr tail when it fails. */
export function waitForGit(child: ChildProcess, args: string[], stderrTail: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(gitError(args, code, signal, stderrTail()))));
  });
}

export function keepTail(s: string): string {
  return s.length > STDERR_KEEP ? s.slice(-STDERR_KEEP) : s;
}

function gitError(args: string[], code: number | null, signal: NodeJS.Signals | null, stderr: string): Error {
  const how = signal ? `was stopped (${signal}, time limit reached?)` : `exited with ${code}`;
  return new Error(`git ${args[0] ?? ''} ${how}: ${stderr.trim() || 'no output'}`);
}

let backendPath: Promise<string> | undefined;

/** Absolute path of `git http-backend`, found once through `git --exec-path`. */
export function httpBackendPath(): Promise<string> {
  backendPath ??= runGit(['--exec-path'], { timeoutMs: 10_000 }).then((r) => join(r.stdout.trim(), 'git-http-backend'));
  return backendPath;
}
