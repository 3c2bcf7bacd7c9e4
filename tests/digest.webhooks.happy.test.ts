import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDigest } from '../server/digest/digest.send.ts';
import { buildBrief } from '../server/signals/brief.ts';
import { updateSettings } from '../server/settings.ts';
import type { TestDb } from './harness.ts';
import { LONELY_NEWCOMER, plantedDigestDb, plantedPeopleIn, startHttpReceiver, type HttpReceiver } from './digest.fixture.ts';

// The digest posted to Slack and Teams incoming webhooks, here one HTTP receiver on 127.0.0.1:
// Slack gets Block Kit with mrkdwn, Teams a message carrying an Adaptive Card, each with the
// brief's own sentences, naming nobody until names are turned on.

const SLACK_PATH = '/services/T0001/B0002/slackSecretPathAbCd';
const TEAMS_PATH = '/webhookb2/teams-secret-path/IncomingWebhook/WxYz';

describe('the weekly digest to Slack and Teams', () => {
  let hooks: HttpReceiver;
  let t: TestDb;
  const post = (path: string) => hooks.posts.filter((p) => p.path === path).at(-1)!;
  beforeAll(async () => {
    hooks = await startHttpReceiver();
    t = await plantedDigestDb({
      GUIDEPOST_SLACK_WEBHOOK_URL: `${hooks.url}${SLACK_PATH}`,
      GUIDEPOST_TEAMS_WEBHOOK_URL: `${hooks.url}${TEAMS_PATH}`,
      GUIDEPOST_PUBLIC_URL: 'https://guidepost.example.com',
    });
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('sends each its own payload once, labelled without the webhook URL', async () => {
    const results = await sendDigest(t.db, t.config.digest, 'manual');
    expect(results).toEqual([
      { destination: 'slack', label: 'Slack webhook …AbCd', ok: true, error: null },
      { destination: 'teams', label: 'Teams webhook …WxYz', ok: true, error: null },
    ]);
    expect(hooks.posts.map((p) => p.path).sort()).toEqual([SLACK_PATH, TEAMS_PATH].sort());
    for (const p of hooks.posts) expect(p.headers['content-type']).toBe('application/json');
    const rows = await t.db.selectFrom('digest_sends').select(['trigger', 'destination', 'ok', 'error']).orderBy('destination').execute();
    expect(rows).toEqual([
      { trigger: 'manual', destination: 'slack', ok: 1, error: null },
      { trigger: 'manual', destination: 'teams', ok: 1, error: null },
    ]);
  });

  it('gives Slack Block Kit: a header, one mrkdwn section per part of the brief, the link, and a text fallback', async () => {
    const brief = await buildBrief(t.db, {});
    const slack = post(SLACK_PATH).body;
    expect(typeof slack.text).toBe('string');
    expect(slack.text).toMatch(/^Guidepost weekly digest: acme/);
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: expect.stringMatching(/^Guidepost weekly digest/) } });
    const sections = slack.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text);
    for (const s of sections) expect(s.type).toBe('mrkdwn');
    const all = sections.map((s: any) => s.text).join('\n');
    expect(all).toContain('*Needs guidance*');
    // Slack escapes: & < > only; the brief's sentences hold none of them.
    for (const line of [...brief.goingWell, ...brief.needsGuidance]) expect(all).toContain(`• ${line}`);
    expect(all).toContain('<https://guidepost.example.com/brief|Open the brief>');
    expect(plantedPeopleIn(JSON.stringify(slack))).toEqual([]);
  });

  it('gives Teams a message with one Adaptive Card holding the brief and an Open the brief action', async () => {
    const brief = await buildBrief(t.db, {});
    const teams = post(TEAMS_PATH).body;
    expect(teams.type).toBe('message');
    expect(teams.attachments).toHaveLength(1);
    const [att] = teams.attachments;
    expect(att.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(att.content.type).toBe('AdaptiveCard');
    expect(att.content.version).toBe('1.4');
    expect(att.content.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
    const texts = att.content.body.map((b: any) => (expect(b.type).toBe('TextBlock'), b.text));
    for (const line of [...brief.goingWell, ...brief.needsGuidance]) expect(texts).toContain(`- ${line}`);
    expect(texts).toContain('Needs guidance');
    expect(att.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the brief', url: 'https://guidepost.example.com/brief' }]);
    expect(plantedPeopleIn(JSON.stringify(teams))).toEqual([]);
  });

  it('names the newcomer without a guide in both payloads once the lead turns names on', async () => {
    await updateSettings(t.db, { briefNames: true });
    try {
      await sendDigest(t.db, t.config.digest, 'manual');
      expect(JSON.stringify(post(SLACK_PATH).body)).toContain(LONELY_NEWCOMER);
      expect(JSON.stringify(post(TEAMS_PATH).body)).toContain(LONELY_NEWCOMER);
    } finally {
      await updateSettings(t.db, { briefNames: false });
    }
  });
});
