import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncNow } from '../jobs/github/sync-now.ts';
import { createSyncRuntime } from '../jobs/background-jobs.ts';
import { createLogger } from '../server/logger.ts';
import type { RunningSimulator } from '../simulator/start.ts';
import { postConnection, startConnectionEnv, type ConnectionEnv } from './connections.fixture.ts';
import { createTestApp, databaseHolds, type TestDb } from './harness.ts';
import { domainCounts, expectedCounts, SINCE } from './sync.fixture.ts';

// POST /api/connections with a GitHub App installation instead of a token: checked against
// GitHub before it is saved, the private key encrypted at rest and never shown again.

const APP_ID = 424_242;
const INSTALLATION_ID = 31_337_000;
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
const appKeys = keyPair();
const otherKeys = keyPair();
/** A line from the middle of the PEM: if it shows up anywhere, the key leaked. */
const keyLine = (pem: string) => pem.split('\n')[5]!;
/** The key's base64 body, its lines joined (the line before the END line comes last). */
const keyBody = (pem: string) => pem.trim().split('\n').slice(1, -1).join('');

describe('connecting an organisation as a GitHub App installation', () => {
  let env: ConnectionEnv;
  let sim: RunningSimulator;
  let t: TestDb;
  beforeAll(async () => {
    env = await startConnectionEnv({ appId: APP_ID, installationId: INSTALLATION_ID, publicKey: appKeys.publicKey });
    ({ sim, t } = env);
  }, 60_000);
  afterAll(async () => env?.close());
  const post = (body: unknown) => postConnection(t, body);
  const app = (privateKey: string, installationId = INSTALLATION_ID) => ({ org: sim.org.org.login, apiUrl: sim.url, appId: APP_ID, installationId, privateKey });

  it('a private key that is not the app’s: says GitHub rejected it, without the key, and saves nothing', async () => {
    const before = sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0;
    const res = await post(app(otherKeys.privateKey));
    expect(res.status).toBe(422);
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('github_unauthorized');
    expect(body.error.message).toContain('401');
    expect(body.error.message).toMatch(/GitHub App/);
    expect(body.error.message).toMatch(/private key/);
    expect(res.text).not.toContain(keyLine(otherKeys.privateKey));
    expect(res.text).not.toContain('PRIVATE KEY');
    // One exchange, not retried: another try could not make the key fit.
    expect((sim.stats().requests['POST /app/installations/:installation_id/access_tokens'] ?? 0) - before).toBe(1);
    expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  }, 20_000);

  it('an installation id the app does not have: refused, nothing saved', async () => {
    const res = await post(app(appKeys.privateKey, INSTALLATION_ID + 1));
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text).error.code).toBe('github_not_found');
    expect(res.text).not.toContain(keyLine(appKeys.privateKey));
    expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  }, 20_000);

  it('text that is no private key at all: a 4xx that says so, not "GitHub unreachable"', async () => {
    const res = await post(app('this is not a PEM private key, just some text'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toMatch(/private key/i);
    expect(await t.db.selectFrom('connections').selectAll().execute()).toEqual([]);
  }, 20_000);

  it('the right key: validated, stored encrypted, shown without the key, and the saved connection syncs', async () => {
    const res = await post(app(appKeys.privateKey));
    expect(res.status, res.text).toBe(201);
    expect(res.text).not.toContain(keyLine(appKeys.privateKey));
    expect(JSON.parse(res.text)).toMatchObject({ connection: { org: sim.org.org.login, authKind: 'app', appId: String(APP_ID), installationId: String(INSTALLATION_ID) }, syncQueued: true });

    const row = await t.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(keyLine(appKeys.privateKey));
    expect(await databaseHolds(t, keyLine(appKeys.privateKey))).toBe(false);
    const list = await (await createTestApp(t).request('http://127.0.0.1/api/connections')).text();
    expect(list).not.toContain(keyLine(appKeys.privateKey));
    // What tells the user which key is stored: the last 4 characters of its base64 body (not
    // the "----" of its END line), and nothing more of it.
    const body = keyBody(appKeys.privateKey);
    const shown = (JSON.parse(list) as { connections: { org: string; last4: string }[] }).connections.find((c) => c.org === sim.org.org.login);
    expect(shown?.last4).toBe(appKeys.privateKey.trim().split('\n').at(-2)!.slice(-4));
    expect(shown?.last4).toMatch(/^[A-Za-z0-9+/=]{4}$/);
    expect(list).not.toContain(body.slice(-5));
    const pieces = Array.from({ length: body.length - 7 }, (_, i) => body.slice(i, i + 8));
    expect(pieces.filter((p) => list.includes(p))).toEqual([]);
    expect(list).not.toContain('PRIVATE KEY');

    // The server's own path from the stored connection: decrypt, sign, exchange, sync.
    const logger = createLogger('silent');
    const runtime = createSyncRuntime(t.db, t.config, logger);
    await t.db.deleteFrom('jobs').execute();
    const failed = await syncNow(t.db, logger, { ...runtime.services, knowledge: false, onRepoSynced: [] }, { org: sim.org.org.login, since: SINCE, backoffBaseMs: 50 });
    expect(failed).toEqual([]);
    expect(await domainCounts(t.db)).toEqual(expectedCounts(sim.org));
  }, 30_000);
});
