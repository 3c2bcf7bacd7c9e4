import { Cron } from 'croner';
import { z } from 'zod';

// What the lead chooses about the weekly digest, stored with the other settings (key 'signals').
// The destinations' secrets are configuration instead (digest.config.ts). Whether people are
// named is the brief's own setting, briefNames: the digest is the brief.

export const DEFAULT_DIGEST_SCHEDULE = '0 8 * * 1';

/** Why a schedule cannot be used, in words, or null when croner takes it and it runs again. */
export function scheduleProblem(schedule: string, timezone: string): string | null {
  if (schedule.trim().split(/\s+/).length !== 5) {
    return `"${schedule}" is not a cron expression of five fields (minute hour day-of-month month day-of-week); Monday 08:00 is "${DEFAULT_DIGEST_SCHEDULE}"`;
  }
  let cron: Cron | undefined;
  try {
    cron = new Cron(schedule, { timezone, paused: true });
    if (!cron.nextRun()) return `"${schedule}" never runs again; Monday 08:00 is "${DEFAULT_DIGEST_SCHEDULE}"`;
    return null;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (/timezone/i.test(why)) return `"${timezone}" is not a time zone; use an IANA name such as Europe/Berlin, America/New_York or UTC`;
    return `"${schedule}" is not a cron expression croner understands (${why.replace(/^CronPattern: /, '')}); Monday 08:00 is "${DEFAULT_DIGEST_SCHEDULE}"`;
  } finally {
    cron?.stop();
  }
}

export const DigestSettingsSchema = z
  .object({
    /** Sent on the schedule only when turned on; `guidepost digest --send` and the test button work either way. */
    enabled: z.boolean().default(false),
    schedule: z.string().trim().min(1).max(100).default(DEFAULT_DIGEST_SCHEDULE),
    timezone: z.string().trim().min(1).max(100).default('UTC'),
    /** Who gets the e-mail (SMTP from GUIDEPOST_SMTP_URL). */
    recipients: z.array(z.string().trim().email('each recipient must be an e-mail address')).max(100).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const problem = scheduleProblem(d.schedule, d.timezone);
    if (problem) ctx.addIssue({ code: 'custom', path: ['schedule'], message: problem });
  });

export type DigestSettings = z.infer<typeof DigestSettingsSchema>;
