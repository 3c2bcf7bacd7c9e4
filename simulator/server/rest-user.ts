import { Hono } from 'hono';
import { privateUser } from './payloads-users.ts';
import { rateHeaders, rateJson, type RateLimiter } from './rate-limit.ts';
import { tokenOf } from './auth.ts';
import { jsonWithEtag } from './rest-http.ts';
import type { SimState } from './state.ts';

/** GET /user: the token's owner. An installation token belongs to no user, so GitHub refuses it. */
export function userRoutes(state: SimState): Hono {
  const app = new Hono();
  app.get('/user', (c) => {
    if (tokenOf(c.req.header('authorization')) !== state.token) {
      return c.json({ message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' }, 403);
    }
    return jsonWithEtag(c, privateUser(state));
  });
  return app;
}

/** GET /rate_limit: free, as on GitHub. */
export function rateLimitRoutes(state: SimState, limiter: RateLimiter): Hono {
  const app = new Hono();
  app.get('/rate_limit', (c) => {
    const coreBucket = limiter.peek(state.token, 'core');
    const core = rateJson(coreBucket);
    const graphql = rateJson(limiter.peek(state.token, 'graphql'));
    const fixed = (limit: number) => ({ limit, remaining: limit, reset: core.reset, used: 0 });
    return jsonWithEtag(
      c,
      { resources: { core, graphql, search: fixed(30), code_search: fixed(10), integration_manifest: fixed(5000) }, rate: core },
      rateHeaders(coreBucket, 'core'),
    );
  });
  return app;
}
