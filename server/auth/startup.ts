import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ADMIN_USERNAME, hasAdmin, setUserPassword } from './users.ts';

export const HOW_TO_SET_ADMIN =
  'Set an admin password first: run `guidepost admin set-password` (it asks for the password), ' +
  'or start once with the environment variable GUIDEPOST_ADMIN_PASSWORD set (12 characters or more).';

/**
 * Before listening: creates the admin from GUIDEPOST_ADMIN_PASSWORD on first run, and refuses to
 * serve a login-protected server (any non-loopback address) that nobody could log in to.
 */
export async function prepareAccess(db: Db, config: Config, logger: Logger): Promise<void> {
  const adminExists = await hasAdmin(db);
  if (config.adminPassword && !adminExists) {
    await setUserPassword(db, ADMIN_USERNAME, 'admin', config.adminPassword);
    logger.info({ username: ADMIN_USERNAME }, 'admin created from GUIDEPOST_ADMIN_PASSWORD');
  } else if (config.adminPassword) {
    logger.info('GUIDEPOST_ADMIN_PASSWORD ignored: an admin exists already; `guidepost admin set-password` changes it');
  } else if (config.requireAuth && !adminExists) {
    throw new AppError('invalid_config', `Refusing to start: listening on ${config.host} requires a login, but no admin is configured. ${HOW_TO_SET_ADMIN}`);
  }
}
