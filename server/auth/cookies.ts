import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';

export const SESSION_COOKIE = 'gp_session';
export const CSRF_COOKIE = 'gp_csrf';

/**
 * True when the browser reached us over HTTPS. X-Forwarded-Proto is believed only when the
 * operator said a proxy sits in front (GUIDEPOST_TRUST_PROXY), since any client can send it.
 */
export function isHttps(c: Context, config: Config): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!config.trustProxy) return false;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** The origin the browser sees, for comparing with the Origin header. */
export function publicOrigin(c: Context, config: Config): string {
  const url = new URL(c.req.url);
  const forwardedHost = config.trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return `${isHttps(c, config) ? 'https' : 'http'}://${forwardedHost || url.host}`;
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, config: Config, id: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c, config),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, config), httpOnly: true, sameSite: 'Strict' });
}

/** The double-submit token: readable by the dashboard's script (not HttpOnly), never sent cross-site. */
export function writeCsrfCookie(c: Context, config: Config, token: string): void {
  setCookie(c, CSRF_COOKIE, token, { httpOnly: false, sameSite: 'Strict', secure: isHttps(c, config), path: '/' });
}

export function readCsrfCookie(c: Context): string | undefined {
  return getCookie(c, CSRF_COOKIE);
}
