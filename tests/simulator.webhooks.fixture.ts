// A webhook receiver on 127.0.0.1 (node:http) that records every delivery, and the shape check
// against GitHub's published examples (@octokit/webhooks-examples), shared by the webhook tests.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import examples from '@octokit/webhooks-examples';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Answers each delivery with `status`, or never answers when `hang` (a stuck receiver). */
export async function startReceiver(opts: { status?: number; hang?: boolean } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (opts.hang) held.push(res);
      else res.writeHead(opts.status ?? 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `ok` holds, failing after `ms`: every wait in these tests is bounded. */
export async function waitFor(ok: () => boolean, ms = 10_000, what = 'the deliveries'): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

// Keys only a GitHub App's deliveries carry; the simulator sends an organisation's hook.
const APP_ONLY = new Set(['installation', 'enterprise']);
const NESTED = ['pull_request', 'review', 'comment', 'repository', 'issue', 'organization', 'sender'];
// Nullable in GitHub's schema (organization-simple; pull-request, whose mergeability GitHub
// computes lazily, with no merge commit before the merge), though every example happens to fill them.
const NULLABLE = new Set(['organization.description', 'pull_request.mergeable', 'pull_request.rebaseable', 'pull_request.merge_commit_sha']);

/** GitHub's examples of one event and action, those of an organisation's hook when there are some. */
export function examplesOf(event: string, action: string | null): Record<string, unknown>[] {
  const def = examples.find((d) => d.name === event);
  const all = ((def?.examples ?? []) as Record<string, unknown>[]).filter((x) => (x.action ?? null) === action);
  const ofOrg = all.filter((x) => 'organization' in x);
  return ofOrg.length > 0 ? ofOrg : all;
}

/** Every key the examples have, missing from `ours` or of another JSON type (null in an example means nullable). */
export function shapeProblems(ours: Record<string, unknown>, samples: Record<string, unknown>[], path = ''): string[] {
  const problems: string[] = [];
  const keys = new Set(samples.flatMap((s) => Object.keys(s)));
  for (const k of keys) {
    if (path === '' && APP_ONLY.has(k)) continue;
    const where = `${path}${k}`;
    if (!(k in ours)) {
      problems.push(`${where} missing`);
      continue;
    }
    const theirs = new Set(samples.filter((s) => k in s).map((s) => jsonType(s[k])));
    const mine = jsonType(ours[k]);
    if (!theirs.has(mine) && !theirs.has('null') && !(mine === 'null' && NULLABLE.has(where))) problems.push(`${where} is ${mine}, GitHub sends ${[...theirs].join('|')}`);
    if (path === '' && NESTED.includes(k) && mine === 'object') {
      const nested = samples.map((s) => s[k]).filter((v): v is Record<string, unknown> => jsonType(v) === 'object');
      problems.push(...shapeProblems(ours[k] as Record<string, unknown>, nested, `${where}.`));
    }
  }
  return problems;
}
