import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Db } from '../db/connect.ts';

// Reports made ahead, as the table signal_reports holds them: written by the derive job
// (jobs/derive/reports.prepare.ts) for the windows the period picker opens, read by buildReport
// before it analyses a window itself. A row is found only by the full cache key, which holds the
// derive run and the settings, so a stored report is always the one buildReport would make.
// v8's serializer keeps the Maps a Report holds (by repo, by team) as Maps.

/** The row key: a hash of the cache key (which holds the whole settings object). */
export const storedKey = (key: string): string => createHash('sha256').update(key).digest('base64url');

export async function storedReport<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('signal_reports').select('body').where('key', '=', storedKey(key)).executeTakeFirst();
  return row ? (deserialize(row.body) as T) : undefined;
}

export const reportBytes = (report: unknown): Buffer => serialize(report);
