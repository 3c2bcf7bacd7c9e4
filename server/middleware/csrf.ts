import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { publicOrigin, readCsrfCookie, writeCsrfCookie } from '../auth/cookies.ts';
import { errorBody } from '../errors.ts';
import { WEBHOOK_PATH } from './access.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The double-submit token the client must echo in x-csrf-token on writes. */
    csrfToken: string;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const TOKEN = /^[A-Za-z0-9_-]{32,128}$/;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A fresh token for the gp_csrf cookie. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Headers a non-browser client (a script, a test) sends to pass the CSRF check. */
export function csrfHeaders(token = newCsrfToken()): Record<string, string> {
  return { cookie: `gp_csrf=${token}`, [CSRF_HEADER]: token };
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !TOKEN.test(a) || !TOKEN.test(b) || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Two independent checks on every POST/PUT/PATCH/DELETE (OWASP CSRF Prevention Cheat Sheet):
 * 1. Fetch metadata / Origin: a browser that says the request is cross-site, or names another
 *    origin, is refused. hono/csrf does this only for form content types; JSON posts need it too.
 * 2. Double-submit token: the gp_csrf cookie (SameSite=Strict, so never attached cross-site)
 *    must be echoed in the x-csrf-token header, which another site's page cannot read or set.
 * Every response without a valid cookie gets one, so the dashboard has a token after its first load.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // GitHub's deliveries carry a signature instead (access.ts WEBHOOK_PATH).
    if (c.req.path === WEBHOOK_PATH) return next();
    const { config } = c.get('deps');
    const cookieToken = readCsrfCookie(c);
    const hasCookie = cookieToken !== undefined && TOKEN.test(cookieToken);
    const token = hasCookie ? cookieToken : newCsrfToken();
    c.set('csrfToken', token);
    const refusal = STATE_CHANGING.has(c.req.method) ? refuse(c.req.header.bind(c.req), publicOrigin(c, config), cookieToken) : undefined;
    if (refusal) c.res = c.json(errorBody('forbidden', refusal), 403);
    else await next();
    if (!hasCookie) writeCsrfCookie(c, config, token);
  };
}

function refuse(header: (name: string) => string | undefined, ownOrigin: string, cookieToken: string | undefined): string | undefined {
  const site = header('sec-fetch-site');
  const origin = header('origin');
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== ownOrigin)) {
    return 'Cross-site request refused: changes can only come from the Guidepost dashboard itself.';
  }
  if (!sameToken(cookieToken, header(CSRF_HEADER))) {
    return `Missing or wrong CSRF token: send the value of the gp_csrf cookie in the ${CSRF_HEADER} header (GET /api/auth/me returns it as csrfToken).`;
  }
  return undefined;
}
