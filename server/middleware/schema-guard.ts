import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.ts';
import { schemaGuardOf } from '../db/schema-guard.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every request that may change data (the webhook receiver and login too) once a newer
 * Guidepost has migrated the database under this one (server/db/schema-guard.ts); reads go on.
 * The answer is 409 'conflict', not 503 with Retry-After: waiting does not help, only replacing
 * this process does, and a client told to retry would only be refused here again.
 */
export function schemaGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!READS.has(c.req.method)) {
      const { db, logger } = c.get('deps');
      await schemaGuardOf(db, logger).assertCurrent();
    }
    await next();
  };
}
