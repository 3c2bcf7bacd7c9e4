import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../deps.ts';
import { isHttps } from '../auth/cookies.ts';

/**
 * The Content-Security-Policy the built dashboard runs under. Vite emits only external
 * module scripts, so no inline script is allowed; Svelte sets style attributes at run time
 * (transitions, style: directives), hence 'unsafe-inline' for styles only. Chart.js draws on
 * canvas and needs nothing more. tests/security.headers.test.ts loads dist/web in Chromium
 * and fails on any violation.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** Security headers on every response, HSTS only when the request came over HTTPS. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
  return async (c, next) => {
    await headers(c, next);
    if (isHttps(c, c.get('deps').config)) c.res.headers.set('Strict-Transport-Security', 'max-age=15552000');
    // API answers hold team data: never in shared caches; a route may choose its own policy.
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'private, no-cache');
  };
}
