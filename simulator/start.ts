// Starts the simulated GitHub: an org (generated, replayed from a snapshot, or given), its git
// repositories, and the REST/GraphQL/git HTTP server on 127.0.0.1.
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { evolveOrg, type EvolveSummary } from './generate/evolve.ts';
import { generateOrg } from './generate/index.ts';
import { appendCommits, buildRepos, serveGit } from './git/index.ts';
import type { Scale, SimCommit, SimOrg } from './model.ts';
import { createSimApp, type GitServer } from './server/app.ts';
import { indexOrg } from './server/org-index.ts';
import { loadSnapshot } from './snapshot.ts';
import { createRateLimiter } from './server/rate-limit.ts';
import type { EvolveRequest } from './server/sim-routes.ts';
import { emptyStats, type SimStats } from './server/stats.ts';
import type { SimState } from './server/state.ts';
import { changesSince, markOrg } from './server/webhooks-changes.ts';
import { webhookRoutes } from './server/webhooks-routes.ts';
import { checkDropShare, checkWebhookTarget, createWebhookSender, type DeliveryRecord, type WebhookSender, type WebhookTarget } from './server/webhooks-sender.ts';

export type { SimStats } from './server/stats.ts';
export type { DeliveryRecord, WebhookTarget } from './server/webhooks-sender.ts';

export interface StartSimulatorOptions {
  seed?: number;
  scale?: Scale;
  /** Snapshot file to serve instead of a generated org (docs/simulator.md). */
  from?: string;
  /** An org built by the caller (tests); wins over seed/scale/from. */
  org?: SimOrg;
  /** 0 = any free port. */
  port?: number;
  host?: '127.0.0.1';
  latencyMs?: number;
  /** Share of API requests answered with a fault (0..1). */
  faults?: number;
  /** Primary limit per token per hour, for REST and for GraphQL points. Default 5000. */
  rateLimit?: number;
  /** 1 = real time; 3600 = an hour of rate-limit clock per second. */
  clockSpeed?: number;
  /** Concurrent requests allowed before the secondary limit answers 403. Default 10. */
  secondaryConcurrency?: number;
  /** Where to build the bare git repositories; a temporary folder (removed on close) by default. */
  reposRoot?: string;
  /** Build and serve git repositories (default true); false skips git for API-only tests. */
  git?: boolean;
  /** Also write the planted truth to this file. */
  truthFile?: string;
  token?: string;
  /** Repos the token cannot see: absent from every listing, 404 / NOT_FOUND on every route (docs/simulator.md, "Access"). */
  hiddenRepos?: string[];
  /** A GitHub App installed on the org: installation tokens minted from JWTs signed by its private key work like the token. */
  app?: { appId: string | number; installationId: number; publicKey: string | KeyObject };
  /** Hooks to send signed webhook deliveries to as the org evolves (docs/simulator.md, "Webhooks"). */
  webhook?: WebhookTarget | WebhookTarget[];
  /** Share of webhook deliveries (0..1) not sent, picked from the seed, so a receiver misses some. */
  dropWebhooks?: number;
  /** How long a hook may take to answer; GitHub's 10 s by default. */
  webhookTimeoutMs?: number;
}

export interface RunningSimulator {
  url: string;
  token: string;
  org: SimOrg;
  stats(): SimStats;
  /** Replaces the set of repos the token cannot see, e.g. access removed between two syncs. */
  setHiddenRepos(names: string[]): void;
  /** The webhook sender: add hooks, pause them, wait until every queued delivery was attempted. */
  webhooks: Pick<WebhookSender, 'addHook' | 'setPaused' | 'setDrop' | 'idle'> & { deliveries(): DeliveryRecord[] };
  close(): Promise<void>;
}

async function loadOrg(opts: StartSimulatorOptions): Promise<SimOrg> {
  if (opts.org) return opts.org;
  if (opts.from) {
    return loadSnapshot(opts.from);
  }
  return generateOrg({ seed: opts.seed ?? 1, scale: opts.scale ?? 'small' });
}

function checkOptions(opts: StartSimulatorOptions): void {
  const bad = (what: string) => {
    throw new Error(what);
  };
  if (opts.faults !== undefined && !(opts.faults >= 0 && opts.faults <= 1)) bad('--faults must be a share between 0 and 1, e.g. 0.05');
  if (opts.latencyMs !== undefined && !(opts.latencyMs >= 0 && opts.latencyMs <= 60_000)) bad('--latency must be milliseconds from 0 to 60000');
  if (opts.rateLimit !== undefined && !(Number.isInteger(opts.rateLimit) && opts.rateLimit >= 1)) bad('--rate-limit must be a whole number of requests per hour, at least 1');
  if (opts.clockSpeed !== undefined && !(opts.clockSpeed > 0 && opts.clockSpeed <= 3_600_000)) bad('--clock-speed must be above 0 (1 = real time, 3600 = an hour per second)');
  if (opts.secondaryConcurrency !== undefined && !(Number.isInteger(opts.secondaryConcurrency) && opts.secondaryConcurrency >= 1)) bad('secondaryConcurrency must be a whole number, at least 1');
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65535)) bad('--port must be a whole number from 0 to 65535');
  if (opts.dropWebhooks !== undefined) checkDropShare(opts.dropWebhooks);
  if (opts.webhookTimeoutMs !== undefined && !(Number.isInteger(opts.webhookTimeoutMs) && opts.webhookTimeoutMs >= 1 && opts.webhookTimeoutMs <= 60_000)) bad('webhookTimeoutMs must be whole milliseconds from 1 to 60000');
}

function webhookTargets(opts: StartSimulatorOptions): WebhookTarget[] {
  const list = opts.webhook === undefined ? [] : Array.isArray(opts.webhook) ? opts.webhook : [opts.webhook];
  return list.map((t) => checkWebhookTarget(t));
}

/** Starts the simulated GitHub and resolves once it listens. */
export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  checkOptions(opts);
  const targets = webhookTargets(opts);
  const org = await loadOrg(opts);
  const hidden = (names: string[]) => {
    const unknown = names.filter((n) => !org.repos.some((r) => r.name.toLowerCase() === n.toLowerCase()));
    if (unknown.length > 0) throw new Error(`hiddenRepos: no repository named ${unknown.join(', ')} in ${org.org.login}`);
    return new Set(names.map((n) => n.toLowerCase()));
  };
  const hiddenRepos = hidden(opts.hiddenRepos ?? []);
  const githubApp = opts.app ? { appId: String(opts.app.appId), installationId: opts.app.installationId, publicKey: createPublicKey(opts.app.publicKey), tokens: new Map<string, number>() } : null;
  const token = opts.token ?? `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
  const useGit = opts.git ?? true;
  const ownRoot = useGit && !opts.reposRoot;
  const reposRoot = opts.reposRoot ?? (useGit ? await mkdtemp(join(tmpdir(), 'guidepost-sim-git-')) : '');
  const state: SimState = { index: indexOrg(org), shas: useGit ? await buildRepos(org, reposRoot) : new Map(), baseUrl: '', token, hiddenRepos, app: githubApp };
  if (opts.truthFile) await writeFile(opts.truthFile, `${JSON.stringify(org.truth, null, 2)}\n`);

  const stats = { current: emptyStats() };
  const webhooks = createWebhookSender(state, { seed: org.seed, timeoutMs: opts.webhookTimeoutMs, drop: opts.dropWebhooks });
  const git: GitServer | null = useGit
    ? { serve: (req, o) => serveGit(req, { reposRoot, repo: o.repo, pathInfo: o.pathInfo, remoteUser: state.index.viewer.login }) }
    : null;
  const app = createSimApp({
    state,
    limiter: createRateLimiter(opts.rateLimit ?? 5000, opts.clockSpeed ?? 1),
    stats,
    options: {
      seed: org.seed,
      latencyMs: opts.latencyMs ?? 0,
      faults: opts.faults ?? 0,
      clockSpeed: opts.clockSpeed ?? 1,
      secondaryConcurrency: opts.secondaryConcurrency ?? 10,
    },
    git,
    evolve: (req) => evolve(state, req, useGit ? reposRoot : null, webhooks),
    webhooks: webhookRoutes(webhooks),
  });

  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  state.baseUrl = `http://${host}:${port}`;
  // Payloads carry the simulator's URLs, so hooks are pinged only once it listens.
  for (const t of targets) webhooks.addHook(t);

  return {
    url: state.baseUrl,
    token,
    get org() {
      return state.index.org;
    },
    stats: () => structuredClone(stats.current),
    setHiddenRepos(names) {
      state.hiddenRepos = hidden(names);
    },
    webhooks: {
      addHook: (t) => webhooks.addHook(checkWebhookTarget(t)),
      setPaused: webhooks.setPaused,
      setDrop: (share) => webhooks.setDrop(checkDropShare(share)),
      idle: webhooks.idle,
      deliveries: () => webhooks.describe().deliveries,
    },
    async close() {
      await webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      if (ownRoot) await rm(reposRoot, { recursive: true, force: true });
    },
  };
}

/** POST /_sim/evolve: adds activity to the org, extends git with the new commits, re-indexes, and queues the webhooks. */
async function evolve(state: SimState, req: EvolveRequest, reposRoot: string | null, webhooks: WebhookSender): Promise<EvolveSummary> {
  const next = state.index.org;
  const mark = webhooks.hasHooks() ? markOrg(next) : null;
  const before = new Map(next.repos.map((r) => [r.name, r.commits.length]));
  // evolveOrg changes the org in place and appends new commits at the end of each history.
  const summary = evolveOrg(next, req);
  if (reposRoot !== null) {
    for (const repo of next.repos) {
      const added: SimCommit[] = repo.commits.slice(before.get(repo.name) ?? 0);
      if (added.length === 0) continue;
      const shas = await appendCommits(next, reposRoot, repo.name, added);
      const map = state.shas.get(repo.name) ?? new Map<string, string>();
      for (const [id, sha] of shas) map.set(id, sha);
      state.shas.set(repo.name, map);
    }
  }
  state.index = indexOrg(next);
  if (mark) webhooks.send(changesSince(state, mark));
  return summary;
}
