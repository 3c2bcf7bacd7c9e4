import type { Generated, Insertable, Selectable } from 'kysely';

// Tables of migration 0013: each attempt to send the weekly digest, per destination.

export type DigestTrigger = 'scheduled' | 'manual' | 'test';
export type DigestDestinationKind = 'email' | 'slack' | 'teams';

export interface DigestSendsTable {
  id: Generated<number>;
  at: string;
  trigger: DigestTrigger;
  destination: DigestDestinationKind;
  /** 1 sent, 0 failed. */
  ok: number;
  /** Why it failed, in words holding no secret; null when sent. */
  error: string | null;
}

export interface DigestTables {
  digest_sends: DigestSendsTable;
}

export type DigestSend = Selectable<DigestSendsTable>;
export type NewDigestSend = Insertable<DigestSendsTable>;
