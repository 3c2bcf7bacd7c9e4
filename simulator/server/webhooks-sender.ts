// Sends the org's webhook deliveries to every configured hook the way GitHub does: signed with
// the hook's secret, one attempt each (GitHub does not retry on its own), in order, each bounded
// by a timeout, and each attempt recorded so tests and the bench can count and time them.
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { createRng, hash32 } from '../generate/random.ts';
import type { WebhookEvent } from './webhooks-changes.ts';
import { pingEvent, type HookInfo } from './webhooks-payloads.ts';
import type { SimState } from './state.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** The events the simulator announces; a hook's ping lists them. */
export const WEBHOOK_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'push', 'membership', 'team'];

const MAX_RECORDS = 10_000;

/** GitHub waits 10 s for a hook to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface DeliveryRecord {
  id: string;
  hookId: number;
  event: string;
  action: string | null;
  repo: string | null;
  number: number | null;
  /** HTTP status of the answer; null when none came (refused, timed out) or the delivery was dropped. */
  status: number | null;
  ms: number;
  /** Not sent on purpose (`drop` share or paused), so a receiver misses it. */
  dropped: boolean;
  error: string | null;
}

interface Hook extends HookInfo {
  /** Basic credentials given in the URL (GitHub sends them so); `url` itself is without them. */
  authorization: string | null;
  webhooks: Webhooks;
  sent: number;
}

export interface WebhookSenderOptions {
  seed: number;
  timeoutMs?: number;
  /** Share of deliveries (0..1) not sent, picked from the seed so a run repeats. */
  drop?: number;
}

/** Refuses what GitHub would refuse, with what to do instead; the secret itself is never quoted. */
export function checkWebhookTarget(t: { url?: unknown; secret?: unknown }, names = { url: '--webhook', secret: '--webhook-secret' }): WebhookTarget {
  let url: URL | null = null;
  try {
    url = typeof t.url === 'string' ? new URL(t.url) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${names.url} must be an http(s) URL such as http://127.0.0.1:3000/api/webhooks/github`);
  }
  if (typeof t.secret !== 'string' || t.secret.length < 16) {
    throw new Error(`${names.secret} must be at least 16 characters (e.g. the output of \`openssl rand -hex 32\`), the same secret the receiver checks`);
  }
  return { url: url.href, secret: t.secret };
}

export function checkDropShare(drop: unknown, name = '--drop-webhooks'): number {
  if (typeof drop !== 'number' || !(drop >= 0 && drop <= 1)) throw new Error(`${name} must be a share between 0 and 1, e.g. 0.5`);
  return drop;
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

export function createWebhookSender(state: SimState, opts: WebhookSenderOptions) {
  const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let drop = opts.drop ?? 0;
  let paused = false;
  const hooks: Hook[] = [];
  const records: DeliveryRecord[] = [];
  const closing = new AbortController();
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;

  const deliver = async (hook: Hook, e: Omit<WebhookEvent, 'at'>): Promise<void> => {
    const rec: DeliveryRecord = { id: randomUUID(), hookId: hook.id, event: e.event, action: e.action, repo: e.repo, number: e.number, status: null, ms: 0, dropped: false, error: null };
    records.push(rec);
    // A demo evolving on a timer runs for days; the newest attempts are the ones worth listing.
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
    const seq = hook.sent++;
    // FNV alone barely mixes labels that differ in one digit; the PRNG's first draw does.
    if (e.event !== 'ping' && (paused || createRng(hash32(`${opts.seed}:${hook.id}:${seq}`)).next() < drop)) {
      rec.dropped = true;
      return;
    }
    if (closing.signal.aborted) {
      rec.error = 'the simulator closed before sending';
      return;
    }
    const body = JSON.stringify(e.payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/guidepost-sim',
      'x-github-event': e.event,
      'x-github-delivery': rec.id,
      'x-github-hook-id': String(hook.id),
      'x-github-hook-installation-target-type': 'organization',
      'x-github-hook-installation-target-id': String(state.index.org.org.id),
      'x-hub-signature-256': await hook.webhooks.sign(body),
      ...(hook.authorization === null ? {} : { authorization: hook.authorization }),
    };
    const started = performance.now();
    try {
      const res = await fetch(hook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]) });
      rec.status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      rec.error = describe(err, timeoutMs);
    }
    rec.ms = Math.round((performance.now() - started) * 10) / 10;
  };

  // Every delivery goes through one chain, so they leave in order and never overlap.
  const enqueue = (hook: Hook, e: Omit<WebhookEvent, 'at'>) => {
    pending += 1;
    tail = tail.then(() => deliver(hook, e)).catch(() => undefined).finally(() => {
      pending -= 1;
    });
  };

  return {
    /** Adds a hook and pings it, as GitHub does when a hook is created. */
    addHook(t: WebhookTarget): HookInfo {
      // fetch refuses a URL holding credentials: they travel as a header, and are never listed.
      const url = new URL(t.url);
      const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      const authorization = url.username === '' && url.password === '' ? null : `Basic ${Buffer.from(user).toString('base64')}`;
      url.username = '';
      url.password = '';
      const hook: Hook = { id: 400_000_000 + (opts.seed % 1000) * 1000 + hooks.length + 1, url: url.href, authorization, createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), webhooks: new Webhooks({ secret: t.secret }), sent: 0 };
      hooks.push(hook);
      enqueue(hook, { event: 'ping', action: null, repo: null, number: null, payload: pingEvent(state, hook, WEBHOOK_EVENTS) });
      return { id: hook.id, url: hook.url, createdAt: hook.createdAt };
    },
    hasHooks: () => hooks.length > 0,
    /** Queues each event for every hook, in the order given. */
    send(events: WebhookEvent[]): void {
      for (const e of events) for (const hook of hooks) enqueue(hook, e);
    },
    setPaused(p: boolean): void {
      paused = p;
    },
    setDrop(share: number): void {
      drop = share;
    },
    /** What GET /_sim/webhooks answers: hooks without their secrets, and every attempt so far. */
    describe() {
      return { hooks: hooks.map((h) => ({ id: h.id, url: h.url, createdAt: h.createdAt })), paused, drop, pending, deliveries: records.map((r) => ({ ...r })) };
    },
    /** Resolves once every queued delivery has been attempted. */
    async idle(): Promise<void> {
      while (pending > 0) await tail;
    },
    /** Aborts what is in flight; what is still queued is recorded as not sent. */
    async close(): Promise<void> {
      closing.abort();
      await tail;
    },
  };
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (e.name === 'AbortError') return 'aborted: the simulator closed';
  return `could not reach the hook${e.cause?.code ? ` (${e.cause.code})` : ''}`;
}
