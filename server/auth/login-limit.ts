import type { Db } from '../db/connect.ts';

/**
 * Failed logins per username, so a password cannot be guessed at the speed of the network.
 * Kept in SQLite (login_attempts), not in a bounded map: a flood of made-up usernames only adds
 * rows, which age out, and never pushes out a real user's lockout; a restart keeps it too.
 */
export const LOGIN_LIMIT = { maxFailures: 10, windowMs: 15 * 60 * 1000 } as const;

export type LoginLimit = { readonly maxFailures: number; readonly windowMs: number };

/**
 * Counts an attempt before its password is checked, and returns the milliseconds until another
 * is allowed (0: go ahead). Counting first means a burst of parallel guesses, all in flight
 * before any of them failed, is held to the limit too; `loginSucceeded` takes the count back.
 * After `maxFailures` attempts in a window the user is locked out for `windowMs`.
 */
export async function claimLoginAttempt(db: Db, username: string, now = Date.now(), limit: LoginLimit = LOGIN_LIMIT): Promise<number> {
  const at = new Date(now).toISOString();
  const windowStart = new Date(now - limit.windowMs).toISOString();
  // One transaction, so concurrent attempts for one user are counted one after another.
  return db.transaction().execute(async (trx) => {
    // Pruned by age: a row whose window and lockout are over says nothing any more.
    await trx
      .deleteFrom('login_attempts')
      .where('updated_at', '<', windowStart)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
      .execute();
    const row = await trx.selectFrom('login_attempts').selectAll().where('username', '=', username).executeTakeFirst();
    if (row?.locked_until && row.locked_until > at) return Date.parse(row.locked_until) - now;

    const fresh = !row || row.window_started_at <= windowStart;
    const failures = fresh ? 0 : row.failures;
    if (failures >= limit.maxFailures) {
      const lockedUntil = new Date(now + limit.windowMs).toISOString();
      await trx.updateTable('login_attempts').set({ locked_until: lockedUntil, updated_at: at }).where('username', '=', username).execute();
      return limit.windowMs;
    }
    const next = { failures: failures + 1, window_started_at: fresh ? at : row.window_started_at, locked_until: null, updated_at: at };
    await trx
      .insertInto('login_attempts')
      .values({ username, ...next })
      .onConflict((oc) => oc.column('username').doUpdateSet(next))
      .execute();
    return 0;
  });
}

/** A correct password: the user's count starts again from nothing. */
export async function loginSucceeded(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('username', '=', username).execute();
}
