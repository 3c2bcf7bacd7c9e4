import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { validate } from '../middleware/validate.ts';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../auth/cookies.ts';
import { claimLoginAttempt, loginSucceeded } from '../auth/login-limit.ts';
import { dummyPasswordHash, MAX_PASSWORD_LENGTH, verifyPassword } from '../auth/password.ts';
import { createSession, deleteSession } from '../auth/sessions.ts';
import { ADMIN_USERNAME, createFirstAdmin, findUser, hasAdmin } from '../auth/users.ts';

const LoginBody = z.object({
  username: z.string().trim().min(1).max(64).default(ADMIN_USERNAME),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const SetupBody = z.object({ password: z.string().max(MAX_PASSWORD_LENGTH) });
const ADMIN_EXISTS = 'An admin exists already. Log in, or change the password with `guidepost admin set-password`.';

/** Login, logout, first-run setup and "who am I"; mounted at /api/auth and open without a session. */
export function authRoutes() {
  return new Hono<AppEnv>()
    .get('/me', async (c) => {
      const { db, config } = c.get('deps');
      const user = c.get('sessionUser');
      return c.json({
        user: user ? { username: user.username, role: user.role } : null,
        authRequired: config.requireAuth,
        setupNeeded: !(await hasAdmin(db)),
        csrfToken: c.get('csrfToken'),
      });
    })
    .post('/login', validate('json', LoginBody), async (c) => {
      const { db, config } = c.get('deps');
      const { username, password } = c.req.valid('json');
      const key = username.toLowerCase();
      // Counted before the password is checked, so parallel guesses cannot outrun the limit.
      const wait = await claimLoginAttempt(db, key);
      if (wait > 0) {
        const minutes = Math.ceil(wait / 60_000);
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        throw new AppError('rate_limited', `Too many failed logins for this user. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
      }
      const user = await findUser(db, key);
      // Unknown users cost a full hash too, so timing does not reveal who exists.
      const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
      if (!user || !ok) throw new AppError('unauthorized', 'Wrong username or password.');
      await loginSucceeded(db, key);
      const session = await createSession(db, user.id);
      writeSessionCookie(c, config, session.id, session.expiresAt);
      return c.json({ user: { username: user.username, role: user.role } });
    })
    .post('/logout', async (c) => {
      const { db, config } = c.get('deps');
      await deleteSession(db, readSessionCookie(c));
      clearSessionCookie(c, config);
      return c.json({ ok: true });
    })
    .post('/setup', validate('json', SetupBody), async (c) => {
      const { db, config } = c.get('deps');
      // Checked first only to answer quickly; createFirstAdmin checks again, atomically.
      if (await hasAdmin(db)) throw new AppError('conflict', ADMIN_EXISTS);
      const user = await createFirstAdmin(db, c.req.valid('json').password);
      if (!user) throw new AppError('conflict', ADMIN_EXISTS);
      const session = await createSession(db, user.id);
      writeSessionCookie(c, config, session.id, session.expiresAt);
      return c.json({ user: { username: user.username, role: user.role } }, 201);
    });
}
