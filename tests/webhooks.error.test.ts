import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config.ts';
import { AppError } from '../server/errors.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { createTestApp, createTestDb, readError, serverTestConfig, tempDir } from './harness.ts';
import { openedPull, SECRET, signed, storedCounts } from './webhooks.fixture.ts';

// Deliveries Guidepost must refuse, on the real server (login required, so the exemption from
// the session and CSRF checks is exercised): each gets a clear status in the API's error shape
// and leaves no row in webhook_deliveries, raw_responses or the domain tables.

const REPO = { id: 4242, owner: 'acme', name: 'api', full_name: 'acme/api' };
const pull = (n: number, title = `PR ${n}`) => openedPull(REPO, { id: 7_000_000 + n, number: n, title, author: 'dana', at: '2026-11-30T10:00:00Z' });

let dir: ReturnType<typeof tempDir>;
let server: RunningServer;
beforeAll(async () => {
  dir = tempDir('guidepost-webhooks-error-');
  server = await startServer(
    serverTestConfig(dir.dir, { GUIDEPOST_WEBHOOK_SECRET: SECRET, GUIDEPOST_REQUIRE_AUTH: 'true', GUIDEPOST_ADMIN_PASSWORD: 'admin password for tests' }),
    { webRoot: join(dir.dir, 'no-web') },
  );
  await server.deps.db.insertInto('repos').values(REPO).execute();
}, 60_000);
afterAll(async () => {
  await server?.close();
  dir?.cleanup();
});

const post = (headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) => fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers, body });
const nothingStored = async () => expect(await storedCounts(server.deps.db)).toEqual({ webhook_deliveries: 0, raw_responses: 0, pull_requests: 0, reviews: 0, issue_comments: 0, review_comments: 0, team_members: 0 });

describe('deliveries refused with nothing stored', () => {
  it('unsigned: 401 in the error shape, saying which secret to give GitHub', async () => {
    const d = await signed('pull_request', pull(1));
    const { 'x-hub-signature-256': _gone, ...unsigned } = d.headers;
    const res = await post(unsigned, d.body);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff'); // security headers still on
    const err = await readError(res);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(err.message).toMatch(/GUIDEPOST_WEBHOOK_SECRET/);
    await nothingStored();
  });

  it('mis-signed: another secret, another body, or no signature at all in the header: 401', async () => {
    const other = await signed('pull_request', pull(2), { secret: 'another-secret-of-enough-length' });
    const tampered = await signed('pull_request', pull(2));
    for (const [what, headers, body] of [
      ['another secret', other.headers, other.body],
      ['a changed body', tampered.headers, tampered.body.replace('PR 2', 'PR 3')],
      ['garbage', { ...tampered.headers, 'x-hub-signature-256': 'sha256=not-hex' }, tampered.body],
      ['sha1 only', { ...tampered.headers, 'x-hub-signature-256': tampered.headers['x-hub-signature-256']!.replace('sha256=', 'sha1=') }, tampered.body],
    ] as const) {
      expect(await readError(await post(headers, body)), what).toMatchObject({ status: 401, code: 'unauthorized' });
    }
    await nothingStored();
  });

  it('signed but not JSON: 400 saying to send application/json', async () => {
    const d = await signed('pull_request', null, { body: 'payload=%7B%22action%22%3A%22opened%22%7D' });
    const err = await readError(await post(d.headers, d.body));
    expect(err).toMatchObject({ status: 400, code: 'bad_request' });
    expect(err.message).toMatch(/not JSON.*application\/json/);
    await nothingStored();
  });

  it('signed JSON without the headers GitHub sends: 400', async () => {
    const d = await signed('pull_request', pull(4));
    const { 'x-github-delivery': _id, ...noId } = d.headers;
    expect(await readError(await post(noId, d.body))).toMatchObject({ status: 400, code: 'bad_request', message: expect.stringMatching(/X-GitHub-Delivery/) });
    await nothingStored();
  });

  it('over GitHub’s 25 MB: 413 before any of it is read; the global 64 KiB still holds elsewhere', async () => {
    const big = new Uint8Array(25 * 1024 * 1024 + 1).fill(0x20);
    const d = await signed('pull_request', pull(5));
    const err = await readError(await post(d.headers, big));
    expect(err).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(err.message).toMatch(/25 MB/);
    await nothingStored();
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x'.repeat(70_000) }) });
    expect(login.status).toBe(413);
  });

  it('signed, but not in GitHub’s shape: 400, recorded as failed (no payload kept), and a good redelivery of that id is applied', async () => {
    const bad = await signed('pull_request', { action: 'opened', repository: { full_name: REPO.full_name }, pull_request: { title: 'no id' } }, { deliveryId: 'shape-1' });
    const err = await readError(await post(bad.headers, bad.body));
    expect(err).toMatchObject({ status: 400, code: 'bad_request', message: expect.stringMatching(/GitHub's shape/) });
    const { db } = server.deps;
    expect(await db.selectFrom('webhook_deliveries').select(['delivery_id', 'outcome', 'raw_id']).execute()).toEqual([{ delivery_id: 'shape-1', outcome: 'failed', raw_id: null }]);
    expect(await db.selectFrom('raw_responses').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);

    const good = await signed('pull_request', pull(6), { deliveryId: 'shape-1' });
    const res = await post(good.headers, good.body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'applied', delivery: 'shape-1' });
    expect(await db.selectFrom('webhook_deliveries').select(['delivery_id', 'outcome']).execute()).toEqual([{ delivery_id: 'shape-1', outcome: 'applied' }]);
    await db.deleteFrom('webhook_deliveries').execute();
    await db.deleteFrom('pull_requests').execute();
    await db.deleteFrom('people').execute();
    await db.deleteFrom('raw_responses').execute();
  });
});

describe('deliveries taken, or ignored, without a session or CSRF token', () => {
  it('a repository Guidepost does not sync: 202 ignored, recorded, its payload not kept', async () => {
    const p = openedPull({ id: 1, owner: 'elsewhere', name: 'x', full_name: 'elsewhere/x' }, { id: 1, number: 1, title: 't', author: 'a', at: '2026-11-30T10:00:00Z' });
    const d = await signed('pull_request', p, { deliveryId: 'elsewhere-1' });
    const res = await post(d.headers, d.body);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'ignored', delivery: 'elsewhere-1', reason: 'elsewhere/x is not a repository Guidepost syncs.' });
    expect(await storedCounts(server.deps.db)).toMatchObject({ webhook_deliveries: 1, raw_responses: 0, pull_requests: 0 });
  });

  it('a PR for a synced repo, 1 MB long, with login required: applied with no cookie; the deliveries list itself needs a login', async () => {
    const p = pull(8, 'taken without a session');
    p.pull_request.body = 'a long description. '.repeat(50_000); // over the global 64 KiB, as GitHub's bodies may be
    const d = await signed('pull_request', p);
    expect(d.body.length).toBeGreaterThan(1_000_000);
    expect((await post(d.headers, d.body)).status).toBe(200);
    expect((await server.deps.db.selectFrom('pull_requests').select('title').execute()).map((p) => p.title)).toEqual(['taken without a session']);
    expect((await readError(await fetch(`${server.url}/api/webhooks/deliveries`))).status).toBe(401);
    // Another route posted to the same way is still refused: only the webhook path is exempt.
    expect((await fetch(`${server.url}/api/settings`, { method: 'PUT', headers: d.headers, body: '{}' })).status).toBe(401);
  });
});

describe('the secret', () => {
  it('without one, the route says to set GUIDEPOST_WEBHOOK_SECRET and stores nothing', async () => {
    const t = await createTestDb();
    try {
      const d = await signed('pull_request', pull(9));
      const err = await readError(await createTestApp(t).request('http://127.0.0.1/api/webhooks/github', { method: 'POST', headers: d.headers, body: d.body }));
      expect(err).toMatchObject({ status: 404, code: 'not_found' });
      expect(err.message).toMatch(/set GUIDEPOST_WEBHOOK_SECRET/);
      expect(await storedCounts(t.db)).toMatchObject({ webhook_deliveries: 0, raw_responses: 0, pull_requests: 0 });
    } finally {
      await t.close();
    }
  });

  it('shorter than 16 characters: refused as a config error that names the variable, not its value', () => {
    let thrown: unknown;
    try {
      parseConfig({ GUIDEPOST_WEBHOOK_SECRET: 'short-secret-15' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('invalid_config');
    expect((thrown as AppError).message).toMatch(/GUIDEPOST_WEBHOOK_SECRET: must be at least 16 characters/);
    expect((thrown as AppError).message).not.toContain('short-secret-15');
    expect(parseConfig({ GUIDEPOST_WEBHOOK_SECRET: 'sixteen-chars-ok' }).webhookSecret).toBe('sixteen-chars-ok');
  });
});
