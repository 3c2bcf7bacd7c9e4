/** The token a request carries: `Authorization: Bearer|token T`, or Basic with the token as password (git). */
export function tokenOf(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  const s = scheme.toLowerCase();
  if (s === 'bearer' || s === 'token') return value;
  if (s === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return decoded;
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    // git sends user:token; some clients send token:x-oauth-basic.
    return pass && pass !== 'x-oauth-basic' ? pass : user;
  }
  return null;
}

/**
 * The token a git request carries. GitHub's git server takes Basic auth only (any user, the token
 * as password; actions/checkout sends user `x-access-token`) and answers a Bearer header as if
 * no credentials came.
 */
export function gitTokenOf(authorization: string | undefined): string | null {
  return authorization?.trim().toLowerCase().startsWith('basic ') ? tokenOf(authorization) : null;
}
