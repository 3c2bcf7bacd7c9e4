import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isLoopbackHost } from '../auth/loopback.ts';
import type { DigestDestinationKind } from '../db/digest.tables.ts';

// Where the weekly digest goes, from the environment (server/config.ts parses it with the rest).
// The SMTP URL holds a password and a Slack or Teams webhook URL is itself the credential, so
// none of them is a setting: no message, log line or answer ever repeats one (see `masked`).

const parses = (v: string) => URL.canParse(v);

/** https, or http to this machine (a receiver in a test or on a developer's laptop). */
function webhookUrlOk(v: string): boolean {
  if (!parses(v)) return false;
  const u = new URL(v);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname.replace(/^\[|\]$/g, '')));
}

const webhookUrl = (service: string) =>
  z.string().min(1).refine(webhookUrlOk, `must be the https:// incoming-webhook URL ${service} gave you (http:// only to 127.0.0.1 or localhost)`).optional();

/** The digest's keys of the environment schema, spread into it by server/config.ts. */
export const digestEnv = {
  GUIDEPOST_SMTP_URL: z
    .string()
    .min(1)
    .refine((v) => parses(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol) && new URL(v).hostname !== '', 'must look like smtp://user:password@mail.example.com:587 (or smtps:// for TLS from the start, usually port 465)')
    .optional(),
  GUIDEPOST_DIGEST_FROM: z.string().email('must be the e-mail address the digest is sent from, e.g. guidepost@example.com').optional(),
  GUIDEPOST_SLACK_WEBHOOK_URL: webhookUrl('Slack'),
  GUIDEPOST_TEAMS_WEBHOOK_URL: webhookUrl('Teams'),
  GUIDEPOST_DIGEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  GUIDEPOST_PUBLIC_URL: z.string().refine((v) => parses(v) && /^https?:$/.test(new URL(v).protocol), "must be the dashboard's address as its readers open it, e.g. https://guidepost.example.com").optional(),
};

type DigestEnv = z.infer<z.ZodObject<typeof digestEnv>>;

export interface SmtpConfig {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte; smtp:// upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
}

export interface DigestConfig {
  readonly smtp: SmtpConfig | null;
  readonly from: string | undefined;
  readonly slackUrl: string | undefined;
  readonly teamsUrl: string | undefined;
  /** Each connection, greeting, answer and webhook post gives up after this long. */
  readonly timeoutMs: number;
  /** The dashboard's address, linked from the digest when set. */
  readonly publicUrl: string | undefined;
}

export function digestConfig(e: DigestEnv): DigestConfig {
  const smtp = e.GUIDEPOST_SMTP_URL ? smtpOf(e.GUIDEPOST_SMTP_URL) : null;
  if (smtp && !e.GUIDEPOST_DIGEST_FROM) {
    throw new AppError('invalid_config', 'Invalid configuration. GUIDEPOST_DIGEST_FROM: set the address the digest e-mail is sent from (needed with GUIDEPOST_SMTP_URL), e.g. guidepost@example.com');
  }
  return Object.freeze({
    smtp,
    from: e.GUIDEPOST_DIGEST_FROM,
    slackUrl: e.GUIDEPOST_SLACK_WEBHOOK_URL,
    teamsUrl: e.GUIDEPOST_TEAMS_WEBHOOK_URL,
    timeoutMs: e.GUIDEPOST_DIGEST_TIMEOUT_SECONDS * 1000,
    publicUrl: e.GUIDEPOST_PUBLIC_URL?.replace(/\/+$/, ''),
  });
}

function smtpOf(url: string): SmtpConfig {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return Object.freeze({
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  });
}

/** The last characters of a secret at most, so a reader can tell which one is set. */
export function masked(secret: string): string {
  return `…${secret.slice(-4)}`;
}

/** Every secret the digest holds, to scrub from any text that leaves the process. */
export function digestSecrets(c: DigestConfig): string[] {
  return [c.smtp?.password, c.slackUrl, c.teamsUrl].filter((s): s is string => !!s && s.length >= 4);
}

/** The kinds of destination this configuration sends to, in their fixed order. */
export function configuredKinds(c: DigestConfig): DigestDestinationKind[] {
  return [c.smtp && c.from ? 'email' : null, c.slackUrl ? 'slack' : null, c.teamsUrl ? 'teams' : null].filter((k): k is DigestDestinationKind => k !== null);
}
