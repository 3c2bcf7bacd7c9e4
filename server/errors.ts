import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The closed set of error codes Guidepost answers with. Add a code here and to statusOf. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'invalid_config'
  | 'github_unauthorized'
  | 'github_not_found'
  | 'github_unreachable'
  | 'internal';

/** One error type for the whole product; its message is safe to show a user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'bad_request':
    case 'invalid_config':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'github_unauthorized':
    case 'github_not_found':
      return 422;
    case 'github_unreachable':
      return 502;
    case 'internal':
      return 500;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}
