import type { Db } from '../db/connect.ts';
import type { DigestDestinationKind, DigestTrigger } from '../db/digest.tables.ts';
import { configuredKinds, type DigestConfig } from './digest.config.ts';

// The digest_sends table: each attempt per destination, and the last one of each for Sync status.

export interface DigestSendResult {
  destination: DigestDestinationKind;
  /** Which one, in words without its secret ("Slack webhook …a1b2"). */
  label: string;
  ok: boolean;
  error: string | null;
}

export async function recordSends(db: Db, trigger: DigestTrigger, results: DigestSendResult[], at = new Date().toISOString()): Promise<void> {
  if (results.length === 0) return;
  await db
    .insertInto('digest_sends')
    .values(results.map((r) => ({ at, trigger, destination: r.destination, ok: r.ok ? 1 : 0, error: r.error })))
    .execute();
}

export interface LastSend {
  destination: DigestDestinationKind;
  at: string;
  trigger: DigestTrigger;
  ok: boolean;
  error: string | null;
}

/** The newest attempt per destination. */
export async function lastSends(db: Db): Promise<LastSend[]> {
  const rows = await db
    .selectFrom('digest_sends as d')
    .selectAll()
    .where('d.id', 'in', (eb) => eb.selectFrom('digest_sends').select((x) => x.fn.max('id').as('id')).groupBy('destination'))
    .orderBy('destination')
    .execute();
  return rows.map((r) => ({ destination: r.destination, at: r.at, trigger: r.trigger, ok: r.ok === 1, error: r.error }));
}

/** Sync status's view: the last attempt of each destination still configured, failures first in mind. */
export async function digestSendStatus(db: Db, config: DigestConfig): Promise<{ lastSends: LastSend[]; failing: number }> {
  const configured = new Set(configuredKinds(config));
  const sends = (await lastSends(db)).filter((s) => configured.has(s.destination));
  return { lastSends: sends, failing: sends.filter((s) => !s.ok).length };
}
