import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDeriveSignals } from '../jobs/derive.enqueue.ts';
import { createTestDb, dbArgsOf, readError, type TestDb } from './harness.ts';
import { SECRET, signed } from './webhooks.fixture.ts';

// A `guidepost serve` already running when a newer Guidepost migrates its database (a rolling
// upgrade on PostgreSQL, a second binary on the SQLite file): from then on it refuses every write
// with 409 and one message, still answers reads, claims no job the newer version queues, and
// says so in its log once (once in each of its processes: serve runs the jobs in a child worker).

const NEWER = '9999_from_a_newer_guidepost';
const REFUSAL = /^This database was migrated by a newer Guidepost \(migration 9999_from_a_newer_guidepost unknown to this version\) while this one was running\. Restart with the newer version; nothing was written\.$/;
const LOGGED = 'migrated by a newer Guidepost';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a running Guidepost whose database a newer version migrated', () => {
  let t: TestDb;
  let server: ChildProcess;
  let url = '';
  let log = '';
  let csrf = '';

  beforeAll(async () => {
    t = await createTestDb();
    const env = { ...process.env, GUIDEPOST_SYNC_INTERVAL_MINUTES: '0', GUIDEPOST_LOG_LEVEL: 'warn', GUIDEPOST_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: '' };
    server = spawn(process.execPath, ['bin/guidepost.js', 'serve', '--port', '0', '--host', '127.0.0.1', ...dbArgsOf(t.config), '--data-dir', t.dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    url = await waitFor(() => /running at (http:\/\/\S+)/.exec(log)?.[1], 30_000, 'serve did not start');
    csrf = ((await (await fetch(`${url}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
  }, 60_000);
  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
    await t?.close();
  });

  async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
    for (const until = Date.now() + ms; ; await sleep(100)) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`${what} within ${ms} ms: ${log.slice(-1500)}`);
    }
  }

  const write = (method: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method, headers: { cookie: `gp_csrf=${csrf}`, 'x-csrf-token': csrf, origin: url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const settingsRow = () => t.db.selectFrom('settings').select(['key', 'value', 'updated_at']).orderBy('key').execute();
  const jobs = () => t.db.selectFrom('jobs').select(['task', 'locked_by', 'attempts', 'last_error']).execute();

  it('refuses settings, login and webhooks with 409, keeps serving reads, runs no new job, and logs it once', { timeout: 90_000 }, async () => {
    // Before: a save goes through, and the runner runs the recompute it queues.
    const saved = await write('PUT', '/api/settings', { newcomerDays: 60 });
    expect(saved.status, await saved.clone().text()).toBe(200);
    await waitFor(async () => ((await jobs()).length === 0 ? true : undefined), 30_000, 'the recompute the save queued did not run');
    const before = await settingsRow();

    // The newer version migrates: a migration this code does not know, and a column of its own.
    await t.db.insertInto('kysely_migration' as never).values({ name: NEWER, timestamp: new Date().toISOString() } as never).execute();
    await sql`alter table settings add column from_the_future text`.execute(t.db);
    // The guard trusts its last answer for 2 s, and the runner polls every 1 s: past both, nothing is written.
    await sleep(3500);
    // The worker's heartbeat row is a write too: from here it stays as it is.
    const heartbeats = () => t.db.selectFrom('workers').select(['id', 'heartbeat_at']).orderBy('id').execute();
    const beatsThen = await heartbeats();
    const beatsFrom = Date.now();
    expect(beatsThen.length, log).toBeGreaterThan(0);

    const refusedSave = await readError(await write('PUT', '/api/settings', { newcomerDays: 30 }));
    expect(refusedSave.status).toBe(409);
    expect(refusedSave.code).toBe('conflict');
    expect(refusedSave.message).toMatch(REFUSAL);
    expect(await settingsRow()).toEqual(before);

    const login = await readError(await write('POST', '/api/auth/login', { username: 'admin', password: 'not-the-password-at-all' }));
    expect([login.status, login.code]).toEqual([409, 'conflict']);
    expect(await t.db.selectFrom('login_attempts').selectAll().execute()).toEqual([]);

    const delivery = await signed('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    const hook = await fetch(`${url}/api/webhooks/github`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(hook.status).toBe(409);
    expect((await readError(hook)).message).toMatch(REFUSAL);

    // Reads go on.
    const read = await fetch(`${url}/api/settings`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { newcomerDays: number }).newcomerDays).toBe(60);

    // A job the newer version queues stays where it is, unclaimed, over several polls (1 s each).
    await enqueueDeriveSignals(t.db);
    await sleep(3500);
    expect(await jobs()).toEqual([{ task: 'derive:signals', locked_by: null, attempts: 0, last_error: null }]);

    // Refused for good: the newer migration leaving the table does not make this version right again.
    await t.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', NEWER as never).execute();
    await sleep(2500);
    expect((await readError(await write('PUT', '/api/settings', { newcomerDays: 30 }))).status).toBe(409);

    // Past a heartbeat's 10 s (and a margin), no worker has written its row.
    await sleep(Math.max(0, beatsFrom + 11_500 - Date.now()));
    expect(await heartbeats()).toEqual(beatsThen);

    // Once per process: the serving one, and the worker it runs the jobs in when it does.
    const logged = log.split('\n').filter((l) => l.includes(LOGGED)).map((l) => JSON.parse(l) as { pid: number; level: number; msg: string });
    expect(logged.length, log).toBeGreaterThanOrEqual(1);
    expect(new Set(logged.map((l) => l.pid)).size, log).toBe(logged.length);
    for (const l of logged) expect([l.level, l.msg]).toEqual([50, expect.stringMatching(/while this one was running\. This process now refuses every write.*Restart it with the newer version\.$/)]);
    expect(log).not.toContain('job queue poll failed');
  });
});
