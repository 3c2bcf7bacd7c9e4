import type { Db } from '../db/connect.ts';
import type { DigestDestinationKind, DigestTrigger } from '../db/digest.tables.ts';
import { AppError } from '../errors.ts';
import { readSettings } from '../settings.ts';
import { digestSecrets, masked, type DigestConfig } from './digest.config.ts';
import { digestContent, type DigestContent } from './digest.content.ts';
import { digestHtml, digestSlack, digestSubject, digestTeams, digestText } from './digest.render.ts';
import { sendMail } from './digest.smtp.ts';
import { postWebhook } from './digest.webhook.ts';
import { recordSends, type DigestSendResult } from './digest.sends.ts';

// Sending the digest now, to every destination configured: one content for all, each send on
// its own (a Slack outage does not stop the e-mail), each attempt recorded for Sync status.

export interface Destination {
  kind: DigestDestinationKind;
  /** In words, without its secret. */
  label: string;
  send(content: DigestContent): Promise<void>;
}

/** The destinations configured, in a fixed order; recipients come from the settings. */
export function digestDestinations(config: DigestConfig, recipients: string[]): Destination[] {
  const out: Destination[] = [];
  const { smtp, from, slackUrl, teamsUrl, timeoutMs } = config;
  if (smtp && from) {
    out.push({
      kind: 'email',
      label: `e-mail to ${recipients.length === 1 ? recipients[0] : `${recipients.length} recipients`} through ${smtp.host}:${smtp.port}`,
      async send(c) {
        if (recipients.length === 0) throw new Error('No e-mail recipients are set. Add them in Settings → Weekly digest.');
        await sendMail(smtp, timeoutMs, { from, to: recipients, subject: digestSubject(c), text: digestText(c), html: digestHtml(c) });
      },
    });
  }
  if (slackUrl) out.push({ kind: 'slack', label: `Slack webhook ${masked(slackUrl)}`, send: (c) => postWebhook('Slack', slackUrl, digestSlack(c), timeoutMs) });
  if (teamsUrl) out.push({ kind: 'teams', label: `Teams webhook ${masked(teamsUrl)}`, send: (c) => postWebhook('Teams', teamsUrl, digestTeams(c), timeoutMs) });
  return out;
}

export const NOTHING_CONFIGURED =
  'No digest destination is configured. Set GUIDEPOST_SMTP_URL and GUIDEPOST_DIGEST_FROM (and recipients in Settings), GUIDEPOST_SLACK_WEBHOOK_URL or GUIDEPOST_TEAMS_WEBHOOK_URL, then start Guidepost again.';

/** Sends the digest to every destination and records each attempt; refuses when none is configured. */
export async function sendDigest(db: Db, config: DigestConfig, trigger: DigestTrigger): Promise<DigestSendResult[]> {
  const settings = await readSettings(db);
  const destinations = digestDestinations(config, settings.digest.recipients);
  if (destinations.length === 0) throw new AppError('invalid_config', NOTHING_CONFIGURED);
  const content = await digestContent(db, config);
  const secrets = digestSecrets(config);
  const results = await Promise.all(
    destinations.map(async (d): Promise<DigestSendResult> => {
      try {
        await d.send(content);
        return { destination: d.kind, label: d.label, ok: true, error: null };
      } catch (err) {
        return { destination: d.kind, label: d.label, ok: false, error: scrub(err instanceof Error ? err.message : String(err), secrets) };
      }
    }),
  );
  await recordSends(db, trigger, results);
  return results;
}

/** A message from a library may quote what it was given: no secret leaves in one. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}
