import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import type { Db } from '../../server/db/connect.ts';
import type { GithubClient } from './client.ts';
import type { RawRow } from './org.extract.ts';
import { serializeTransactions } from '../../server/db/dialect.ts';

// Collectors write every answer verbatim to raw_responses; extractors read only from there.
// Bodies are stored gzip-compressed (GitHub's JSON shrinks about tenfold), which keeps the
// database small and a sync's writes cheap; rows stored as text by older versions still read.

const gzipAsync = promisify(gzip);

/** A body compressed ahead of storing it, off the main thread (the answer's bytes, unchanged). */
export async function packBody(text: string): Promise<Buffer> {
  return gzipAsync(text, { level: 1 });
}

/** The stored body as GitHub sent it. */
export function rawBodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : gunzipSync(body).toString('utf8');
}

export interface RawInput {
  source: 'rest' | 'graphql' | 'webhook';
  kind: string;
  scope: string;
  url: string;
  request: unknown;
  status: number;
  etag?: string | null;
  /** Text or a parsed body (stored compressed), or a body packBody already compressed. */
  body: unknown;
}

export async function storeRaw(db: Db, r: RawInput): Promise<number> {
  const row = await db
    .insertInto('raw_responses')
    .values({
      source: r.source,
      kind: r.kind,
      scope: r.scope,
      url: r.url,
      request: r.request === undefined ? null : JSON.stringify(r.request),
      status: r.status,
      etag: r.etag ?? null,
      body: Buffer.isBuffer(r.body) ? r.body : gzipSync(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), { level: 1 }),
      fetched_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What a REST page fetch produced: the raw row (new, or the stored one a 304 confirmed) and the next page's URL. */
export interface RestPage {
  rawId: number;
  /** False when GitHub answered 304: the stored payload is still current and already extracted. */
  changed: boolean;
  next: string | null;
}

/**
 * GETs one REST page conditionally (If-None-Match with the ETag of the last stored answer for
 * the same URL; a 304 is free) and stores a changed answer. Returns the next page from Link.
 */
export async function collectRestPage(
  db: Db,
  gh: GithubClient,
  o: { kind: string; scope: string; route: string; params?: Record<string, unknown> },
  /** Runs in the transaction that stores the answer, so a crash never keeps an answer it did not extract. */
  onStored?: (trx: Db, raw: RawRow) => Promise<void>,
): Promise<RestPage> {
  const url = restUrl(gh.baseUrl, o.route, o.params);
  const prev = await db
    .selectFrom('raw_responses')
    .select(['id', 'etag', 'request'])
    .where('scope', '=', o.scope)
    .where('kind', '=', o.kind)
    .where('url', '=', url)
    .where('status', '=', 200)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const res = await gh.get<unknown>(o.route, o.params ?? {}, { etag: prev?.etag ?? null });
  if (res.status === 304 && prev) {
    const link = (JSON.parse(prev.request ?? '{}') as { link?: string | null }).link ?? null;
    return { rawId: prev.id, changed: false, next: nextLink(link) };
  }
  const request = { params: o.params ?? {}, link: res.link };
  const text = res.text ?? JSON.stringify(res.data);
  const rawId = await db.transaction().execute(async (trx) => {
    await serializeTransactions(trx);
    const id = await storeRaw(trx, { source: 'rest', kind: o.kind, scope: o.scope, url, request, status: res.status, etag: res.etag, body: text });
    await onStored?.(trx, { id, kind: o.kind, scope: o.scope, url, request: JSON.stringify(request), body: text, parsed: res.data });
    return id;
  });
  return { rawId, changed: true, next: nextLink(res.link) };
}

/** A stable URL for a route and its params (what raw_responses.url holds). */
export function restUrl(baseUrl: string, route: string, params: Record<string, unknown> = {}): string {
  const rest: Record<string, string> = {};
  const path = route.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(params[k])));
  for (const [k, v] of Object.entries(params)) if (!route.includes(`{${k}}`) && v !== undefined) rest[k] = String(v);
  const qs = new URLSearchParams(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))).toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

/** The URL of one relation of a Link header. */
function linkOf(link: string | null | undefined, rel: string): string | null {
  if (!link) return null;
  const m = link.split(',').map((part) => part.match(/<([^>]+)>\s*;\s*rel="([^"]+)"/)).find((x) => x?.[2] === rel);
  return m?.[1] ?? null;
}

/** The rel="next" URL of a Link header. */
export function nextLink(link: string | null | undefined): string | null {
  return linkOf(link, 'next');
}

/** The page number of a Link relation (GitHub's `rel="last"` says how many pages a list has). */
export function pageOfLink(link: string | null | undefined, rel: string): number | null {
  const url = linkOf(link, rel);
  const page = url ? Number(new URL(url).searchParams.get('page')) : NaN;
  return Number.isInteger(page) && page > 0 ? page : null;
}
