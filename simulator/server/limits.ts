import type { Context, MiddlewareHandler } from 'hono';
import type { Bucket, RateLimiter } from './rate-limit.ts';
import { rateHeaders, remaining } from './rate-limit.ts';
import type { SimStats } from './stats.ts';
import type { SimState } from './state.ts';

const PRIMARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_DOCS = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

let requestCounter = 0;
/** A GitHub-looking request id (x-github-request-id), deterministic per process. */
export function requestId(): string {
  requestCounter += 1;
  return `51A1:${requestCounter.toString(16).toUpperCase().padStart(6, '0')}:0:0:0`;
}

export function primaryLimitMessage(state: SimState, id: string): string {
  return `API rate limit exceeded for user ID ${state.index.viewer.id}. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`;
}

/** Refuses more than `max` requests in flight at once (GitHub's secondary limit on concurrency). */
export function secondaryLimit(max: number, clockSpeed: number, stats: SimStats): MiddlewareHandler {
  let inFlight = 0;
  // GitHub asks for a minute; a fast clock shortens the wait the same way it shortens the hour.
  const retryAfter = String(Math.max(1, Math.ceil(60 / clockSpeed)));
  return async (c, next) => {
    if (inFlight >= max) {
      stats.rejectedForLimit += 1;
      const id = requestId();
      return c.json(
        {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
          documentation_url: SECONDARY_DOCS,
          status: '403',
        },
        403,
        { 'retry-after': retryAfter, 'x-github-request-id': id },
      );
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
}

/** REST primary limit: 1 point per answered request, 304s free, refused with 403 once spent. */
export function primaryLimit(state: SimState, limiter: RateLimiter, stats: SimStats): MiddlewareHandler {
  const bucket: Bucket = 'core';
  return async (c, next) => {
    const before = limiter.peek(state.token, bucket);
    if (remaining(before) === 0) {
      stats.overLimit += 1;
      stats.rejectedForLimit += 1;
      const id = requestId();
      return c.json({ message: primaryLimitMessage(state, id), documentation_url: PRIMARY_DOCS, status: '403' }, 403, {
        ...rateHeaders(before, bucket),
        'x-github-request-id': id,
      });
    }
    await next();
    let after = before;
    if (c.res.status === 304) stats.notModified += 1;
    else {
      after = limiter.charge(state.token, bucket, 1);
      stats.pointsCharged += 1;
    }
    setHeaders(c, rateHeaders(after, bucket));
  };
}

export function setHeaders(c: Context, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
}
