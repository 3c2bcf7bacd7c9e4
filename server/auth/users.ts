import type { Db } from '../db/connect.ts';
import { serializeTransactions } from '../db/dialect.ts';
import type { Role, User } from '../db/auth.tables.ts';
import { AppError } from '../errors.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.ts';

export const ADMIN_USERNAME = 'admin';
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Throws a user-facing error when a password is too short or too long. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('bad_request', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new AppError('bad_request', `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`);
}

export function normalizeUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!USERNAME.test(u)) throw new AppError('bad_request', 'A username is 1-64 characters: lowercase letters, digits, dot, dash or underscore.');
  return u;
}

export async function findUser(db: Db, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function hasAdmin(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Creates the user or replaces their password (and role). Changing a password ends the
 * user's sessions, so a leaked cookie stops working.
 */
export async function setUserPassword(db: Db, username: string, role: Role, password: string): Promise<User> {
  const name = normalizeUsername(username);
  checkPasswordStrength(password);
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto('users')
      .values({ username: name, role, password_hash: passwordHash, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('username').doUpdateSet({ role, password_hash: passwordHash, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    return user;
  });
}

/**
 * The first admin, made only while there is none. The check and the insert share one
 * transaction (Kysely runs it on SQLite's one connection; on PostgreSQL an advisory lock orders them), hence of
 * several setups at once exactly one creates the admin; the others get undefined. The slow
 * password hash is made before the transaction, so it holds no lock while hashing.
 */
export async function createFirstAdmin(db: Db, password: string): Promise<User | undefined> {
  checkPasswordStrength(password);
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await serializeTransactions(trx, 'guidepost:first-admin');
    if (await hasAdmin(trx)) return undefined;
    const user = await trx
      .insertInto('users')
      .values({ username: ADMIN_USERNAME, role: 'admin', password_hash: passwordHash, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('username').doUpdateSet({ role: 'admin', password_hash: passwordHash, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    return user;
  });
}

export async function listUsers(db: Db): Promise<Pick<User, 'username' | 'role' | 'created_at'>[]> {
  return db.selectFrom('users').select(['username', 'role', 'created_at']).orderBy('username').execute();
}

export async function deleteUser(db: Db, username: string): Promise<boolean> {
  const res = await db.deleteFrom('users').where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  return res.numDeletedRows > 0n;
}
