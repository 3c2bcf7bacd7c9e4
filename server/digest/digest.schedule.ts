import { Cron } from 'croner';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { readSettings } from '../settings.ts';
import type { DigestSettings } from './digest.settings.ts';
import type { DigestConfig } from './digest.config.ts';
import { sendDigest } from './digest.send.ts';

// The digest's timer in the serving process. The schedule is a setting the lead may change at
// any time, so it is read again every minute and the cron job replaced when it changed; a
// restart is never needed. Each run's outcome is recorded by sendDigest for Sync status.

export interface DigestSchedule {
  /** Stops the timer and waits for a send under way, so the database is not closed under it. */
  stop(): Promise<void>;
}

/** The next time a schedule fires (ISO), or null when the digest is off. */
export function nextDigestAt(d: DigestSettings): string | null {
  if (!d.enabled) return null;
  const cron = new Cron(d.schedule, { timezone: d.timezone, paused: true });
  const next = cron.nextRun();
  cron.stop();
  return next ? next.toISOString() : null;
}

export function startDigestSchedule(db: Db, config: DigestConfig, logger: Logger, o: { recheckMs?: number } = {}): DigestSchedule {
  let cron: Cron | null = null;
  let current = '';
  let stopped = false;
  let inflight: Promise<void> = Promise.resolve();
  const run = () => (inflight = send());
  const send = async () => {
    try {
      const results = await sendDigest(db, config, 'scheduled');
      for (const r of results) {
        if (r.ok) logger.info({ destination: r.label }, 'weekly digest sent');
        else logger.error({ destination: r.label, error: r.error }, 'weekly digest not sent');
      }
    } catch (err) {
      logger.error({ error: err instanceof Error ? err.message : String(err) }, 'weekly digest not sent');
    }
  };
  const refresh = async () => {
    const d = (await readSettings(db)).digest;
    const wanted = d.enabled ? `${d.schedule}\u0000${d.timezone}` : '';
    if (stopped || wanted === current) return;
    cron?.stop();
    cron = d.enabled ? new Cron(d.schedule, { timezone: d.timezone, protect: true }, run) : null;
    current = wanted;
    if (cron) logger.info({ schedule: d.schedule, timezone: d.timezone, next: cron.nextRun()?.toISOString() }, 'weekly digest scheduled');
  };
  const check = () => void refresh().catch((err: unknown) => logger.error({ error: err instanceof Error ? err.message : String(err) }, 'could not read the digest schedule'));
  check();
  const timer = setInterval(check, o.recheckMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      cron?.stop();
      await inflight;
    },
  };
}
