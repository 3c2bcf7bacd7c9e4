// Primary rate limits per token and bucket, like GitHub's: a fixed budget per hour whose window
// starts at the first charged request. `clockSpeed` shrinks the hour (3600 = one real second),
// and reset times are reported in real epoch seconds so well-behaved clients wait the short time.
// https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api

export type Bucket = 'core' | 'graphql';

export interface BucketState {
  limit: number;
  used: number;
  /** Real epoch ms when the window ends. */
  resetAt: number;
}

export interface RateLimiter {
  peek(token: string, bucket: Bucket): BucketState;
  /** Adds points to the bucket (after the request is known to be served). */
  charge(token: string, bucket: Bucket, points: number): BucketState;
}

export function createRateLimiter(limit: number, clockSpeed: number): RateLimiter {
  const windowMs = 3_600_000 / clockSpeed;
  const buckets = new Map<string, BucketState>();
  const current = (token: string, bucket: Bucket): BucketState => {
    const key = `${bucket}\u0000${token}`;
    const now = Date.now();
    let b = buckets.get(key);
    if (!b || now >= b.resetAt) {
      b = { limit, used: 0, resetAt: now + windowMs };
      buckets.set(key, b);
    }
    return b;
  };
  return {
    peek: (token, bucket) => ({ ...current(token, bucket) }),
    charge(token, bucket, points) {
      const b = current(token, bucket);
      b.used = Math.min(b.limit, b.used + points);
      return { ...b };
    },
  };
}

export function remaining(b: BucketState): number {
  return Math.max(0, b.limit - b.used);
}

/** GitHub's x-ratelimit-* headers for a bucket. */
export function rateHeaders(b: BucketState, bucket: Bucket): Record<string, string> {
  return {
    'x-ratelimit-limit': String(b.limit),
    'x-ratelimit-remaining': String(remaining(b)),
    'x-ratelimit-reset': String(Math.ceil(b.resetAt / 1000)),
    'x-ratelimit-used': String(b.used),
    'x-ratelimit-resource': bucket,
  };
}

/** The `rate-limit` JSON object of GET /rate_limit. */
export function rateJson(b: BucketState): { limit: number; remaining: number; reset: number; used: number } {
  return { limit: b.limit, remaining: remaining(b), reset: Math.ceil(b.resetAt / 1000), used: b.used };
}
