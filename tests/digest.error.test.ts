import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config.ts';
import { sendDigest, NOTHING_CONFIGURED } from '../server/digest/digest.send.ts';
import { updateSettings } from '../server/settings.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { createTestApp, readError, type TestDb, dbArgsOf } from './harness.ts';
import { guidepost } from './cli.fixture.ts';
import { plantedDigestDb, SMTP_PASSWORD, SMTP_USER, startHttpReceiver, startSilentServer, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './digest.fixture.ts';

// What goes wrong sending the digest, each said once in words that name what to check and
// never a secret: SMTP refusing the login or a recipient, an SMTP server that never answers,
// Slack answering 500, a schedule croner cannot read, and nothing configured at all.

const FROM = 'guidepost@example.com';
const SLACK_PATH = '/services/T1/B2/slackPathSecretQrSt';
const WRONG_PASSWORD = 'not-the-pw-Hh8x';

describe('sending the digest when the destination refuses or hangs', () => {
  let smtp: SmtpReceiver;
  let hooks: HttpReceiver;
  let silent: { port: number; close(): Promise<void> };
  const open: TestDb[] = [];
  const db = async (env: Record<string, string>, recipients = ['lead@example.com']) => {
    const t = await plantedDigestDb({ GUIDEPOST_DIGEST_FROM: FROM, GUIDEPOST_DIGEST_TIMEOUT_SECONDS: '1', ...env });
    await updateSettings(t.db, { digest: { recipients } });
    open.push(t);
    return t;
  };
  beforeAll(async () => {
    [smtp, hooks, silent] = await Promise.all([startSmtpReceiver(), startHttpReceiver(), startSilentServer()]);
    hooks.status.set(SLACK_PATH, 500);
  });
  afterAll(async () => {
    for (const t of open) await t.close();
    await Promise.all([smtp?.close(), hooks?.close(), silent?.close()]);
  });

  it('an SMTP server refusing the login gives one error that says to check the user and password, without either', async () => {
    const t = await db({ GUIDEPOST_SMTP_URL: `smtp://${SMTP_USER}:${WRONG_PASSWORD}@127.0.0.1:${smtp.port}` });
    const [r, ...more] = await sendDigest(t.db, t.config.digest, 'manual');
    expect(more).toEqual([]);
    expect(r!.ok).toBe(false);
    expect(r!.error).toContain(`the SMTP server 127.0.0.1:${smtp.port} refused the login`);
    expect(r!.error).toContain('Check the user and password in GUIDEPOST_SMTP_URL');
    expect(r!.error).not.toContain(WRONG_PASSWORD);
    const rows = await t.db.selectFrom('digest_sends').selectAll().execute();
    expect(rows.map((x) => [x.destination, x.ok, x.error])).toEqual([['email', 0, r!.error]]);
  });

  it('an SMTP server refusing a recipient names the recipient and where to fix it', async () => {
    const t = await db({ GUIDEPOST_SMTP_URL: smtp.url }, ['nobody@refuse.example']);
    const [r] = await sendDigest(t.db, t.config.digest, 'manual');
    expect(r!.ok).toBe(false);
    expect(r!.error).toMatch(/refused the recipient nobody@refuse\.example/);
    expect(r!.error).toContain('Check the recipients in Settings');
    expect(r!.error).not.toContain(SMTP_PASSWORD);
  });

  it('an SMTP server that takes the connection and never answers gives one clear error within the timeout', async () => {
    const t = await db({ GUIDEPOST_SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${silent.port}` });
    const started = Date.now();
    const results = await sendDigest(t.db, t.config.digest, 'scheduled');
    const took = Date.now() - started;
    expect(results).toHaveLength(1);
    expect(results[0]!.error).toBe(`the SMTP server 127.0.0.1:${silent.port} did not answer within 1 s. Check the host and port in GUIDEPOST_SMTP_URL (587 or 25 for smtp://, 465 for smtps://).`);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  });

  it('Slack answering 500 is an error with its status, and the e-mail still goes', async () => {
    const t = await db({ GUIDEPOST_SMTP_URL: smtp.url, GUIDEPOST_SLACK_WEBHOOK_URL: `${hooks.url}${SLACK_PATH}` });
    const before = smtp.mails.length;
    const results = await sendDigest(t.db, t.config.digest, 'manual');
    expect(results.map((r) => [r.destination, r.ok])).toEqual([['email', true], ['slack', false]]);
    expect(results[1]!.error).toMatch(/^Slack answered 500 Internal Server Error: internal_error\./);
    expect(results[1]!.error).not.toContain(SLACK_PATH);
    expect(smtp.mails.length).toBe(before + 1);
  });

  it('a webhook that never answers gives up within the timeout', async () => {
    const t = await db({ GUIDEPOST_TEAMS_WEBHOOK_URL: `http://127.0.0.1:${silent.port}/teams/secretHook` });
    const started = Date.now();
    const [r] = await sendDigest(t.db, t.config.digest, 'manual');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r!.error).toBe(`Teams (127.0.0.1:${silent.port}) did not answer within 1 s. Check that the webhook URL is right and the service is reachable.`);
  });

  it('the test button shows the failure per destination, Sync status shows it too, and no answer holds a secret', async () => {
    const slackUrl = `${hooks.url}${SLACK_PATH}`;
    const t = await db({ GUIDEPOST_SMTP_URL: smtp.url, GUIDEPOST_SLACK_WEBHOOK_URL: slackUrl });
    const app = createTestApp(t);
    const res = await app.request('/api/digest/test', { method: 'POST', headers: csrfHeaders() });
    expect(res.status).toBe(200);
    const tested = await res.text();
    const body = JSON.parse(tested) as { results: { destination: string; ok: boolean; error: string | null }[] };
    expect(body.results.map((r) => [r.destination, r.ok])).toEqual([['email', true], ['slack', false]]);
    const syncText = await (await app.request('/api/sync')).text();
    const sync = JSON.parse(syncText) as { digest: { failing: number; lastSends: { destination: string; ok: boolean; trigger: string; error: string | null }[] } };
    expect(sync.digest.failing).toBe(1);
    expect(sync.digest.lastSends.find((s) => s.destination === 'slack')).toMatchObject({ ok: false, trigger: 'test', error: expect.stringMatching(/^Slack answered 500/) });
    const digestText = await (await app.request('/api/digest')).text();
    const digest = JSON.parse(digestText) as { destinations: { kind: string; label: string }[] };
    expect(digest.destinations.map((d) => d.kind)).toEqual(['email', 'slack']);
    for (const text of [tested, syncText, digestText]) {
      expect(text).not.toContain(SMTP_PASSWORD);
      expect(text).not.toContain(encodeURIComponent(SMTP_PASSWORD));
      expect(text).not.toContain(SLACK_PATH);
    }
  });

  it('guidepost digest --send prints one line per destination and exits non-zero when one failed, with no secret in its output', async () => {
    const env = { GUIDEPOST_SMTP_URL: smtp.url, GUIDEPOST_DIGEST_FROM: FROM, GUIDEPOST_SLACK_WEBHOOK_URL: `${hooks.url}${SLACK_PATH}`, GUIDEPOST_DIGEST_TIMEOUT_SECONDS: '2' };
    const t = await db(env);
    const before = smtp.mails.length;
    const r = await guidepost(['digest', '--send', ...dbArgsOf(t.config), '--data-dir', t.dir], 60_000, env);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([`e-mail to lead@example.com through 127.0.0.1:${smtp.port}: sent`, expect.stringMatching(/^Slack webhook …QrSt: not sent: Slack answered 500 /)]);
    expect(smtp.mails.length).toBe(before + 1);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SMTP_PASSWORD);
      expect(out).not.toContain(SLACK_PATH);
    }
    const recorded = await t.db.selectFrom('digest_sends').select(['trigger', 'destination', 'ok']).orderBy('destination').execute();
    expect(recorded).toEqual([
      { trigger: 'manual', destination: 'email', ok: 1 },
      { trigger: 'manual', destination: 'slack', ok: 0 },
    ]);
  });
});

describe('the digest refusing what it cannot use', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await plantedDigestDb();
  });
  afterAll(async () => t?.close());
  const put = (body: unknown) => createTestApp(t).request('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });

  it('a schedule that is no cron expression, or an unknown time zone, is refused in words and nothing is saved', async () => {
    const cases: [unknown, RegExp][] = [
      [{ schedule: 'every monday' }, /digest\.schedule: "every monday" is not a cron expression of five fields \(minute hour day-of-month month day-of-week\); Monday 08:00 is "0 8 \* \* 1"/],
      [{ schedule: '61 8 * * 1' }, /digest\.schedule: "61 8 \* \* 1" is not a cron expression croner understands \(Invalid value for minute: 61\)/],
      [{ schedule: '0 8 * * 1', timezone: 'Mars/Olympus' }, /"Mars\/Olympus" is not a time zone; use an IANA name such as Europe\/Berlin/],
      [{ recipients: ['not an address'] }, /each recipient must be an e-mail address/],
    ];
    for (const [digest, message] of cases) {
      const e = await readError(await put({ digest }));
      expect(e.status, JSON.stringify(digest)).toBe(400);
      expect(e.code).toBe('bad_request');
      expect(e.message).toMatch(message);
    }
    const stored = (await (await createTestApp(t).request('/api/settings')).json()) as { digest: unknown };
    expect(stored.digest).toEqual({ enabled: false, schedule: '0 8 * * 1', timezone: 'UTC', recipients: [] });
  });

  it('a good schedule is kept and tells when the digest goes next, in its time zone', async () => {
    const res = await put({ digest: { enabled: true, schedule: '30 9 * * 5', timezone: 'Asia/Tokyo', recipients: [] } });
    expect(res.status).toBe(200);
    const d = (await (await createTestApp(t).request('/api/digest')).json()) as { nextAt: string; settings: { schedule: string } };
    expect(d.settings.schedule).toBe('30 9 * * 5');
    // Friday 09:30 in Tokyo is Friday 00:30 UTC.
    expect(new Date(d.nextAt).getUTCDay()).toBe(5);
    expect(d.nextAt.slice(11, 16)).toBe('00:30');
    expect(Date.parse(d.nextAt)).toBeGreaterThan(Date.now());
  });

  it('a save naming some of the digest’s fields keeps the others', async () => {
    expect((await put({ digest: { enabled: true, schedule: '15 7 * * 2', timezone: 'Europe/Berlin', recipients: ['lead@example.com'] } })).status).toBe(200);
    expect((await put({ digest: { recipients: ['other@example.com'] } })).status).toBe(200);
    const stored = (await (await createTestApp(t).request('/api/settings')).json()) as { digest: unknown };
    expect(stored.digest).toEqual({ enabled: true, schedule: '15 7 * * 2', timezone: 'Europe/Berlin', recipients: ['other@example.com'] });
  });

  it('with no destination configured, the test button and guidepost digest --send say what to set', async () => {
    const e = await readError(await createTestApp(t).request('/api/digest/test', { method: 'POST', headers: csrfHeaders() }));
    expect(e).toEqual({ status: 400, code: 'invalid_config', message: NOTHING_CONFIGURED });
    const r = await guidepost(['digest', '--send', ...dbArgsOf(t.config), '--data-dir', t.dir], 60_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`guidepost: ${NOTHING_CONFIGURED}\n`);
  });

  it('configuration refuses a webhook over plain http to another host, and SMTP without a sender, naming the key and not the URL', () => {
    const base = { GUIDEPOST_DATA_DIR: t.dir };
    expect(() => parseConfig({ ...base, GUIDEPOST_SLACK_WEBHOOK_URL: 'http://hooks.slack.example/services/SECRETPATH' })).toThrow(/GUIDEPOST_SLACK_WEBHOOK_URL: must be the https:\/\/ incoming-webhook URL Slack gave you \(http:\/\/ only to 127\.0\.0\.1 or localhost\)/);
    expect(() => parseConfig({ ...base, GUIDEPOST_SLACK_WEBHOOK_URL: 'http://hooks.slack.example/services/SECRETPATH' })).not.toThrow(/SECRETPATH/);
    expect(() => parseConfig({ ...base, GUIDEPOST_SMTP_URL: 'smtp://u:p@mail.example.com' })).toThrow(/GUIDEPOST_DIGEST_FROM: set the address the digest e-mail is sent from/);
    expect(() => parseConfig({ ...base, GUIDEPOST_SMTP_URL: 'mail.example.com' })).toThrow(/GUIDEPOST_SMTP_URL: must look like smtp:\/\/user:password@mail\.example\.com:587/);
    expect(parseConfig({ ...base, GUIDEPOST_TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/x' }).digest.teamsUrl).toBe('https://example.webhook.office.com/x');
  });
});
