import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { WebhookOutcome } from '../../server/db/webhook.tables.ts';
import type { Logger } from '../../server/logger.ts';
import { AppError } from '../../server/errors.ts';
import { isConstraintViolation, serializeTransactions } from '../../server/db/dialect.ts';
import { extractContext } from './extract.ts';
import { refreshPeopleSeen } from './people.extract.ts';
import { storeRaw } from './raw.collect.ts';
import { isWebhookEvent, WEBHOOK_EXTRACTORS, webhookKind } from './webhook.extract.ts';

// One signed delivery: de-duplicated on its id, checked against what Guidepost syncs, stored raw
// and applied through the extractors in one transaction (all of it or nothing), and recorded in
// webhook_deliveries with its outcome. The signature and JSON are checked before (the route).

export interface Delivery {
  deliveryId: string;
  event: string;
  /** The body as GitHub sent and signed it. */
  body: string;
  payload: Record<string, unknown>;
}

export interface Received {
  status: 'applied' | 'duplicate' | 'ignored';
  delivery: string;
  /** Why it was ignored. */
  reason?: string;
  /** What the signals must catch up on: PR rows (an increment) or teams (a recompute). */
  changed?: 'pulls' | 'teams';
}

/** Thrown inside the transaction to undo it: the delivery is recorded as ignored instead. */
class NotApplied extends Error {}
/** Thrown inside the transaction when the same delivery was applied meanwhile (two at once). */
class Duplicate extends Error {}

export async function receiveDelivery(db: Db, logger: Logger, d: Delivery): Promise<Received> {
  const action = typeof d.payload.action === 'string' ? d.payload.action : null;
  const repo = stringAt(d.payload, 'repository', 'full_name');
  const org = stringAt(d.payload, 'organization', 'login') ?? (repo ? repo.split('/')[0]! : null);
  const record = async (trx: Db, outcome: WebhookOutcome, error: string | null, rawId: number | null) => {
    const row = { event: d.event, action, org, repo, received_at: new Date().toISOString(), outcome, error, raw_id: rawId };
    await trx.insertInto('webhook_deliveries').values({ delivery_id: d.deliveryId, ...row }).onConflict((oc) => oc.column('delivery_id').doUpdateSet(row)).execute();
  };
  const done = (r: Received) => {
    logger.info({ delivery: d.deliveryId, event: d.event, action, repo, status: r.status, reason: r.reason }, 'webhook delivery');
    return r;
  };
  const ignore = async (reason: string) => {
    await record(db, 'ignored', reason, null);
    return done({ status: 'ignored', delivery: d.deliveryId, reason });
  };

  // GitHub redelivers on timeouts and by hand; one that failed may be tried again.
  const seen = (q: Db) => q.selectFrom('webhook_deliveries').select('outcome').where('delivery_id', '=', d.deliveryId).where('outcome', '<>', 'failed').executeTakeFirst();
  if (await seen(db)) return done({ status: 'duplicate', delivery: d.deliveryId });
  if (!isWebhookEvent(d.event)) return ignore(`Guidepost does not take ${d.event} events.`);
  // Teams belong to the org, whichever repository the event also names.
  const orgWide = d.event === 'membership' || d.event === 'team';
  const scope = await syncedScope(db, orgWide ? null : repo, org);
  if (scope === null) return ignore(repo && !orgWide ? `${repo} is not a repository Guidepost syncs.` : `${org ?? 'This hook'} is not an organisation Guidepost syncs.`);
  // A ping carries nothing to store (its hook config is not kept), nor does a delivery that
  // names no repository or organisation (a GitHub App's ping): answered, recorded, no raw row.
  if (d.event === 'ping' || scope === '') {
    await record(db, 'applied', null, null);
    return done({ status: 'applied', delivery: d.deliveryId });
  }
  const kind = webhookKind(d.event);
  try {
    const repoId = await db.transaction().execute(async (trx) => {
      await serializeTransactions(trx);
      if (await seen(trx)) throw new Duplicate();
      const request = { delivery: d.deliveryId, event: d.event, action };
      const id = await storeRaw(trx, { source: 'webhook', kind, scope, url: `webhook:${d.deliveryId}`, request, status: 200, body: d.body });
      const extract = WEBHOOK_EXTRACTORS[kind];
      try {
        await extract?.(trx, { id, kind, scope, url: `webhook:${d.deliveryId}`, request: JSON.stringify(request), body: d.body, parsed: d.payload }, extractContext(trx, logger));
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') throw new NotApplied(err.message);
        throw err;
      }
      const repoId = scope.startsWith('repo:') ? (await trx.selectFrom('repos').select('id').where('full_name', '=', scope.slice(5)).executeTakeFirst())?.id : undefined;
      if (extract && repoId !== undefined) await refreshPeopleSeen(trx, { repoId });
      await record(trx, 'applied', null, id);
      return repoId;
    });
    const changed = !WEBHOOK_EXTRACTORS[kind] ? undefined : repoId !== undefined ? 'pulls' : 'teams';
    return done({ status: 'applied', delivery: d.deliveryId, ...(changed ? { changed } : {}) });
  } catch (err) {
    if (err instanceof Duplicate) return done({ status: 'duplicate', delivery: d.deliveryId });
    if (err instanceof NotApplied) return ignore(err.message);
    // Signed but not in GitHub's shape, or at odds with what is stored (another PR of that
    // number): recorded (a redelivery may try again), nothing else kept; the sync reconciles.
    const refusal = err instanceof AppError ? err : conflictOf(err);
    const message = refusal?.message ?? 'The delivery could not be applied; the details are in the server log.';
    await record(db, 'failed', message, null);
    if (!refusal) logger.error({ err, delivery: d.deliveryId, event: d.event }, 'could not apply a webhook delivery');
    throw refusal ?? new AppError('internal', message, { cause: err });
  }
}

/**
 * The raw scope a delivery is stored under when Guidepost syncs what it names: `repo:owner/name`
 * for a stored repository, `org:login` for a connected organisation (or one whose repositories
 * are stored), '' for a delivery that names neither (a GitHub App's ping); null otherwise.
 */
async function syncedScope(db: Db, repo: string | null, org: string | null): Promise<string | null> {
  if (repo) {
    const r = await db.selectFrom('repos').select('full_name').where(sql<string>`lower(full_name)`, '=', repo.toLowerCase()).executeTakeFirst();
    return r ? `repo:${r.full_name}` : null;
  }
  if (!org) return '';
  const lower = org.toLowerCase();
  const conn = await db.selectFrom('connections').select('org').where(sql<string>`lower(org)`, '=', lower).executeTakeFirst();
  const owner = conn ? undefined : await db.selectFrom('repos').select('owner').where(sql<string>`lower(owner)`, '=', lower).executeTakeFirst();
  const name = conn?.org ?? owner?.owner;
  return name ? `org:${name}` : null;
}

function conflictOf(err: unknown): AppError | undefined {
  if (!isConstraintViolation(err)) return undefined;
  return new AppError('conflict', 'The delivery contradicts what is stored (another pull request holds that number in the repository); nothing was applied, and the next sync reconciles it.');
}

function stringAt(o: Record<string, unknown>, key: string, field: string): string | null {
  const v = o[key];
  const s = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[field] : undefined;
  return typeof s === 'string' && s !== '' ? s : null;
}
