// Git smart HTTP for the simulated GitHub, through git's own CGI program `git http-backend`
// (git-http-backend(1)), so clones and fetches speak the real protocol, v2 and filters included.
// The caller (simulator/server) checks the token first and mounts this at /git/{org}/{repo}.git/*.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { GIT_ENV, httpBackendPath, keepTail } from './git.run.ts';
import { isRepoName, repoDir } from './repo.path.ts';

export interface ServeGitOptions {
  reposRoot: string;
  repo: string;
  /** What follows `/{repo}.git` in the URL, e.g. `/info/refs` or `/git-upload-pack`. */
  pathInfo: string;
  /** Login the token belongs to; shown to git as REMOTE_USER. */
  remoteUser?: string;
}

// GitHub speaks smart HTTP only; everything else (dumb-HTTP object paths, anything with `..`)
// is answered 404 before a path is built from it.
const SMART_PATHS = new Set(['/info/refs', '/git-upload-pack', '/git-receive-pack']);
const TIME_LIMIT_MS = 5 * 60_000;
/** At most this many http-backends at once; further requests wait for a slot. */
const MAX_BACKENDS = 16;
let running = 0;
const waiting: (() => void)[] = [];

/** Answers one git smart-HTTP request for `${reposRoot}/${repo}.git`; unknown repos and paths get 404. */
export async function serveGit(req: Request, opts: ServeGitOptions): Promise<Response> {
  if (!isRepoName(opts.repo) || !SMART_PATHS.has(opts.pathInfo)) return notFound();
  if (!(await stat(repoDir(opts.reposRoot, opts.repo)).catch(() => null))?.isDirectory()) return notFound();

  const backend = await httpBackendPath();
  await acquireSlot();
  const child = spawn(backend, [], {
    env: cgiEnv(req, opts),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: TIME_LIMIT_MS,
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = keepTail(stderr + b.toString('utf8'))));
  const exited = new Promise<number | null>((done) => {
    child.on('close', (code) => done(code));
    child.on('error', () => done(-1));
  });
  void exited.then(releaseSlot);
  const stop = (): void => void child.kill();
  req.signal?.addEventListener('abort', stop, { once: true });

  child.stdin.on('error', () => {}); // http-backend may answer (e.g. 403) without reading the body
  if (req.body) {
    const body = Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>);
    body.on('error', stop);
    body.pipe(child.stdin);
  } else {
    child.stdin.end();
  }

  const out = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await readCgiHead(out);
  if (!head) {
    stop();
    const code = await exited;
    return new Response(`git http-backend failed (exit ${code}): ${stderr.trim()}\n`, { status: 500, headers: { 'content-type': 'text/plain' } });
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.rest.length > 0) controller.enqueue(new Uint8Array(head.rest));
    },
    async pull(controller) {
      const next = await out.next();
      if (!next.done) return controller.enqueue(new Uint8Array(next.value));
      const code = await exited;
      // A failure after the headers went out can only be signalled by breaking the stream.
      if (code === 0) controller.close();
      else controller.error(new Error(`git http-backend exited with ${code}: ${stderr.trim()}`));
    },
    cancel: stop,
  });
  return new Response(body, { status: head.status, headers: head.headers });
}

function acquireSlot(): Promise<void> {
  if (running < MAX_BACKENDS) {
    running += 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** Hands the slot straight to the next waiter, so the limit holds even between the two. */
function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

function cgiEnv(req: Request, opts: ServeGitOptions): Record<string, string> {
  const h = req.headers;
  const env: Record<string, string> = {
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    ...GIT_ENV,
    GIT_PROJECT_ROOT: resolve(opts.reposRoot),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${opts.repo}.git${opts.pathInfo}`,
    REQUEST_METHOD: req.method,
    QUERY_STRING: new URL(req.url).search.slice(1),
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_USER: opts.remoteUser ?? 'x-access-token',
  };
  const pass: [string, string][] = [
    ['content-type', 'CONTENT_TYPE'],
    ['content-length', 'CONTENT_LENGTH'],
    // http-backend inflates gzip request bodies itself when told about them.
    ['content-encoding', 'HTTP_CONTENT_ENCODING'],
    // Carries `version=2`; protocol v2 is what makes `--filter` work.
    ['git-protocol', 'HTTP_GIT_PROTOCOL'],
  ];
  for (const [header, name] of pass) {
    const value = h.get(header);
    if (value !== null) env[name] = value;
  }
  return env;
}

interface CgiHead {
  status: number;
  headers: Headers;
  rest: Buffer;
}

/** Reads CGI response headers (ending in a blank line); `Status:` becomes the HTTP status. */
async function readCgiHead(out: AsyncIterator<Buffer>): Promise<CgiHead | null> {
  let buf = Buffer.alloc(0);
  for (;;) {
    const crlf = buf.indexOf('\r\n\r\n');
    const lf = buf.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, len: 4 } : lf >= 0 ? { at: lf, len: 2 } : null;
    if (end) return parseHead(buf.subarray(0, end.at).toString('latin1'), buf.subarray(end.at + end.len));
    if (buf.length > 64 * 1024) return null;
    const next = await out.next();
    if (next.done) return null;
    buf = Buffer.concat([buf, next.value]);
  }
}

function parseHead(text: string, rest: Buffer): CgiHead {
  const headers = new Headers();
  let status = 200;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.append(name, value);
  }
  return { status, headers, rest };
}

function notFound(): Response {
  // What github.com answers a git client for a repository it cannot see.
  return new Response('Repository not found.\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
