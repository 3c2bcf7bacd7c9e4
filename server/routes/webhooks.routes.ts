import { Hono } from 'hono';
import { Webhooks } from '@octokit/webhooks';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { WEBHOOK_PATH } from '../middleware/access.ts';
import { publicOrigin } from '../auth/cookies.ts';
import { WEBHOOK_EVENTS } from '../../jobs/github/webhook.extract.ts';
import type { Db } from '../db/connect.ts';
import type { WebhookDelivery } from '../db/webhook.tables.ts';
import { receiveDelivery } from '../../jobs/github/webhook.receive.ts';
import { enqueueDeriveSignals } from '../../jobs/derive.enqueue.ts';

// GitHub's webhook deliveries, and what the settings page shows of them. The POST is exempt
// from the login and CSRF checks (middleware/access.ts WEBHOOK_PATH): its signature is its
// authentication, checked here before anything else is read or stored.

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

/** A verifier per secret (the config is fixed for the process, tests bring their own). */
const verifiers = new Map<string, Webhooks>();
function verifierFor(secret: string): Webhooks {
  let v = verifiers.get(secret);
  if (!v) verifiers.set(secret, (v = new Webhooks({ secret })));
  return v;
}

/** The signature checked in constant time by @octokit/webhooks; a malformed one is simply wrong. */
async function signedBy(secret: string, body: string, signature: string | undefined): Promise<boolean> {
  if (!signature || body === '') return false;
  return verifierFor(secret)
    .verify(body, signature)
    .catch(() => false);
}

/** A delivery as the settings page lists it (no payload: it may name people). */
function deliveryJson(d: WebhookDelivery) {
  return { deliveryId: d.delivery_id, receivedAt: d.received_at, event: d.event, action: d.action, repo: d.repo, org: d.org, outcome: d.outcome, error: d.error };
}

async function recentDeliveries(db: Db, limit = 30) {
  const rows = await db.selectFrom('webhook_deliveries').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(deliveryJson);
}

export function webhooksRoutes() {
  return new Hono<AppEnv>()
    .post('/github', async (c) => {
      const deps = c.get('deps');
      const secret = deps.config.webhookSecret;
      if (!secret) throw new AppError('not_found', 'Webhooks are off on this server: set GUIDEPOST_WEBHOOK_SECRET (16 characters or more, the secret you give GitHub) and restart Guidepost.');
      const body = await c.req.text();
      if (!(await signedBy(secret, body, c.req.header('x-hub-signature-256')))) {
        throw new AppError('unauthorized', 'The delivery is unsigned or its X-Hub-Signature-256 does not match: give GitHub the same secret as GUIDEPOST_WEBHOOK_SECRET. Nothing was stored.');
      }
      const deliveryId = c.req.header('x-github-delivery') ?? '';
      const event = c.req.header('x-github-event') ?? '';
      if (!DELIVERY_ID.test(deliveryId) || !EVENT_NAME.test(event)) throw new AppError('bad_request', 'A delivery needs the X-GitHub-Delivery and X-GitHub-Event headers GitHub sends. Nothing was stored.');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        throw new AppError('bad_request', 'The delivery is not JSON: set the webhook’s content type to application/json on GitHub. Nothing was stored.');
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new AppError('bad_request', 'The delivery is not a JSON object as GitHub sends. Nothing was stored.');
      const { changed, ...result } = await receiveDelivery(deps.db, deps.logger, { deliveryId, event, body, payload: payload as Record<string, unknown> });
      // PR rows: the derive catches up on them at once (here, or as a job for the workers). Teams,
      // or no background jobs wired: the full recompute is queued for whichever runner runs.
      if (changed === 'pulls' && deps.sync) await deps.sync.dataChanged();
      else if (changed) await enqueueDeriveSignals(deps.db);
      return c.json(result, result.status === 'ignored' ? 202 : 200);
    })
    .get('/deliveries', async (c) => {
      const { db, config } = c.get('deps');
      return c.json({
        url: `${publicOrigin(c, config)}${WEBHOOK_PATH}`,
        secretConfigured: config.webhookSecret !== undefined,
        events: [...WEBHOOK_EVENTS],
        deliveries: await recentDeliveries(db),
      });
    });
}
