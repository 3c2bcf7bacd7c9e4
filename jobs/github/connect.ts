import { createPrivateKey } from 'node:crypto';
import type { Db } from '../../server/db/connect.ts';
import { AppError } from '../../server/errors.ts';
import type { Config } from '../../server/config.ts';
import type { Logger } from '../../server/logger.ts';
import { encryptSecret, last4, loadSecretKey } from '../../server/secrets.ts';
import type { Connection } from '../../server/db/database.ts';
import { createGithubClient, type GithubAuth } from './client.ts';
import { githubError, orgNotFound } from './errors.ts';

/**
 * Checks a token (GET /user) and the org (GET /orgs/{org}) before anything is saved, so the
 * user hears "token rejected" or "org not found" at once rather than from a failed job later.
 */
export async function validateConnection(logger: Logger, o: { org: string; apiUrl: string; auth: GithubAuth }): Promise<void> {
  // A key that is no key fails inside the request as a network error would: say what it is instead.
  if (o.auth.kind === 'app') {
    try {
      createPrivateKey(o.auth.privateKey.replace(/\\n/g, '\n'));
    } catch {
      throw new AppError('bad_request', "The GitHub App's private key is not a PEM private key. Paste the whole .pem file GitHub gave when the key was generated, from -----BEGIN RSA PRIVATE KEY----- to -----END RSA PRIVATE KEY-----.");
    }
  }
  const gh = createGithubClient({ baseUrl: o.apiUrl, auth: o.auth, logger, retries: 1, retryBaseMs: 200, readTimeoutMs: 15_000 });
  try {
    // Installation tokens of a GitHub App cannot call /user; the org call checks them.
    if (o.auth.kind === 'token') await gh.get('/user');
    await gh.get('/orgs/{org}', { org: o.org });
  } catch (err) {
    if ((err as { status?: number }).status === 404) throw orgNotFound(o.org);
    throw githubError(err, o.apiUrl);
  }
}

/** Saves (or replaces) the connection of an org with its secret encrypted. */
export async function saveConnection(db: Db, config: Config, o: { org: string; apiUrl: string; auth: GithubAuth; isDemo?: boolean }): Promise<Connection> {
  const secret = o.auth.kind === 'token' ? o.auth.token : o.auth.privateKey;
  const now = new Date().toISOString();
  const row = {
    api_url: o.apiUrl,
    auth_kind: o.auth.kind,
    secret_ciphertext: encryptSecret(loadSecretKey(config), secret),
    secret_last4: last4(secret),
    app_id: o.auth.kind === 'app' ? o.auth.appId : null,
    installation_id: o.auth.kind === 'app' ? o.auth.installationId : null,
    is_demo: o.isDemo ? 1 : 0,
    updated_at: now,
  };
  await db.insertInto('connections').values({ org: o.org, created_at: now, ...row }).onConflict((oc) => oc.column('org').doUpdateSet(row)).execute();
  return db.selectFrom('connections').selectAll().where('org', '=', o.org).executeTakeFirstOrThrow();
}

/** A connection as the API shows it: never the secret, only its last 4 characters. */
export function connectionView(c: Connection) {
  return {
    id: c.id,
    org: c.org,
    apiUrl: c.api_url,
    authKind: c.auth_kind,
    last4: c.secret_last4,
    appId: c.app_id,
    installationId: c.installation_id,
    isDemo: c.is_demo === 1,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
