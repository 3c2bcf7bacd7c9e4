import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../deps.ts';
import { errorBody } from '../errors.ts';

/** Largest request body any route accepts; settings and logins are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** 413 in the error shape for bodies over MAX_BODY_BYTES, whether announced or streamed. */
export function limits(): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `The request body is over ${MAX_BODY_BYTES / 1024} KiB; send less.`), 413),
  });
}
