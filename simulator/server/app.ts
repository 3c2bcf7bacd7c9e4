import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { routePath } from 'hono/route';
import { gitTokenOf, tokenOf } from './auth.ts';
import { createFaults, SLOW_FAULT_MS } from './faults.ts';
import { graphqlRoutes } from './graphql-route.ts';
import { primaryLimit, requestId, secondaryLimit } from './limits.ts';
import type { RateLimiter } from './rate-limit.ts';
import { BAD_CREDENTIALS, BAD_CREDENTIALS_GRAPHQL, NOT_FOUND } from './rest-http.ts';
import { appRoutes } from './rest-app.ts';
import { orgRoutes } from './rest-orgs.ts';
import { pullRoutes } from './rest-pulls.ts';
import { rateLimitRoutes, userRoutes } from './rest-user.ts';
import { simRoutes, type EvolveRequest } from './sim-routes.ts';
import { countRequest, type SimStats } from './stats.ts';
import { acceptsToken, canSee, type SimState } from './state.ts';

export interface GitServer {
  serve(req: Request, opts: { repo: string; pathInfo: string }): Promise<Response>;
}

export interface SimAppOptions {
  seed: number;
  latencyMs: number;
  faults: number;
  clockSpeed: number;
  secondaryConcurrency: number;
}

export interface SimAppDeps {
  state: SimState;
  limiter: RateLimiter;
  stats: { current: SimStats };
  options: SimAppOptions;
  git: GitServer | null;
  evolve(req: EvolveRequest): Promise<unknown>;
  /** /_sim/webhooks, when the caller sends webhooks. */
  webhooks?: Hono;
}

// Smart-HTTP git paths, both under /git/{org}/{repo}.git/ (clone_url) and /{org}/{repo}/ (html/GraphQL url).
const GIT_PATH = /^\/(?:git\/)?([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulated api.github.com: /_sim controls, git, then REST and GraphQL behind auth and limits. */
export function createSimApp(deps: SimAppDeps): Hono<{ Bindings: HttpBindings }> {
  const { state, limiter, stats, options } = deps;
  const app = new Hono<{ Bindings: HttpBindings }>();
  const pickFault = createFaults(options.faults, options.seed);

  app.route('/', simRoutes(state, stats, deps.evolve));
  if (deps.webhooks) app.route('/', deps.webhooks);
  // Authenticated by the app's JWT, not by a token: before the token check below.
  app.route('/', appRoutes(state, stats));

  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path.startsWith('/_sim/')) return c.json(NOT_FOUND, 404);
    const git = GIT_PATH.exec(path);
    if (git) {
      countRequest(stats.current, `${c.req.method} /git/:org/:repo.git/${git[3]!.startsWith('objects/') ? 'objects' : git[3]}`, path);
      if (!acceptsToken(state, gitTokenOf(c.req.header('authorization')))) {
        return c.text('Invalid username or token.\n', 401, { 'www-authenticate': 'Basic realm="GitHub"' });
      }
      if (git[1]!.toLowerCase() !== state.index.org.org.login.toLowerCase() || !state.index.repos.has(git[2]!) || !canSee(state, git[2]!) || !deps.git) {
        return c.text('Repository not found.\n', 404);
      }
      return deps.git.serve(c.req.raw, { repo: git[2]!, pathInfo: `/${git[3]!}` });
    }
    try {
      if (!acceptsToken(state, tokenOf(c.req.header('authorization')))) {
        return c.json(path === '/graphql' ? BAD_CREDENTIALS_GRAPHQL : BAD_CREDENTIALS, 401);
      }
      await next();
      c.res.headers.set('x-github-request-id', requestId());
      c.res.headers.set('x-github-api-version-selected', '2022-11-28');
    } finally {
      countRequest(stats.current, `${c.req.method} ${routeLabel(c)}`, path);
    }
  });
  // In flight from here on: latency and slow faults hold a slot, as a slow GitHub would.
  app.use('*', secondaryLimit(options.secondaryConcurrency, options.clockSpeed, stats.current));
  app.use('*', async (c, next) => {
    if (options.latencyMs > 0) await sleep(options.latencyMs);
    const fault = pickFault();
    if (fault) stats.current.faults += 1;
    if (fault === 'error500') return c.json({ message: 'Server Error' }, 500);
    if (fault === 'error502') return c.text('Bad Gateway', 502);
    if (fault === 'reset') {
      c.env?.incoming?.socket?.destroy();
      return c.text('', 500);
    }
    if (fault === 'slow') await sleep(SLOW_FAULT_MS);
    await next();
  });
  app.route('/', graphqlRoutes(state, limiter, stats.current));

  // /rate_limit is free on GitHub, so it sits before the charging middleware.
  app.route('/', rateLimitRoutes(state, limiter));
  app.use('*', primaryLimit(state, limiter, stats.current));
  app.route('/', userRoutes(state));
  app.route('/', orgRoutes(state));
  app.route('/', pullRoutes(state));
  app.notFound((c) => c.json(NOT_FOUND, 404));
  return app;
}

function routeLabel(c: Parameters<typeof routePath>[0]): string {
  const route = routePath(c, -1);
  return route === '*' || route === '/*' || route === '' ? '(unmatched)' : route.replace(/\{\[0-9\]\+\}/g, '');
}
