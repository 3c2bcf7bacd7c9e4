// Streams `git log --name-status` as parsed commits, oldest first, without holding the whole
// output: git writes, we split lines from each chunk and yield one commit at a time, and the
// consumer's pace (an awaited batch insert) pauses git through the pipe's backpressure.
import { spawn } from 'node:child_process';
import { GitError, gitArgs, gitEnv, keepTail } from './git.exec.ts';

export type ChangeStatus = 'A' | 'M' | 'D' | 'R';

export interface FileChange {
  status: ChangeStatus;
  path: string;
  /** For renames: the path before. */
  oldPath: string | null;
}

export interface GitCommit {
  sha: string;
  parentCount: number;
  authorName: string;
  authorEmail: string;
  /** ISO-8601 UTC. */
  authoredAt: string;
  committedAt: string;
  /** Empty for merge commits: they contribute no file changes (DESIGN.md, Avelino et al.). */
  changes: FileChange[];
}

// \x01 starts a header line; \x1f separates fields (neither occurs in names, e-mails or SHAs).
const FORMAT = '--format=%x01%H%x1f%P%x1f%at%x1f%ct%x1f%an%x1f%ae';

/**
 * The git arguments Guidepost reads history with: rename detection, merges shown without a
 * diff, parents before children (`--topo-order --reverse`) so a file's creation precedes its
 * changes. `range` is a revision or `OLD..NEW`.
 */
export function logArgs(range: string): string[] {
  return ['log', '--name-status', '-M', '--diff-merges=off', '--topo-order', '--reverse', FORMAT, range, '--'];
}

/** Yields commits of `range` in `gitDir`, oldest first. Throws GitError when git fails. */
export async function* readGitLog(gitDir: string, range: string, opts: { env?: Record<string, string> } = {}): AsyncGenerator<GitCommit> {
  for await (const batch of readGitLogBatches(gitDir, range, opts)) yield* batch;
}

const HIGH_WATER = 2000; // parsed commits waiting for the consumer before git is paused

/**
 * The same commits in batches (whatever arrived since the consumer last asked). git flushes
 * after every commit, so reading chunk by chunk through an async iterator would cost more than
 * the parsing; 'data' events fill a queue instead, and the stream pauses while it is full.
 */
export async function* readGitLogBatches(gitDir: string, range: string, opts: { env?: Record<string, string> } = {}): AsyncGenerator<GitCommit[]> {
  const args = logArgs(range);
  const child = spawn('git', gitArgs(args, gitDir), { env: gitEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr = keepTail(stderr + s)));
  child.stdout.setEncoding('utf8');

  let queue: GitCommit[] = [];
  let current: GitCommit | null = null;
  let rest = '';
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  child.stdout.on('data', (chunk: string) => {
    const text = rest + chunk;
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      if (nl > start) {
        if (text.charCodeAt(start) === 1) {
          if (current) queue.push(current);
          current = parseHeader(text.slice(start + 1, nl));
        } else if (current) {
          const change = parseChange(text.slice(start, nl));
          if (change) current.changes.push(change);
        }
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (queue.length >= HIGH_WATER) child.stdout.pause();
    notify();
  });
  child.on('error', (err) => {
    failure = err;
    finished = true;
    notify();
  });
  child.on('close', (code) => {
    if (code !== 0 && !failure) failure = new GitError(args, code, stderr);
    if (!failure) {
      if (rest.length > 0 && current) {
        const change = parseChange(rest);
        if (change) current.changes.push(change);
      }
      if (current) queue.push(current);
      current = null;
    }
    finished = true;
    notify();
  });

  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        if (child.stdout.isPaused()) child.stdout.resume();
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // The consumer may stop early (an error, a break): do not leave git writing into a full pipe.
    if (child.exitCode === null) child.kill();
  }
}

function parseHeader(line: string): GitCommit {
  const f = line.split('\x1f');
  const parents = f[1] ?? '';
  return {
    sha: f[0] ?? '',
    parentCount: parents.length === 0 ? 0 : parents.split(' ').length,
    authoredAt: isoFromUnix(f[2]),
    committedAt: isoFromUnix(f[3]),
    authorName: f[4] ?? '',
    authorEmail: f[5] ?? '',
    changes: [],
  };
}

function isoFromUnix(seconds: string | undefined): string {
  return new Date(Number(seconds ?? 0) * 1000).toISOString();
}

/** One `--name-status` line: `M\tpath`, `R087\told\tnew`, `C075\tfrom\tto`, `T\tpath`. */
export function parseChange(line: string): FileChange | null {
  const tab = line.indexOf('\t');
  if (tab < 1) return null;
  const kind = line.charCodeAt(0);
  if (kind === 82 /* R */ || kind === 67 /* C */) {
    const tab2 = line.indexOf('\t', tab + 1);
    if (tab2 === -1) return null;
    const from = unquote(line.slice(tab + 1, tab2));
    const to = unquote(line.slice(tab2 + 1));
    // A copy leaves the source in place: for authorship it is the creation of a new file.
    return kind === 82 ? { status: 'R', path: to, oldPath: from } : { status: 'A', path: to, oldPath: null };
  }
  const path = unquote(line.slice(tab + 1));
  switch (kind) {
    case 65: // A
      return { status: 'A', path, oldPath: null };
    case 68: // D
      return { status: 'D', path, oldPath: null };
    case 77: // M
    case 84: // T (type change: file ↔ symlink), a change of the same path
      return { status: 'M', path, oldPath: null };
    default:
      return null;
  }
}

// With core.quotePath=false git still C-quotes paths holding ", \, tabs, newlines or controls.
function unquote(p: string): string {
  if (p.charCodeAt(0) !== 34 /* " */) return p;
  const bytes: number[] = [];
  for (let i = 1; i < p.length - 1; i++) {
    const ch = p[i]!;
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = p[++i] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(p.slice(i, i + 3), 8));
      i += 2;
    } else {
      const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
      bytes.push(map[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
