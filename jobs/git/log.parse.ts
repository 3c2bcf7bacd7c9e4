// Streams `git log -z --name-status` as parsed commits, oldest first, without holding the whole
// output: git writes, we split NUL-ended tokens from each chunk and yield commits in batches, and the
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

// NUL-separated (`-z`): names, e-mails and paths may hold any byte but NUL, which git never
// writes into them, so no author can break the field split. A header is \x01 and six fields;
// with -z git writes paths raw (no C-quoting), each status and path one NUL-ended token.
const FORMAT = '--format=%x01%H%x00%P%x00%at%x00%ct%x00%an%x00%ae';
const HEADER_FIELDS = 6;

/**
 * The git arguments Guidepost reads history with: rename detection, merges shown without a
 * diff, parents before children (`--topo-order --reverse`) so a file's creation precedes its
 * changes. `range` is a revision or `OLD..NEW`.
 */
export function logArgs(range: string): string[] {
  return ['log', '-z', '--name-status', '-M', '--diff-merges=off', '--topo-order', '--reverse', FORMAT, range, '--'];
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
  // GIT_FLUSH=0: git flushes stdout after every commit into a pipe (not into a file), one write
  // and one wake-up of this process per commit; buffered, it writes whole pages, and the bytes
  // are the same.
  const child = spawn('git', gitArgs(args, gitDir), { env: gitEnv({ GIT_FLUSH: '0', ...opts.env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr = keepTail(stderr + s)));
  child.stdout.setEncoding('utf8');

  let queue: GitCommit[] = [];
  let rest = '';
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const tokens = new TokenParser((c) => queue.push(c));

  child.stdout.on('data', (chunk: string) => {
    const text = rest + chunk;
    let start = 0;
    let nul = text.indexOf('\0');
    while (nul !== -1) {
      tokens.push(text.slice(start, nul));
      start = nul + 1;
      nul = text.indexOf('\0', start);
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
      // The last token has no NUL after it (an e-mail of a commit without changes).
      if (rest.length > 0) tokens.push(rest);
      tokens.end();
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

/**
 * Turns the NUL-ended tokens of `git log -z --name-status` into commits. A header token starts
 * with \x01 and five fields follow it; then come status tokens (`M`, `R087`, … the first one
 * after a newline), each followed by its one or two paths. A path may start with \x01 or hold
 * newlines: it is never read as anything but a path, because the status before it says so.
 */
class TokenParser {
  private current: GitCommit | null = null;
  private header: string[] = [];
  private status = 0;
  private paths: string[] = [];
  private need = 0;

  constructor(private readonly emit: (c: GitCommit) => void) {}

  push(token: string): void {
    if (this.need > 0) {
      this.paths.push(token);
      if (--this.need === 0) this.change();
      return;
    }
    if (this.header.length > 0) {
      this.header.push(token);
      if (this.header.length === HEADER_FIELDS) this.startCommit();
      return;
    }
    const t = token.charCodeAt(0) === 10 ? token.slice(1) : token;
    if (t.length === 0) return;
    if (t.charCodeAt(0) === 1) {
      this.end();
      this.header.push(t.slice(1));
      return;
    }
    this.status = t.charCodeAt(0);
    this.need = this.status === 82 /* R */ || this.status === 67 /* C */ ? 2 : 1;
  }

  /** Emits the commit being read, if any. */
  end(): void {
    if (this.current) this.emit(this.current);
    this.current = null;
  }

  private startCommit(): void {
    const f = this.header;
    this.header = [];
    const parents = f[1]!;
    this.current = {
      sha: f[0]!,
      parentCount: parents.length === 0 ? 0 : parents.split(' ').length,
      authoredAt: isoFromUnix(f[2]),
      committedAt: isoFromUnix(f[3]),
      authorName: f[4]!,
      authorEmail: f[5]!,
      changes: [],
    };
  }

  private change(): void {
    const [a, b] = this.paths;
    this.paths = [];
    const c = changeOf(this.status, a!, b);
    if (c && this.current) this.current.changes.push(c);
  }
}

// Consecutive commits mostly fall on the same day: its `YYYY-MM-DDT` is made once, the time of
// day is written by hand (Date's toISOString is the parser's costliest call otherwise).
let dayNumber = Number.NaN;
let dayPrefix = '';

/** `new Date(seconds * 1000).toISOString()` for whole seconds. */
function isoFromUnix(seconds: string | undefined): string {
  const s = Number(seconds ?? 0);
  if (!Number.isInteger(s) || Math.abs(s) > 8.64e12) return new Date(s * 1000).toISOString();
  const day = Math.floor(s / 86_400);
  if (day !== dayNumber) {
    dayPrefix = new Date(day * 86_400_000).toISOString().slice(0, -13); // throws out of Date's range, as before
    dayNumber = day;
  }
  const t = s - day * 86_400;
  const h = Math.floor(t / 3600);
  const m = Math.floor(t / 60) % 60;
  const sec = t % 60;
  return `${dayPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.000Z`;
}

/** One change from its status letter and path(s): `M path`, `R087 old new`, `C075 from to`, `T path`. */
function changeOf(kind: number, path: string, to: string | undefined): FileChange | null {
  // A copy leaves the source in place: for authorship it is the creation of a new file.
  if (kind === 82 /* R */) return { status: 'R', path: to!, oldPath: path };
  if (kind === 67 /* C */) return { status: 'A', path: to!, oldPath: null };
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
