// Primary rate-limit bookkeeping per resource ('core' for REST, 'graphql'). GitHub tells the
// remaining budget and its reset on every answer (x-ratelimit-* headers; GraphQL's
// `rateLimit { remaining resetAt }`); we never send a request the budget cannot pay for before
// the reset: we wait for the reset instead (docs.github.com, "Rate limits for the REST API":
// "you should not try your request until after the time specified by x-ratelimit-reset").

export interface BudgetSnapshot {
  resource: string;
  limit: number | null;
  remaining: number | null;
  /** Epoch ms. */
  resetAt: number | null;
  /** Epoch ms this resource's requests wait until for a spent limit to reset; null while none waits. */
  waitingUntil: number | null;
}

/** A wait for a spent limit to reset: `until` is epoch ms. */
export interface BudgetWait {
  resource: string;
  until: number;
}

interface State {
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  /** Units sent whose answer has not come back yet. */
  reserved: number;
  /** Calls of reserve() sleeping for a reset, each with the instant it waits until. */
  sleepers: Set<{ until: number }>;
  /** Until when plugin-throttling holds a request GitHub refused for the limit (it waits retry-after). */
  refusedUntil: number | null;
  /** The last wait `onWait` heard of. */
  toldUntil: number | null;
}

export interface Budget {
  /** Waits until `cost` units can be spent without going over, then holds them. */
  reserve(resource: string, cost: number): Promise<void>;
  release(resource: string, cost: number): void;
  /** Reads x-ratelimit-* headers. */
  observeHeaders(fallbackResource: string, headers: Record<string, unknown>): void;
  /** Reads a GraphQL `rateLimit` object. */
  observeGraphql(rateLimit: { limit?: number; remaining?: number; resetAt?: string } | null | undefined): void;
  snapshot(): BudgetSnapshot[];
  /** Resources whose requests wait for a spent limit to reset, and until when. */
  waiting(): BudgetWait[];
  /**
   * GitHub refused a request for the spent limit and the throttling plugin retries it in
   * `retryAfterS` seconds: a wait as much as one reserve() sleeps, so it is told the same way.
   */
  observeRefusal(resource: string, retryAfterS: number): void;
  /** Total ms spent waiting for resets. */
  waitedMs(): number;
}

/** A small margin after the announced reset, since clocks differ by a little. */
const RESET_MARGIN_MS = 250;

/**
 * `onWait` hears of each new wait for a reset once, however many requests wait for it and however
 * often they wake up to look (a sleep lasts a minute at most).
 */
export function createBudget(opts: { onWait?: (wait: BudgetWait) => void } = {}): Budget {
  const states = new Map<string, State>();
  let waited = 0;
  const get = (r: string): State => {
    let s = states.get(r);
    if (!s) states.set(r, (s = { limit: null, remaining: null, resetAt: null, reserved: 0, sleepers: new Set(), refusedUntil: null, toldUntil: null }));
    return s;
  };
  const waitingUntil = (s: State): number | null => {
    if (s.refusedUntil !== null && s.refusedUntil <= Date.now()) s.refusedUntil = null;
    const all = [...s.sleepers].map((w) => w.until).concat(s.refusedUntil ?? []);
    return all.length ? Math.max(...all) : null;
  };
  /** Tells `onWait` of a wait unless one for about the same instant was told already. */
  const tell = (resource: string, s: State, until: number) => {
    if (s.toldUntil !== null && until <= s.toldUntil + 1000) return;
    s.toldUntil = until;
    opts.onWait?.({ resource, until });
  };
  /** After the reset time the whole limit is available again. */
  const roll = (s: State) => {
    if (s.resetAt !== null && Date.now() >= s.resetAt + RESET_MARGIN_MS) {
      s.remaining = s.limit;
      s.resetAt = null;
    }
  };
  const update = (s: State, limit: number | null, remaining: number, resetAt: number | null) => {
    if (limit !== null) s.limit = limit;
    // A newer window (later reset) replaces the old figures; within a window remaining only falls.
    if (resetAt !== null && (s.resetAt === null || resetAt > s.resetAt + 1000)) {
      s.remaining = remaining;
      s.resetAt = resetAt;
    } else {
      s.remaining = s.remaining === null ? remaining : Math.min(s.remaining, remaining);
      if (resetAt !== null) s.resetAt = resetAt;
    }
  };

  return {
    async reserve(resource, cost) {
      const s = get(resource);
      for (;;) {
        roll(s);
        const free = s.remaining === null ? Infinity : s.remaining - s.reserved;
        // An unknown budget lets one request through at a time until its answer tells us more.
        if (s.remaining === null && s.reserved > 0) {
          await sleep(20);
          continue;
        }
        if (free >= cost || (s.remaining !== null && s.reserved === 0 && s.resetAt === null)) break;
        const until = s.resetAt !== null ? s.resetAt + RESET_MARGIN_MS - Date.now() : 50;
        const ms = Math.max(10, until);
        waited += ms;
        if (s.resetAt === null) {
          await sleep(ms);
          continue;
        }
        // A reset ahead: told while it lasts (GET /api/sync, the CLI), not only logged.
        const sleeper = { until: Date.now() + ms };
        tell(resource, s, sleeper.until);
        s.sleepers.add(sleeper);
        try {
          await sleep(Math.min(ms, 60_000));
        } finally {
          s.sleepers.delete(sleeper);
        }
      }
      s.reserved += cost;
    },
    release(resource, cost) {
      const s = get(resource);
      s.reserved = Math.max(0, s.reserved - cost);
    },
    observeHeaders(fallbackResource, headers) {
      const remaining = num(headers['x-ratelimit-remaining']);
      if (remaining === null) return;
      const resource = typeof headers['x-ratelimit-resource'] === 'string' ? headers['x-ratelimit-resource'] : fallbackResource;
      const reset = num(headers['x-ratelimit-reset']);
      update(get(resource), num(headers['x-ratelimit-limit']), remaining, reset === null ? null : reset * 1000);
    },
    observeGraphql(rl) {
      if (!rl || typeof rl.remaining !== 'number') return;
      const reset = rl.resetAt ? Date.parse(rl.resetAt) : NaN;
      update(get('graphql'), typeof rl.limit === 'number' ? rl.limit : null, rl.remaining, Number.isNaN(reset) ? null : reset);
    },
    snapshot() {
      return [...states.entries()].map(([resource, s]) => {
        roll(s);
        return { resource, limit: s.limit, remaining: s.remaining, resetAt: s.resetAt, waitingUntil: waitingUntil(s) };
      });
    },
    waiting() {
      return [...states.entries()].flatMap(([resource, s]) => {
        const until = waitingUntil(s);
        return until === null ? [] : [{ resource, until }];
      });
    },
    observeRefusal(resource, retryAfterS) {
      const s = get(resource);
      const until = Date.now() + Math.max(0, retryAfterS) * 1000;
      tell(resource, s, until);
      s.refusedUntil = Math.max(s.refusedUntil ?? 0, until);
      waited += until - Date.now();
    },
    waitedMs: () => waited,
  };
}

function num(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
