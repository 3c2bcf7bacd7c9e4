import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDigest } from '../server/digest/digest.send.ts';
import { buildBrief } from '../server/signals/brief.ts';
import { updateSettings } from '../server/settings.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';
import { createTestApp, type TestDb } from './harness.ts';
import { LONELY_NEWCOMER, plantedDigestDb, plantedPeopleIn, SMTP_PASSWORD, startSmtpReceiver, type SmtpReceiver } from './digest.fixture.ts';

// The digest by e-mail to a real SMTP server on 127.0.0.1: the brief's own sentences arrive as
// text and HTML, naming nobody until the lead turns names on.

describe('the weekly digest by e-mail', () => {
  let smtp: SmtpReceiver;
  let t: TestDb;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await plantedDigestDb({ GUIDEPOST_SMTP_URL: smtp.url, GUIDEPOST_DIGEST_FROM: 'guidepost@example.com', GUIDEPOST_PUBLIC_URL: 'https://guidepost.example.com/' });
    await updateSettings(t.db, { digest: { recipients: ['lead@example.com', 'cto@example.com'] } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('arrives with the brief’s content as text and HTML, a link to the brief, and names no one by default', async () => {
    const results = await sendDigest(t.db, t.config.digest, 'manual');
    expect(results).toEqual([{ destination: 'email', label: 'e-mail to 2 recipients through 127.0.0.1:' + smtp.port, ok: true, error: null }]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('guidepost@example.com');
    expect(mail.to).toEqual(['lead@example.com', 'cto@example.com']);
    expect(mail.raw).toMatch(/^Subject: Guidepost weekly digest: acme, /m);
    expect(mail.raw).toMatch(/content-type: text\/plain/i);
    expect(mail.raw).toMatch(/content-type: text\/html/i);

    const brief = await buildBrief(t.db, {});
    expect(brief.names).toBe(false);
    expect(brief.needsGuidance.length).toBeGreaterThan(0);
    // Every sentence of the brief is in the mail: it is the same brief, not a second computation.
    for (const line of [...brief.goingWell, ...brief.needsGuidance]) expect(mail.text).toContain(line);
    for (const ch of brief.changes) expect(mail.text).toContain(ch.what);
    expect(mail.text).toContain('https://guidepost.example.com/brief');
    expect(mail.text).toContain(brief.footer);
    expect(plantedPeopleIn(mail.raw)).toEqual([]);
    expect(plantedPeopleIn(mail.text)).toEqual([]);
    expect(mail.text).not.toContain(SMTP_PASSWORD);
  });

  it('names the newcomer without a guide once the lead turns names on', async () => {
    await updateSettings(t.db, { briefNames: true });
    try {
      await sendDigest(t.db, t.config.digest, 'manual');
      const mail = smtp.mails.at(-1)!;
      expect(mail.text).toContain(LONELY_NEWCOMER);
      expect(mail.text).toContain('Names are shown because they are turned on in Settings');
    } finally {
      await updateSettings(t.db, { briefNames: false });
    }
  });

  it('the settings page’s test button sends it through the real app and Sync status shows it sent', async () => {
    const app = createTestApp(t);
    const before = smtp.mails.length;
    const res = await app.request('/api/digest/test', { method: 'POST', headers: csrfHeaders() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { destination: string; ok: boolean; error: string | null }[] };
    expect(body.results.map((r) => [r.destination, r.ok, r.error])).toEqual([['email', true, null]]);
    expect(smtp.mails.length).toBe(before + 1);
    const sync = (await (await app.request('/api/sync')).json()) as { digest: { lastSends: { destination: string; trigger: string; ok: boolean }[]; failing: number } };
    expect(sync.digest.failing).toBe(0);
    expect(sync.digest.lastSends.map((s) => [s.destination, s.trigger, s.ok])).toEqual([['email', 'test', true]]);
    // Without the CSRF token the test send is refused like every other write.
    expect((await app.request('/api/digest/test', { method: 'POST' })).status).toBe(403);
  });
});
