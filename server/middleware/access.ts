import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { readSessionCookie } from '../auth/cookies.ts';
import { findSessionUser, type SessionUser } from '../auth/sessions.ts';
import { isLoopbackHost } from '../auth/loopback.ts';
import { errorBody } from '../errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The logged-in user, when the request carries a live session cookie. */
    sessionUser: SessionUser | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes anyone may call: the health probe and the login flow itself. */
export function isOpenApiPath(path: string): boolean {
  return path === '/api/health' || path.startsWith('/api/auth/');
}

/**
 * Where GitHub posts webhook deliveries. Each is authenticated by its HMAC signature (the route
 * checks it), not by a session or CSRF token GitHub could not have, and its answer holds no data.
 */
export const WEBHOOK_PATH = '/api/webhooks/github';

// Routes a viewer may POST to: they only touch the viewer's own session.
const VIEWER_WRITABLE = new Set(['/api/auth/login', '/api/auth/logout']);

/**
 * Mounted on /api/*. Loads the session user; when the config requires a login (any
 * non-loopback host) answers 401 for everything but the open routes; and keeps viewers
 * read-only (GET and HEAD only). The dashboard shell outside /api stays public: it holds no data.
 */
export function access(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, config } = c.get('deps');
    const user = await findSessionUser(db, readSessionCookie(c));
    c.set('sessionUser', user);
    const path = c.req.path;
    if (path === WEBHOOK_PATH) return next();
    // DNS rebinding: a web page can point its own name at 127.0.0.1 and read a login-free server.
    // Without a login, only answer requests addressed to a loopback name.
    if (!config.requireAuth && !isLoopbackHost(new URL(c.req.url).hostname)) {
      return c.json(errorBody('forbidden', 'This server has no login, so it only answers at 127.0.0.1 or localhost. Set GUIDEPOST_REQUIRE_AUTH=true to serve it under another name.'), 403);
    }
    if (config.requireAuth && !user && !isOpenApiPath(path)) {
      return c.json(errorBody('unauthorized', 'Log in first: POST /api/auth/login with your username and password.'), 401);
    }
    if (user?.role === 'viewer' && !SAFE_METHODS.has(c.req.method) && !VIEWER_WRITABLE.has(path)) {
      return c.json(errorBody('forbidden', 'Viewers can look but not change anything. Ask an admin to make this change.'), 403);
    }
    await next();
  };
}
