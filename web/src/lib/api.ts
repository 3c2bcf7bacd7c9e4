// The one way the dashboard talks to the server: JSON in and out, the server's error shape
// turned into an ApiError whose message is shown to the user verbatim, and the CSRF header on
// every state-changing request (double-submit cookie: the server sets `gp_csrf`, we echo it).

export interface ErrorBody {
  error: { code: string; message: string };
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export type Query = Record<string, string | number | undefined | null>;

/** `/api` + path + the defined query parameters. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

let knownCsrf: string | undefined;
/** The token GET /api/auth/me hands out; the cookie is read when it is not known. */
export function setCsrfToken(token: string | undefined): void {
  knownCsrf = token;
}

/** The cookie is the truth (the server compares the header with it); /me's copy is the fallback. */
function csrfToken(): string | undefined {
  const m = document.cookie.match(/(?:^|;\s*)gp_csrf=([^;]+)/);
  return m?.[1] ? decodeURIComponent(m[1]) : knownCsrf;
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      signal: signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'unreachable', 'Cannot reach the Guidepost server. Is it still running?');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    if (isErrorBody(parsed)) throw new ApiError(res.status, parsed.error.code, parsed.error.message);
    throw new ApiError(res.status, 'http_' + res.status, `The server answered ${res.status} ${res.statusText}.`);
  }
  if (parsed === undefined && text) throw new ApiError(res.status, 'bad_response', 'The server sent something that is not JSON.');
  return parsed as T;
}

// GETs started by the boot code (lib/boot.ts) before the app's code has arrived. The first
// api.get of the same URL takes that answer instead of asking again; later reads go to the
// server. An answer nobody took within a few seconds is dropped rather than served stale.
const early = new Map<string, { at: number; answer: Promise<unknown> }>();
const EARLY_MS = 5_000;

function startEarly(url: string): Promise<unknown> {
  const found = early.get(url);
  if (found) return found.answer;
  const answer = request<unknown>('GET', url);
  answer.catch(() => undefined); // whoever takes it handles a failure; until then it is not "unhandled"
  early.set(url, { at: Date.now(), answer });
  return answer;
}

function takeEarly<T>(url: string): Promise<T> | undefined {
  const found = early.get(url);
  if (!found) return undefined;
  early.delete(url);
  return Date.now() - found.at < EARLY_MS ? (found.answer as Promise<T>) : undefined;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => {
    const url = apiUrl(path, query);
    return takeEarly<T>(url) ?? request<T>('GET', url, undefined, signal);
  },
  /** Starts a GET now for a reader that will ask for it soon (see `early` above). */
  early: <T>(path: string, query?: Query) => startEarly(apiUrl(path, query)) as Promise<T>,
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', apiUrl(path), body),
  put: <T>(path: string, body: unknown = {}) => request<T>('PUT', apiUrl(path), body),
  patch: <T>(path: string, body: unknown = {}) => request<T>('PATCH', apiUrl(path), body),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', apiUrl(path, query)),
};
