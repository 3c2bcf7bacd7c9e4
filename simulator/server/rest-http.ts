import { createHash } from 'node:crypto';
import type { Context } from 'hono';

// GitHub's own error bodies (current api.github.com adds a string "status").
export const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
export const BAD_CREDENTIALS = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' };
export const BAD_CREDENTIALS_GRAPHQL = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql', status: '401' };

export function notFound(c: Context): Response {
  return c.json(NOT_FOUND, 404);
}

export function validationFailed(c: Context, message: string): Response {
  return c.json({ message, documentation_url: 'https://docs.github.com/rest', status: '422' }, 422);
}

/** JSON with a weak ETag; a matching If-None-Match gets an empty 304 (which GitHub does not charge). */
export function jsonWithEtag(c: Context, data: unknown, extraHeaders: Record<string, string> = {}): Response {
  const body = JSON.stringify(data);
  const etag = `W/"${createHash('sha256').update(body).digest('hex')}"`;
  const headers: Record<string, string> = { etag, 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization, Cookie, X-GitHub-OTP', ...extraHeaders };
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === etag.slice(2))) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export interface Page<T> {
  items: T[];
  link: string | null;
}

/** Slices a list by `page`/`per_page` (GitHub: default 30, max 100) and builds its Link header. */
export function paginate<T>(c: Context, all: T[]): Page<T> {
  const url = new URL(c.req.url);
  const perRaw = Number(url.searchParams.get('per_page') ?? 30);
  const perPage = Number.isFinite(perRaw) && perRaw >= 1 ? Math.min(100, Math.floor(perRaw)) : 30;
  const pageRaw = Number(url.searchParams.get('page') ?? 1);
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? Math.floor(pageRaw) : 1;
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const at = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>`;
  };
  // Same order GitHub uses: prev, next, last, first; next/last only while pages remain.
  const rels: string[] = [];
  if (page > 1) rels.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) rels.push(`${at(1)}; rel="first"`);
  return { items, link: rels.length > 0 ? rels.join(', ') : null };
}

/** Paginates, maps and answers with ETag and Link. */
export function pagedJson<T>(c: Context, all: T[], map: (item: T) => unknown): Response {
  const { items, link } = paginate(c, all);
  return jsonWithEtag(c, items.map(map), link ? { link } : {});
}
