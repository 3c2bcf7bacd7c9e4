// Bounded git subprocesses for the knowledge stage. Each call has a time limit and keeps only
// the tail of stderr; errors carry git's own words (never the environment, where credentials live).
import { spawn } from 'node:child_process';

export interface GitOptions {
  /** Repository (bare or not); passed as `git -C`. */
  cwd?: string;
  /** Extra environment (e.g. GIT_CONFIG_* carrying an auth header); merged over process.env. */
  env?: Record<string, string>;
  /** Total time the command may take; then its whole process group is killed. */
  timeoutMs?: number;
  /** Seconds under LOW_SPEED_BYTES a second after which git's HTTP transport gives up. */
  lowSpeedSeconds?: number;
}

/** Time limits of the git commands that talk to a server (clone, fetch). */
export interface GitTimeouts {
  totalMs?: number;
  lowSpeedSeconds?: number;
}

// A server that accepts the connection and then says nothing (or trickles) is caught by curl's
// low-speed check long before any total limit: 1000 bytes/s is what git's documentation
// suggests, and 30 s of less covers a server busy counting objects for a big partial clone.
export const LOW_SPEED_BYTES = 1000;
export const DEFAULT_LOW_SPEED_SECONDS = 30;
const DEFAULT_TIMEOUT_MS = 120_000;
const STDERR_KEEP = 4096;

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
    /** Set when our time limit stopped git (it did not fail on its own). */
    readonly timedOutMs: number | null = null,
  ) {
    super(timedOutMs !== null ? `git ${args[0] ?? ''} was stopped after ${seconds(timedOutMs)}, its time limit` : `git ${args[0] ?? ''} failed: ${firstLine(stderr) || `exit code ${code}`}`);
    this.name = 'GitError';
  }
}

/**
 * A git command that stalled: stopped by our total limit, or by curl's low-speed check
 * ("Operation too slow") or its own timeouts (curl error 28). Retrying it at once would only
 * wait as long again.
 */
export function isStall(err: unknown): boolean {
  if (!(err instanceof GitError)) return false;
  return err.timedOutMs !== null || /Operation too slow|Operation timed out|Connection timed out|curl 28/i.test(err.stderr);
}

export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** `git` with a quiet, stable configuration: no pager, no prompts, UTF-8 paths unquoted, no endless waits on a silent server. */
export function gitArgs(args: string[], cwd: string | undefined, lowSpeedSeconds = DEFAULT_LOW_SPEED_SECONDS): string[] {
  return [
    ...(cwd ? ['-C', cwd] : []),
    '-c', 'core.quotePath=false',
    '-c', 'color.ui=false',
    '-c', `http.lowSpeedLimit=${LOW_SPEED_BYTES}`,
    '-c', `http.lowSpeedTime=${Math.max(1, Math.round(lowSpeedSeconds))}`,
    ...args,
  ];
}

export function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  // GIT_TERMINAL_PROMPT=0: a missing credential fails instead of waiting for a person to type.
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

/** Runs git to completion and returns its stdout; rejects with a GitError on failure or timeout. */
export function runGit(args: string[], opts: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Its own process group: `git clone` runs git-remote-http and index-pack below it, and
    // killing git alone would leave them holding the connection.
    const child = spawn('git', gitArgs(args, opts.cwd, opts.lowSpeedSeconds), { env: gitEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const group = track(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL', () => child.kill('SIGKILL'));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = keepTail(err + b.toString('utf8'))));
    child.on('error', (e) => {
      clearTimeout(timer);
      group.done();
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      group.done();
      if (timedOut) reject(new GitError(args, code, err, timeoutMs));
      else if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// Process groups of the git commands still running. A detached group gets no Ctrl-C from the
// terminal, so when this process ends, or is told to by SIGINT/SIGTERM, it passes a SIGTERM on:
// as with Ctrl-C before, git then removes a half-made clone itself.
const groups = new Set<number>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killGroup(pid: number | undefined, signal: NodeJS.Signals, fallback: () => void): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') fallback();
    else process.kill(-pid, signal);
  } catch {
    fallback(); // the group is gone already
  }
}

function killAll(): void {
  for (const pid of groups) killGroup(pid, 'SIGTERM', () => {});
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Alone on this signal, our listener took away Node's default of exiting: give it back.
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', killAll);
}

function uninstall(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', killAll);
}

function track(pid: number | undefined): { done(): void } {
  if (pid === undefined || process.platform === 'win32') return { done() {} };
  if (groups.size === 0) install();
  groups.add(pid);
  return {
    done() {
      if (!groups.delete(pid)) return;
      if (groups.size === 0) uninstall();
    },
  };
}
