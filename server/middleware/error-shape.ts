import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../deps.ts';
import { errorBody, type ErrorCode } from '../errors.ts';

const CODES: Record<number, ErrorCode> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large', 429: 'rate_limited' };
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  bad_request: 'The request is not valid; check its parameters and body.',
  not_found: 'Nothing here.',
  payload_too_large: 'The request body is too large.',
};

function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1) return false;
  const e = (body as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { message?: unknown }).message === 'string';
}

/**
 * Last line of defence for /api: any error answer that is not `{error:{code,message}}` (a
 * library's default body, a validator dumping its result, a plain-text 500) is replaced by
 * one in that shape, so no internals or echoed input leave the server by accident.
 */
export function errorShape(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const status = c.res.status;
    if (status < 400 || !c.req.path.startsWith('/api')) return;
    let body: unknown;
    if ((c.res.headers.get('content-type') ?? '').includes('application/json')) body = await c.res.clone().json().catch(() => undefined);
    if (isErrorShape(body)) return;
    const code: ErrorCode = status >= 500 ? 'internal' : (CODES[status] ?? 'bad_request');
    const message = status >= 500 ? 'Something went wrong on the server. The details are in the server log.' : (MESSAGES[code] ?? 'The request was refused.');
    if (status >= 500) c.get('deps').logger.error({ path: c.req.path, status }, 'error answer replaced by the generic one');
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    c.res = new Response(JSON.stringify(errorBody(code, message)), { status: status as ContentfulStatusCode, headers });
  };
}
