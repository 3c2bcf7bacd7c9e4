import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { WEBHOOK_PATH } from './access.ts';

/** Largest request body any route accepts; settings and logins are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** GitHub caps a webhook payload at 25 MB (it does not send larger ones); that path alone takes that much. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** 413 in the error shape for bodies over MAX_BODY_BYTES (MAX_WEBHOOK_BYTES for webhooks), whether announced or streamed. */
export function limits(): MiddlewareHandler<AppEnv> {
  const global = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `The request body is over ${MAX_BODY_BYTES / 1024} KiB; send less.`), 413),
  });
  const webhook = bodyLimit({
    maxSize: MAX_WEBHOOK_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `The delivery is over GitHub's ${MAX_WEBHOOK_BYTES / 1024 / 1024} MB; nothing was stored.`), 413),
  });
  return (c, next) => (c.req.path === WEBHOOK_PATH ? webhook(c, next) : global(c, next));
}
