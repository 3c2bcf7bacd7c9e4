import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateSettings } from '../server/settings.ts';
import type { TestDb } from './harness.ts';
import { plantedDigestDb, plantedPeopleIn, startHttpReceiver, type HttpReceiver } from './digest.fixture.ts';

// The digest on its schedule, from a real `guidepost serve`: croner fires at the next minute,
// each destination gets its payload, each attempt is recorded as scheduled, and the server's
// log says which one failed and why without ever writing a webhook URL.

const SLACK_PATH = '/services/T9/B9/scheduledSlackSecret';
const TEAMS_PATH = '/webhookb2/scheduled-teams-secret';
const WAIT_MS = 75_000; // the schedule fires at the start of the next minute

describe('the digest sent on its schedule by the serving process', () => {
  let hooks: HttpReceiver;
  let t: TestDb;
  let server: ChildProcess;
  let log = '';
  beforeAll(async () => {
    hooks = await startHttpReceiver();
    hooks.status.set(TEAMS_PATH, 500);
    t = await plantedDigestDb();
    await updateSettings(t.db, { digest: { enabled: true, schedule: '* * * * *', timezone: 'Europe/Berlin' } });
    const env = {
      GUIDEPOST_DB: t.config.dbPath,
      GUIDEPOST_DATABASE_URL: t.config.databaseUrl ?? '',
      GUIDEPOST_DATA_DIR: t.dir,
      GUIDEPOST_SYNC_INTERVAL_MINUTES: '0',
      GUIDEPOST_LOG_LEVEL: 'info',
      GUIDEPOST_SLACK_WEBHOOK_URL: `${hooks.url}${SLACK_PATH}`,
      GUIDEPOST_TEAMS_WEBHOOK_URL: `${hooks.url}${TEAMS_PATH}`,
    };
    server = spawn(process.execPath, ['bin/guidepost.js', 'serve', '--port', '0', '--host', '127.0.0.1'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await t?.close();
    await hooks?.close();
  });

  it('posts to each destination at the next minute, records both attempts as scheduled and logs the failure without a secret', async () => {
    const deadline = Date.now() + WAIT_MS;
    const sends = () => t.db.selectFrom('digest_sends').select(['trigger', 'destination', 'ok', 'error']).orderBy('destination').execute();
    while ((await sends()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const rows = await sends();
    expect(rows.map((r) => [r.trigger, r.destination, r.ok]), log).toEqual([
      ['scheduled', 'slack', 1],
      ['scheduled', 'teams', 0],
    ]);
    expect(rows[1]!.error).toMatch(/^Teams answered 500/);
    expect(hooks.posts.map((p) => p.path).sort()).toEqual([SLACK_PATH, TEAMS_PATH].sort());
    expect(plantedPeopleIn(JSON.stringify(hooks.posts.map((p) => p.body)))).toEqual([]);
    // The log line is written after the row; give it a moment to reach the pipe.
    const logged = Date.now() + 5000;
    while (!log.includes('weekly digest not sent') && Date.now() < logged) await new Promise((r) => setTimeout(r, 100));
    expect(log).toContain('weekly digest scheduled');
    expect(log).toContain('weekly digest not sent');
    expect(log).toContain('Teams answered 500');
    expect(log).not.toContain(SLACK_PATH);
    expect(log).not.toContain(TEAMS_PATH);
  }, WAIT_MS + 15_000);
});
