import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, AppDeps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { validate } from '../middleware/validate.ts';
import { derivedScope, knownOrgs, setShownOrg, shownOrg } from '../signals/scope.ts';
import { connectionView, saveConnection, validateConnection } from '../../jobs/github/connect.ts';
import { deleteOrgData } from '../../jobs/github/org.delete.ts';
import { orgJobKeyPatterns, SYNC_ORG, syncOrgJobKey } from '../../jobs/github/sync.ts';
import { connectionAuth } from '../../jobs/background-jobs.ts';
import { enqueueDeriveSignals } from '../../jobs/derive.enqueue.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { GithubAuth } from '../../jobs/github/client.ts';
import { likeOp } from '../../server/db/dialect.ts';

const Org = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'must be a GitHub organisation login, e.g. acme');
const ApiUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional();
/** What becomes of the demo's data when a real org is connected: kept (switch back any time) or deleted. */
const DemoData = z.enum(['keep', 'delete']).optional();
const TokenBody = z.object({ org: Org, apiUrl: ApiUrl, token: z.string().trim().min(8, 'is too short to be a GitHub token').max(512), demoData: DemoData });
const AppBody = z.object({ org: Org, apiUrl: ApiUrl, appId: z.coerce.string().min(1), privateKey: z.string().min(32).max(20_000), installationId: z.coerce.string().min(1), demoData: DemoData });
const Body = z.union([TokenBody, AppBody]);
const ShownBody = z.object({ org: Org });
const DataQuery = z.object({ data: z.enum(['keep', 'delete']).default('keep') });

/**
 * Connected organisations, the demo among them: add one (checked with GitHub first), test one,
 * choose which the dashboard shows, remove one with or without its data. Orgs synced from the CLI
 * with no connection are listed too, so their data can be shown or deleted.
 */
export function connectionsRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await connectionsView(c.get('deps'))))
    .post('/', validate('json', Body), async (c) => {
      const deps = c.get('deps');
      const { db, config, logger, sync } = deps;
      const body = c.req.valid('json');
      const apiUrl = (body.apiUrl ?? config.githubApiUrl).replace(/\/+$/, '');
      const auth: GithubAuth = 'token' in body ? { kind: 'token', token: body.token } : { kind: 'app', appId: body.appId, privateKey: body.privateKey, installationId: body.installationId };
      await validateConnection(logger, { org: body.org, apiUrl, auth });
      const demo = await db.selectFrom('connections').select(['id', 'org']).where('is_demo', '=', 1).executeTakeFirst();
      const saved = await saveConnection(db, config, { org: body.org, apiUrl, auth });
      sync?.forget(body.org);
      if (demo && demo.org !== body.org && body.demoData === 'delete') await removeConnection(deps, demo.id, true);
      await setShownOrg(db, body.org);
      await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(body.org), payload: { org: body.org } });
      return c.json({ connection: connectionView(saved), syncQueued: true }, 201);
    })
    .put('/shown', validate('json', ShownBody), async (c) => {
      const { db } = c.get('deps');
      const { org } = c.req.valid('json');
      const known = await knownOrgs(db);
      const match = known.find((o) => o.toLowerCase() === org.toLowerCase());
      if (!match) throw new AppError('not_found', `No organisation "${org}" is connected or synced here. Known: ${known.join(', ') || 'none'}.`);
      await setShownOrg(db, match);
      // The signals are derived for one org: the recompute runs as a job, and the dashboard
      // shows "Recomputing" meanwhile.
      await enqueueDeriveSignals(db);
      return c.json({ shownOrg: match }, 202);
    })
    .post('/:id/test', async (c) => {
      const { db, config, logger } = c.get('deps');
      const row = await connectionById(db, c.req.param('id'));
      const { apiUrl, auth } = await connectionAuth(db, config, row.org);
      await validateConnection(logger, { org: row.org, apiUrl, auth });
      return c.json({ ok: true, org: row.org, checkedAt: new Date().toISOString() });
    })
    .delete('/data/:org', validate('param', z.object({ org: Org })), async (c) => {
      const deps = c.get('deps');
      const { org } = c.req.valid('param');
      const conn = await deps.db.selectFrom('connections').select('id').where('org', '=', org).executeTakeFirst();
      if (conn) throw new AppError('conflict', `${org} is connected: remove its connection and choose to delete its data there.`);
      const owned = await deps.db.selectFrom('repos').select('id').where('owner', '=', org).executeTakeFirst();
      if (!owned) throw new AppError('not_found', `No data of "${org}" is stored here.`);
      const deleted = await deleteOrgData(deps.db, org, deps.config.dataDir);
      await enqueueDeriveSignals(deps.db);
      return c.json({ deleted });
    })
    .delete('/:id', validate('query', DataQuery), async (c) => {
      const deps = c.get('deps');
      const row = await connectionById(deps.db, c.req.param('id'));
      await removeConnection(deps, row.id, c.req.valid('query').data === 'delete');
      return c.body(null, 204);
    });
}

async function connectionById(db: Db, idText: string) {
  const id = Number(idText);
  if (!Number.isInteger(id)) throw new AppError('bad_request', 'The connection id must be a number.');
  const row = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No connection ${id}. Reload the Connections page to see the current ones.`);
  return row;
}

/** Removes a connection and its waiting jobs; with `withData`, its org's data too (the signals are then recomputed). */
async function removeConnection(deps: AppDeps, id: number, withData: boolean): Promise<void> {
  const { db, config, sync } = deps;
  const row = await db.selectFrom('connections').select(['org', 'is_demo']).where('id', '=', id).executeTakeFirstOrThrow();
  const scopeBefore = (await derivedScope(db))?.org ?? null;
  await db.deleteFrom('connections').where('id', '=', id).execute();
  // Its waiting jobs would only fail without a token.
  await db
    .deleteFrom('jobs')
    .where((eb) => eb.or(orgJobKeyPatterns(row.org).map((pattern) => eb('key', likeOp(db), pattern))))
    .where('locked_at', 'is', null)
    .execute();
  sync?.forget(row.org);
  if (row.is_demo && sync?.demo) {
    await sync.demo.close();
    sync.demo = null;
  }
  if (withData) await deleteOrgData(db, row.org, config.dataDir);
  // The signals change when data went, or when another org is shown now.
  if (withData || ((await derivedScope(db))?.org ?? null) !== scopeBefore) await enqueueDeriveSignals(db);
}

/** Every connection and every org with data, with what the Connections page shows of each. */
async function connectionsView(deps: AppDeps) {
  const { db, sync } = deps;
  const shown = await shownOrg(db);
  const conns = await db.selectFrom('connections').selectAll().orderBy('id').execute();
  const repos = await db.selectFrom('repos').select(['owner', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('owner').execute();
  const done = await db.selectFrom('sync_state').select(['scope', 'status', 'updated_at']).where('scope', likeOp(db), 'repo:%').execute();
  const budgets = new Map(((await sync?.budget()) ?? []).map((b) => [b.org, b.limits]));
  const next = (await sync?.nextSyncAt()) ?? null;
  const syncing = async (org: string) =>
    Boolean(await db.selectFrom('jobs').select('id').where('locked_at', 'is not', null).where((eb) => eb.or(orgJobKeyPatterns(org).map((k) => eb('key', likeOp(db), k)))).executeTakeFirst());
  const ofOrg = async (org: string) => {
    const prefix = `repo:${org}/`.toLowerCase();
    const mine = done.filter((s) => s.scope.toLowerCase().startsWith(prefix));
    return {
      repos: Number(repos.find((r) => r.owner.toLowerCase() === org.toLowerCase())?.n ?? 0),
      lastSyncAt: mine.filter((s) => s.status === 'done').map((s) => s.updated_at).sort().pop() ?? null,
      failedRepos: mine.filter((s) => s.status === 'failed').length,
      syncing: await syncing(org),
      shown: shown?.toLowerCase() === org.toLowerCase(),
    };
  };
  const connected = new Set(conns.map((c) => c.org.toLowerCase()));
  return {
    shownOrg: shown,
    connections: await Promise.all(conns.map(async (c) => ({ ...connectionView(c), ...(await ofOrg(c.org)), nextSyncAt: next, budget: budgets.get(c.org) ?? [] }))),
    // Synced from the CLI (`guidepost sync`), with no connection: the server does not re-sync them.
    unconnected: await Promise.all(repos.filter((r) => !connected.has(r.owner.toLowerCase())).map(async (r) => ({ org: r.owner, ...(await ofOrg(r.owner)) }))),
  };
}
