import { randomBytes, verify } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { tokenOf } from './auth.ts';
import { NOT_FOUND } from './rest-http.ts';
import { countRequest, type SimStats } from './stats.ts';
import type { SimApp, SimState } from './state.ts';

// GitHub App installation auth: the app signs a short-lived RS256 JWT with its private key and
// trades it for an installation token, which then works like a PAT on every route. GitHub's
// wording of the JWT errors matters: @octokit/auth-app retries once with the clock difference
// when it sees the "claim" messages below.

const DOCS = 'https://docs.github.com/rest';
export const JWT_UNDECODABLE = 'A JSON web token could not be decoded';
const IAT_BAD = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
const EXP_BAD = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
/** GitHub allows a JWT of at most 10 minutes; a minute more for clock drift. */
const MAX_JWT_SECONDS = 600;
const DRIFT_SECONDS = 60;
const TOKEN_SECONDS = 3600;
const PERMISSIONS = { contents: 'read', members: 'read', metadata: 'read', pull_requests: 'read' };

/** Why a JWT is refused, in GitHub's words, or null when it is the app's. */
export function jwtProblem(app: SimApp | null, jwt: string | null, nowSeconds = Math.floor(Date.now() / 1000)): string | null {
  const parts = jwt?.split('.') ?? [];
  if (!app || parts.length !== 3) return JWT_UNDECODABLE;
  const [h, p, sig] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return JWT_UNDECODABLE;
  }
  // A JWT signed by another key (a wrong or rotated private key) or naming another app.
  if (header.alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), app.publicKey, Buffer.from(sig, 'base64url'))) return JWT_UNDECODABLE;
  if (String(claims.iss) !== app.appId) return JWT_UNDECODABLE;
  if (typeof claims.iat !== 'number' || !Number.isInteger(claims.iat) || claims.iat > nowSeconds + DRIFT_SECONDS) return IAT_BAD;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return EXP_BAD;
  if (claims.exp > nowSeconds + MAX_JWT_SECONDS + DRIFT_SECONDS || claims.exp - claims.iat > MAX_JWT_SECONDS + DRIFT_SECONDS) return EXP_TOO_FAR;
  return null;
}

/** POST /app/installations/{installation_id}/access_tokens: JWT in, installation token out. Not faulted, delayed or charged. */
export function appRoutes(state: SimState, stats: { current: SimStats }): Hono {
  const app = new Hono();
  app.post('/app/installations/:installation_id/access_tokens', (c: Context) => {
    countRequest(stats.current, 'POST /app/installations/:installation_id/access_tokens');
    const problem = jwtProblem(state.app, tokenOf(c.req.header('authorization')));
    if (problem) return c.json({ message: problem, documentation_url: DOCS, status: '401' }, 401);
    const sim = state.app!;
    if (c.req.param('installation_id') !== String(sim.installationId)) return c.json(NOT_FOUND, 404);
    const now = Date.now();
    for (const [t, exp] of sim.tokens) if (exp <= now) sim.tokens.delete(t);
    // GitHub's installation tokens: ghs_ and 36 letters and digits.
    const token = `ghs_${randomBytes(36).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(36, 'x').slice(0, 36)}`;
    const expires = now + TOKEN_SECONDS * 1000;
    sim.tokens.set(token, expires);
    return c.json(
      {
        token,
        expires_at: new Date(expires).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: PERMISSIONS,
        // An installation limited to some repos is how an app "cannot see" the others.
        repository_selection: state.hiddenRepos.size > 0 ? 'selected' : 'all',
      },
      201,
    );
  });
  return app;
}
