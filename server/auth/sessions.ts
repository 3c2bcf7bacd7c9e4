import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import type { Role } from '../db/auth.tables.ts';

/** Sessions last a week from login; logging out or changing the password ends them sooner. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

// Only the hash is stored, so reading the database (or a backup) does not give a usable cookie.
function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** A random 32-byte id for the cookie; the database keeps its SHA-256. */
export async function createSession(db: Db, userId: number, now = new Date()): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('sessions')
    .values({ id_hash: hashId(id), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .execute();
  return { id, expiresAt };
}

/** The user behind a live session id, or undefined for anything unknown, malformed or expired. */
export async function findSessionUser(db: Db, id: string | undefined, now = new Date()): Promise<SessionUser | undefined> {
  if (!id || !SESSION_ID.test(id)) return undefined;
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role'])
    .where('sessions.id_hash', '=', hashId(id))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function deleteSession(db: Db, id: string | undefined): Promise<void> {
  if (!id || !SESSION_ID.test(id)) return;
  await db.deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute();
}
