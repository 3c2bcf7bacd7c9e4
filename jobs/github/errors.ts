import { AppError } from '../../server/errors.ts';
import { redactSecrets } from '../../server/logger.ts';

// GitHub failures turned into messages a user can act on.

export const TOKEN_HELP =
  'GitHub rejected the token (401). Make a token at https://github.com/settings/tokens — a classic token needs the `read:org` scope (and `repo` for private repositories); a fine-grained token needs read access to Pull requests, Contents and Members of the organisation.';

export function orgNotFound(org: string): AppError {
  return new AppError('github_not_found', `The organisation "${org}" was not found, or this token cannot see it. Check the name, and that the token's owner (or the GitHub App) has access to it.`);
}

export const APP_KEY_HELP =
  "GitHub rejected the GitHub App's credentials (401). Check the App ID, and that the private key is one of this app's keys (the app's settings on GitHub, Private keys): a deleted key, or a key of another app, is refused.";

/** @octokit/auth-app's exchange of the app's JWT for an installation token. */
const APP_TOKEN_URL = /\/app\/installations\/[^/?]+\/access_tokens(?:\?|$)/;

/**
 * A request that got no answer at all (refused, no such host, silence) from an API that has not
 * answered this client yet: the URL, the network or a proxy is wrong, and retries would only
 * make the user wait for the same news. The message says what to check.
 */
export class NoAnswerError extends Error {
  constructor(apiUrl: string, why: string) {
    super(`GitHub's API at ${apiUrl} cannot be reached (${why}). Check the API URL, this machine's network (VPN, DNS), and any proxy or firewall between them.`);
    this.name = 'NoAnswerError';
  }
}

// Errors a job gives up on at once; the next sync runs the job again.
const noRetryErrors = new WeakSet<object>();

/** Marks `err` so the job that throws it stops retrying now (see isPermanent). */
export function noRetry<E extends object>(err: E): E {
  noRetryErrors.add(err);
  return err;
}

/** Maps an Octokit error to an AppError; unknown failures are "GitHub unreachable" after the retries. */
export function githubError(err: unknown, apiUrl: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof NoAnswerError) return noRetry(new AppError('github_unreachable', err.message, { cause: err }));
  const status = (err as { status?: number }).status;
  const message = redactSecrets(err instanceof Error ? err.message : String(err));
  if (status === 401) {
    const asApp = APP_TOKEN_URL.test((err as { request?: { url?: string } }).request?.url ?? '');
    return new AppError('github_unauthorized', asApp ? `${APP_KEY_HELP} GitHub said: ${message}` : TOKEN_HELP, { cause: err });
  }
  if (status === 403) return new AppError('forbidden', `GitHub refused the request (403): ${message}. The token may lack a scope, or a rate limit was hit.`, { cause: err });
  if (status === 404) return new AppError('github_not_found', `GitHub answered 404: ${message}.`, { cause: err });
  if (status === undefined || status >= 500) return new AppError('github_unreachable', `GitHub at ${apiUrl} could not be reached after several tries (${message}). Check the network and the API URL.`, { cause: err });
  return new AppError('bad_request', `GitHub answered ${status}: ${message}.`, { cause: err });
}

/** Errors that retrying cannot fix: the job gives up at once. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof NoAnswerError || (typeof err === 'object' && err !== null && noRetryErrors.has(err))) return true;
  return err instanceof AppError && (err.code === 'github_unauthorized' || err.code === 'github_not_found' || err.code === 'invalid_config');
}
