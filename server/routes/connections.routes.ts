import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { validate } from '../middleware/validate.ts';
import { connectionView, saveConnection, validateConnection } from '../../jobs/github/connect.ts';
import { orgJobKeyPatterns, SYNC_ORG, syncOrgJobKey } from '../../jobs/github/sync.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { GithubAuth } from '../../jobs/github/client.ts';

const Org = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'must be a GitHub organisation login, e.g. acme');
const ApiUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional();
const TokenBody = z.object({ org: Org, apiUrl: ApiUrl, token: z.string().trim().min(8, 'is too short to be a GitHub token').max(512) });
const AppBody = z.object({ org: Org, apiUrl: ApiUrl, appId: z.coerce.string().min(1), privateKey: z.string().min(32).max(20_000), installationId: z.coerce.string().min(1) });
const Body = z.union([TokenBody, AppBody]);

/** Connected organisations: add one (validated against GitHub first), list them, remove one. */
export function connectionsRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { db } = c.get('deps');
      const rows = await db.selectFrom('connections').selectAll().orderBy('org').execute();
      return c.json({ connections: rows.map(connectionView) });
    })
    .post('/', validate('json', Body), async (c) => {
      const { db, config, logger, sync } = c.get('deps');
      const body = c.req.valid('json');
      const apiUrl = (body.apiUrl ?? config.githubApiUrl).replace(/\/+$/, '');
      const auth: GithubAuth = 'token' in body ? { kind: 'token', token: body.token } : { kind: 'app', appId: body.appId, privateKey: body.privateKey, installationId: body.installationId };
      await validateConnection(logger, { org: body.org, apiUrl, auth });
      const saved = await saveConnection(db, config, { org: body.org, apiUrl, auth });
      sync?.forget(body.org);
      await enqueue(db, { task: SYNC_ORG, key: syncOrgJobKey(body.org), payload: { org: body.org } });
      return c.json({ connection: connectionView(saved), syncQueued: true }, 201);
    })
    .delete('/:id', async (c) => {
      const { db, sync } = c.get('deps');
      const id = Number(c.req.param('id'));
      if (!Number.isInteger(id)) throw new AppError('bad_request', 'The connection id must be a number.');
      const row = await db.selectFrom('connections').select('org').where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('not_found', `No connection ${id}.`);
      await db.deleteFrom('connections').where('id', '=', id).execute();
      // Its waiting jobs would only fail without a token.
      await db
        .deleteFrom('jobs')
        .where((eb) => eb.or(orgJobKeyPatterns(row.org).map((pattern) => eb('key', 'like', pattern))))
        .where('locked_at', 'is', null)
        .execute();
      sync?.forget(row.org);
      return c.body(null, 204);
    });
}
