import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient, type GithubAuth } from '../jobs/github/client.ts';
import { syncNow } from '../jobs/github/sync-now.ts';
import { createLogger } from '../server/logger.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { expectValidResponse } from './simulator.openapi.ts';
import { domainCounts, domainSnapshot, expectedCounts, SINCE, snapshotDiff, syncInProcess } from './sync.fixture.ts';

// A GitHub App installation instead of a personal access token (issue 3, Build 1): the client
// signs a JWT with the app's private key, trades it for an installation token, and syncs with
// that. Keys are made here; GitHub hands out PKCS#1 PEM files, so the app's key is one.

const APP_ID = 1_234_567;
const INSTALLATION_ID = 55_501_234;
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
const appKeys = keyPair();
const otherKeys = keyPair();

/** An app JWT as GitHub documents it (RS256; iat 60 s back, exp ≤ 10 min ahead), signed here with node:crypto. */
function appJwt(privateKey: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 60, exp: now + 540, iss: String(APP_ID), ...claims })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

const appAuth = (privateKey: string): GithubAuth => ({ kind: 'app', appId: String(APP_ID), installationId: String(INSTALLATION_ID), privateKey });

describe('a GitHub App installation on the simulated GitHub', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, scale: 'tiny', git: false, app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey: appKeys.publicKey } });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });
  const tokenFor = (jwt: string, installation = INSTALLATION_ID) =>
    fetch(`${sim.url}/app/installations/${installation}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, accept: 'application/vnd.github+json' } });

  it('trades the app’s JWT for an installation token in GitHub’s shape, which then works on REST and GraphQL', async () => {
    const res = await tokenFor(appJwt(appKeys.privateKey));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expires_at: string; repository_selection: string };
    expectValidResponse('/app/installations/{installation_id}/access_tokens', body, 'post', '201');
    expect(body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    const minutes = (Date.parse(body.expires_at) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(body.repository_selection).toBe('all');

    const auth = { authorization: `token ${body.token}` };
    const org = await fetch(`${sim.url}/orgs/${sim.org.org.login}`, { headers: auth });
    expect(org.status).toBe(200);
    const gql = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ organization(login: "${sim.org.org.login}") { login } }` }) });
    expect(await gql.json()).toEqual({ data: { organization: { login: sim.org.org.login } } });
    // As on GitHub, an installation token is nobody's: /user refuses it.
    const user = await fetch(`${sim.url}/user`, { headers: auth });
    expect(user.status).toBe(403);
    expect(((await user.json()) as { message: string }).message).toBe('Resource not accessible by integration');
  });

  it('refuses a JWT signed by another key, for another app, expired, or the PAT itself, with GitHub’s 401', async () => {
    const cases: [string, string, string][] = [
      ['another key', appJwt(otherKeys.privateKey), 'A JSON web token could not be decoded'],
      ['another app', appJwt(appKeys.privateKey, { iss: String(APP_ID + 1) }), 'A JSON web token could not be decoded'],
      ['the PAT', sim.token, 'A JSON web token could not be decoded'],
      ['expired', appJwt(appKeys.privateKey, { iat: Math.floor(Date.now() / 1000) - 900, exp: Math.floor(Date.now() / 1000) - 300 }), "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"],
      ['an hour long', appJwt(appKeys.privateKey, { exp: Math.floor(Date.now() / 1000) + 3600 }), "'Expiration time' claim ('exp') is too far in the future"],
    ];
    for (const [what, jwt, message] of cases) {
      const res = await tokenFor(jwt);
      expect(res.status, what).toBe(401);
      const body = await res.json();
      expect(body, what).toEqual({ message, documentation_url: 'https://docs.github.com/rest', status: '401' });
      expectValidResponse('/app/installations/{installation_id}/access_tokens', body, 'post', '401');
    }
    const elsewhere = await tokenFor(appJwt(appKeys.privateKey), INSTALLATION_ID + 1);
    expect(elsewhere.status).toBe(404);
    // The JWT is for this one route; elsewhere it is no token at all.
    const asToken = await fetch(`${sim.url}/orgs/${sim.org.org.login}`, { headers: { authorization: `Bearer ${appJwt(appKeys.privateKey)}` } });
    expect(asToken.status).toBe(401);
  });
});

describe('a sync authenticated as a GitHub App installation', () => {
  let sim: RunningSimulator;
  let pat: TestDb;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, scale: 'small', git: false, app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey: appKeys.publicKey } });
    pat = await createTestDb();
    expect((await syncInProcess(pat.db, sim)).failed).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await pat?.close();
    await sim?.close();
  });

  const syncAsApp = async (t: TestDb, privateKey: string) => {
    const logger = createLogger('silent');
    const gh = createGithubClient({ baseUrl: sim.url, auth: appAuth(privateKey), logger, concurrency: 4, retryBaseMs: 20 });
    return syncNow(t.db, logger, { clientFor: async () => gh, dataDir: '/nonexistent', backfillDays: 365, onRepoSynced: [], knowledge: false }, { org: sim.org.org.login, since: SINCE, backoffBaseMs: 50 });
  };

  it('stores the same rows as a sync with a personal access token, asking for one installation token', async () => {
    const t = await createTestDb();
    try {
      const before = sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0;
      expect(await syncAsApp(t, appKeys.privateKey)).toEqual([]);
      expect(await domainCounts(t.db)).toEqual(expectedCounts(sim.org));
      expect(snapshotDiff(await domainSnapshot(t.db), await domainSnapshot(pat.db))).toEqual([]);
      // @octokit/auth-app caches the token for its hour: one exchange for the whole sync.
      expect((sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0) - before).toBe(1);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('with a private key that is not the app’s: fails at once with a clear message, no stack trace and no key', async () => {
    const t = await createTestDb();
    try {
      const before = sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0;
      const failed = await syncAsApp(t, otherKeys.privateKey);
      expect(failed.map((j) => j.task)).toEqual(['github.sync_org']);
      const message = failed[0]!.last_error ?? '';
      expect(message).toContain('401');
      // Advice for the credentials used: the app's id and key, not how to make a token.
      expect(message).toMatch(/GitHub App/);
      expect(message).toMatch(/private key/);
      expect(message).not.toContain('settings/tokens');
      expect(message).not.toMatch(/\n\s+at /);
      expect(message).not.toContain('PRIVATE KEY');
      expect(message).not.toContain(otherKeys.privateKey.split('\n')[1]!.slice(0, 20));
      // Given up at once: a retry could not make the key fit.
      expect((sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0) - before).toBe(1);
      expect(await domainCounts(t.db)).toMatchObject({ pull_requests: 0, repos: 0 });
    } finally {
      await t.close();
    }
  }, 30_000);
});
