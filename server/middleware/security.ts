import type { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { access } from './access.ts';
import { csrf } from './csrf.ts';
import { errorShape } from './error-shape.ts';
import { limits } from './limits.ts';
import { securityHeaders } from './security-headers.ts';

/**
 * Every cross-cutting protection, in the order a request meets them: headers and error shape
 * wrap everything; body size, then session/role, then CSRF run before any route.
 * Call before registering routes.
 */
export function useSecurity(app: Hono<AppEnv>): void {
  app.use('*', securityHeaders());
  app.use('*', errorShape());
  app.use('*', limits());
  app.use('/api/*', access());
  app.use('*', csrf());
}
