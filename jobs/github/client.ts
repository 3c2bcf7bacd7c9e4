import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { createAppAuth } from '@octokit/auth-app';
import type { Logger } from '../../server/logger.ts';
import { redactSecrets } from '../../server/logger.ts';
import { createBudget, type Budget, type BudgetSnapshot, type BudgetWait } from './budget.ts';
import { NoAnswerError } from './errors.ts';

export type GithubAuth = { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string; installationId: string };

export interface GithubClientOptions {
  baseUrl: string;
  auth: GithubAuth;
  logger: Logger;
  /** Requests in flight at once; GitHub's secondary limit punishes many concurrent requests. */
  concurrency?: number;
  /** Retries of 5xx / dropped connections / secondary limits before a request fails. */
  retries?: number;
  /** Unit of the retry backoff (plugin-retry waits base·(n+1)² for the n-th retry). */
  retryBaseMs?: number;
  /**
   * Until the first answer of this API: a request that gets none in this time (or is refused,
   * or names no host) fails at once, without retries. Default 6 s.
   */
  connectTimeoutMs?: number;
  /** Once the API has answered: time to an answer's headers, and the longest silence inside its body. Default 60 s. */
  readTimeoutMs?: number;
  /**
   * Hears of each wait for a spent rate limit to reset, once, as it starts: our own wait before
   * a request the budget cannot pay for, or the retry-after of a request GitHub refused for it.
   */
  onWait?: (wait: BudgetWait) => void;
}

export interface RestResult<T> {
  status: number;
  data: T;
  /** The body as GitHub sent it (null for a 304). */
  text: string | null;
  url: string;
  etag: string | null;
  link: string | null;
}

export interface GraphqlResult<T> {
  data: T | null;
  errors: { type?: string; message: string; path?: (string | number)[] }[];
  url: string;
  /** The parsed body. */
  body: unknown;
  /** The body as GitHub sent it, for raw_responses. */
  text: string;
}

export interface GithubClient {
  readonly baseUrl: string;
  /** GET a REST route. `etag` makes it conditional: a 304 answer comes back as status 304 with no data. */
  get<T>(route: string, params?: Record<string, unknown>, opts?: { etag?: string | null }): Promise<RestResult<T>>;
  /** POST a GraphQL query; `cost` is the expected point cost, held against the budget while in flight. */
  graphql<T>(query: string, variables: Record<string, unknown>, opts?: { cost?: number }): Promise<GraphqlResult<T>>;
  budget(): BudgetSnapshot[];
  /** Resources whose requests wait now for a spent limit to reset, and until when. */
  waiting(): BudgetWait[];
  /**
   * The credential git uses over HTTPS: the token itself, or for a GitHub App an installation
   * access token. Never log it, never put it in a URL or an error.
   */
  gitToken(): Promise<string>;
  /** Requests sent that the server charged for (304s are free); slotMs: time request slots were busy. */
  stats(): { requests: number; notModified: number; graphqlPoints: number; waitedMs: number; slotMs: number };
}

interface GateOptions {
  gate: {
    budget: Budget;
    limit: <T>(fn: () => Promise<T>, first?: boolean) => Promise<T>;
    onCharge: (graphql: boolean, status: number) => void;
    /** Any HTTP answer arrived (success or error status). */
    onAnswer: () => void;
    /** The error to throw when a request got no answer from an API that never answered yet; null otherwise. */
    unreachable: (err: unknown) => NoAnswerError | null;
  };
}

/**
 * Innermost request hook (a plugin registered before throttling and retry, so every retry goes
 * through it again): holds a concurrency slot and the budget for one attempt, reads the
 * rate-limit headers of the answer, and turns dropped connections into retryable 500s, except
 * where the API has never answered: that fails at once, with what to check.
 */
function gatePlugin(octokit: InstanceType<typeof Octokit>, options: any) {
  const { gate } = options as GateOptions;
  if (!gate) return {};
  octokit.hook.wrap('request', async (request, opts) => {
    const path = new URL(opts.url, 'http://x').pathname;
    // @octokit/auth-app trades the app's JWT for an installation token from inside the request
    // that needs it, through this same hook: that nested call must not wait for the slot and the
    // budget its caller already holds (GitHub does not charge it to the installation either).
    if (/\/app\/installations\/[^/]+\/access_tokens$/.test(path)) {
      const res = await request(opts);
      gate.onAnswer();
      await parseBody(res);
      return res;
    }
    const isGraphql = path.endsWith('/graphql');
    const resource = isGraphql ? 'graphql' : 'core';
    const cost = isGraphql ? Number((opts.request as { cost?: number } | undefined)?.cost ?? 1) : 1;
    // The budget is held before a slot is taken: a call waiting for its budget (a reset, or the
    // first answer of a resource not yet known) leaves the slots to the other resource.
    await gate.budget.reserve(resource, cost);
    // GraphQL calls go first: a PR page's answer holds the cursor of its repo's next page, so
    // each repo's pages form a chain, while REST list pages (review comments) fan out. Serving
    // the chains first keeps a big repo from finishing last with a single request in flight.
    try {
      return await gate.limit(async () => {
        try {
          // Success bodies arrive unparsed (parseSuccessResponseBody: false): Octokit's BigInt-safe
          // parser costs more CPU than the whole extraction, and GitHub's ids fit in doubles.
          const res = await request(opts);
          gate.onAnswer();
          await parseBody(res);
          gate.budget.observeHeaders(resource, res.headers as Record<string, unknown>);
          gate.onCharge(isGraphql, res.status);
          return res;
        } catch (err) {
          const response = (err as { response?: { headers?: Record<string, unknown>; status?: number } }).response;
          if (response?.headers) gate.budget.observeHeaders(resource, response.headers);
          if (response?.status) {
            gate.onAnswer();
            gate.onCharge(isGraphql, response.status);
          }
          // No status: plugin-retry leaves it alone, and the job gives up (isPermanent).
          const unreachable = response ? null : gate.unreachable(err);
          if (unreachable) throw unreachable;
          if (typeof (err as { status?: unknown }).status === 'number') throw err;
          // A connection reset while reading the body is no HTTP error; shape it as a 500 so plugin-retry retries it.
          throw Object.assign(new Error(redactSecrets(err instanceof Error ? err.message : String(err))), { name: 'HttpError', status: 500, request: opts });
        }
      }, isGraphql);
    } finally {
      gate.budget.release(resource, cost);
    }
  });
  return {};
}

/** Reads a streamed success body: JSON parsed natively, its text kept (non-enumerable) for raw_responses. */
async function parseBody(res: { data: unknown; headers: Record<string, unknown> }): Promise<void> {
  const stream = res.data;
  if (!(stream instanceof ReadableStream)) return;
  const text = await new Response(stream).text();
  const json = /json/i.test(String(res.headers['content-type'] ?? ''));
  res.data = json && text !== '' ? JSON.parse(text) : text;
  Object.defineProperty(res, 'text', { value: text, enumerable: false });
}

const GithubOctokit = Octokit.plugin(gatePlugin as never, throttling, retry);

/** Our own time limits, as the reason a request was aborted. */
class TimeLimitError extends Error {
  override name = 'TimeLimitError';
}

/**
 * fetch with two limits (Node's own fetch waits 300 s for headers, and as long between body chunks): `answerMs()`
 * until the headers arrive, which covers connect, TLS, a proxy and the server's work; then
 * `readMs` of silence at most while the body streams, so a long page that keeps coming is fine.
 */
function fetchWithTimeouts(answerMs: () => number, readMs: number) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const ac = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal, ac.signal]) : ac.signal;
    const limit = answerMs();
    const timer = setTimeout(() => ac.abort(new TimeLimitError(`nothing answered within ${seconds(limit)}`)), limit);
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal });
    } finally {
      clearTimeout(timer);
    }
    if (!res.body) return res;
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Aborting the request's signal errors the body stream, so the pending read rejects.
        const idle = setTimeout(() => ac.abort(new TimeLimitError(`the answer stalled for ${seconds(readMs)}`)), readMs);
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (err) {
          controller.error(err);
        } finally {
          clearTimeout(idle);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const timed = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    Object.defineProperty(timed, 'url', { value: res.url }); // a constructed Response has none
    return timed;
  };
}

// Failures that mean nothing answers at that address, as Node's fetch reports them in `cause`.
const NO_ANSWER: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'no connection in time',
};

/** Why a request got no answer at all, or null for failures a retry may fix (a reset, a cut body). */
function noAnswerReason(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    if (e instanceof TimeLimitError) return e.message;
    const x = e as { code?: unknown; errors?: { code?: unknown }[]; cause?: unknown };
    const code = x.code ?? x.errors?.[0]?.code; // several addresses tried: an AggregateError
    if (typeof code === 'string' && NO_ANSWER[code]) return NO_ANSWER[code];
    e = x.cause;
  }
  return null;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * At most `max` calls at once, first come first served except that `first` calls overtake the
 * others waiting; `heldMs` sums the time slots were held.
 */
function limiter(max: number) {
  let active = 0;
  let held = 0;
  const firstQueue: (() => void)[] = [];
  const queue: (() => void)[] = [];
  const limit = async <T>(fn: () => Promise<T>, first = false): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => (first ? firstQueue : queue).push(resolve));
    else active++;
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      held += performance.now() - t0;
      const next = firstQueue.shift() ?? queue.shift();
      if (next) next();
      else active--;
    }
  };
  return Object.assign(limit, { heldMs: () => held });
}

export function createGithubClient(o: GithubClientOptions): GithubClient {
  const log = o.logger;
  const counts = { requests: 0, notModified: 0, graphqlPoints: 0 };
  const budget = createBudget({
    onWait: (wait) => {
      log.info({ resource: wait.resource, waitMs: Math.round(wait.until - Date.now()) }, 'GitHub budget used up; waiting for its reset');
      o.onWait?.(wait);
    },
  });
  const connectTimeoutMs = o.connectTimeoutMs ?? 6_000;
  const readTimeoutMs = o.readTimeoutMs ?? 60_000;
  // Until the API first answers, a request with no answer means a wrong URL, no network or a
  // proxy in the way: said at once rather than after minutes of retries. Afterwards the same
  // failure is a blip of an API known to be there, and is retried.
  let answered = false;
  const maxRetries = o.retries ?? 4;
  const baseUrl = o.baseUrl.replace(/\/+$/, '');
  const slots = limiter(Math.max(1, o.concurrency ?? 4));
  const octokit = new GithubOctokit({
    baseUrl,
    userAgent: 'guidepost',
    ...(o.auth.kind === 'token'
      ? { auth: o.auth.token }
      : { authStrategy: createAppAuth, auth: { appId: o.auth.appId, privateKey: o.auth.privateKey, installationId: o.auth.installationId } }),
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => log.warn(redactSecrets(String(m))),
      // Octokit logs every failed request here; the sync reports failures itself, with advice.
      error: (m: string) => log.debug(redactSecrets(String(m))),
    },
    request: {
      parseSuccessResponseBody: false,
      fetch: fetchWithTimeouts(() => (answered ? readTimeoutMs : connectTimeoutMs), readTimeoutMs),
    },
    retry: { retries: maxRetries, retryAfterBaseValue: o.retryBaseMs ?? 1000 },
    throttle: {
      // plugin-throttling queues GraphQL like writes (one a second); our gate does the pacing instead.
      write: passThrough,
      global: passThrough,
      onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log.warn({ retryAfter, url: options.url, retryCount }, 'GitHub primary rate limit answered; retrying after its reset');
        const retrying = retryCount < maxRetries;
        if (retrying) budget.observeRefusal(new URL(options.url, 'http://x').pathname.endsWith('/graphql') ? 'graphql' : 'core', retryAfter);
        return retrying;
      },
      onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
        log.warn({ retryAfter, url: options.url, retryCount }, 'GitHub secondary rate limit; retrying after retry-after');
        return retryCount < maxRetries + 2;
      },
    },
    gate: {
      budget,
      limit: slots,
      onCharge: (graphql: boolean, status: number) => {
        if (status === 304) counts.notModified++;
        else if (!graphql) counts.requests++;
      },
      onAnswer: () => (answered = true),
      unreachable: (err: unknown) => {
        const why = answered ? null : noAnswerReason(err);
        return why === null ? null : new NoAnswerError(baseUrl, why);
      },
    },
  } as ConstructorParameters<typeof GithubOctokit>[0]);

  return {
    baseUrl,
    async get<T>(route: string, params: Record<string, unknown> = {}, opts: { etag?: string | null } = {}) {
      try {
        const res = await octokit.request(`GET ${route}`, { ...params, headers: opts.etag ? { 'if-none-match': opts.etag } : {} });
        const h = res.headers as Record<string, string | undefined>;
        return { status: res.status, data: res.data as T, text: (res as { text?: string }).text ?? null, url: res.url, etag: h.etag ?? null, link: h.link ?? null };
      } catch (err) {
        const e = err as { status?: number; response?: { headers?: Record<string, string | undefined> }; request?: { url?: string } };
        if (e.status === 304) {
          const h = e.response?.headers ?? {};
          return { status: 304, data: undefined as T, text: null, url: e.request?.url ?? route, etag: h.etag ?? opts.etag ?? null, link: h.link ?? null };
        }
        throw err;
      }
    },
    async graphql<T>(query: string, variables: Record<string, unknown>, opts: { cost?: number } = {}) {
      // A string body skips Octokit's BigInt-aware serialiser too.
      const res = await octokit.request('POST /graphql', { data: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json; charset=utf-8' }, request: { cost: opts.cost ?? 1 } } as never);
      const body = res.data as { data?: T | null; errors?: GraphqlResult<T>['errors'] };
      const text = (res as { text?: string }).text;
      const rl = (body.data as { rateLimit?: { cost?: number; limit?: number; remaining?: number; resetAt?: string } } | null | undefined)?.rateLimit;
      budget.observeGraphql(rl);
      counts.graphqlPoints += rl?.cost ?? opts.cost ?? 1;
      return { data: body.data ?? null, errors: body.errors ?? [], url: res.url, body, text: text ?? JSON.stringify(body) };
    },
    budget: () => budget.snapshot(),
    waiting: () => budget.waiting(),
    async gitToken() {
      if (o.auth.kind === 'token') return o.auth.token;
      // @octokit/auth-app hands out the installation token its request hook uses: one exchange per
      // hour shared with the API calls, refreshed before it expires. The exchange goes through
      // octokit.request, where gatePlugin lets it pass without a slot or budget.
      const auth = (await octokit.auth({ type: 'installation' })) as { token: string };
      return auth.token;
    },
    stats: () => ({ ...counts, waitedMs: budget.waitedMs(), slotMs: slots.heldMs() }),
  };
}

// Stands in for a Bottleneck group: runs the job at once.
const passThrough = {
  key: () => ({ schedule: (_opts: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(fn(...args)) }),
};
