import type { Command } from 'commander';
import { connectDatabase, type Db } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { AppError } from '../server/errors.ts';
import { ADMIN_USERNAME, deleteUser, listUsers, setUserPassword } from '../server/auth/users.ts';
import { MIN_PASSWORD_LENGTH } from '../server/auth/password.ts';
import { action, loadConfig, requireDatabaseFile, withDbOptions, type DbOptions } from './common.ts';

/** Opens the database; `existing` for commands that only read or remove, where a mistyped --db must not make a new file. */
async function withDb(opts: DbOptions, fn: (db: Db) => Promise<void>, o: { existing?: boolean } = {}): Promise<void> {
  const config = loadConfig(opts);
  if (o.existing) requireDatabaseFile(config.dbPath, config.databaseUrl);
  const db = await connectDatabase(config);
  try {
    await migrateToLatest(db);
    await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Reads a password: typed twice without echo on a terminal, or the first line of piped stdin. */
async function readPassword(what: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
  }
  const first = await promptHidden(`${what} (${MIN_PASSWORD_LENGTH}+ characters): `);
  const again = await promptHidden('Again, to be sure: ');
  if (first !== again) throw new AppError('bad_request', 'The two passwords differ. Nothing was changed.');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AppError('bad_request', 'Cancelled. Nothing was changed.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('manage who may log in (needed before serving beyond 127.0.0.1)');

  withDbOptions(admin.command('set-password'))
    .description('set the admin password (asks for it; or pipe it on stdin); ends that user\'s sessions')
    .option('--username <name>', 'admin user to create or update', ADMIN_USERNAME)
    .action(
      action(async (opts: DbOptions & { username: string }) => {
        const password = await readPassword(`New password for ${opts.username}`);
        await withDb(opts, async (db) => {
          await setUserPassword(db, opts.username, 'admin', password);
        });
        process.stdout.write(`Password set for admin ${opts.username}. Serve with --host to let others log in.\n`);
      }),
    );

  withDbOptions(admin.command('add-viewer'))
    .description('add a read-only user, or reset their password (asks for it; or pipe it on stdin)')
    .argument('<username>', 'the viewer\'s login name')
    .action(
      action(async (username: string, opts: DbOptions) => {
        const password = await readPassword(`Password for viewer ${username}`);
        await withDb(opts, async (db) => {
          await setUserPassword(db, username, 'viewer', password);
        });
        process.stdout.write(`Viewer ${username.trim().toLowerCase()} can now log in and look, but not change anything.\n`);
      }),
    );

  withDbOptions(admin.command('list'))
    .description('list users and their roles')
    .action(
      action(async (opts: DbOptions) => {
        await withDb(opts, async (db) => {
          for (const u of await listUsers(db)) process.stdout.write(`${u.username}\t${u.role}\tsince ${u.created_at}\n`);
        }, { existing: true });
      }),
    );

  withDbOptions(admin.command('remove'))
    .description('remove a user and end their sessions')
    .argument('<username>', 'who to remove')
    .action(
      action(async (username: string, opts: DbOptions) => {
        await withDb(opts, async (db) => {
          const users = await listUsers(db);
          const admins = users.filter((u) => u.role === 'admin');
          if (admins.length === 1 && admins[0]?.username === username.trim().toLowerCase()) {
            throw new AppError('conflict', `${username} is the only admin; without one a server beyond 127.0.0.1 will not start. Add another admin first.`);
          }
          if (!(await deleteUser(db, username))) throw new AppError('not_found', `There is no user ${username}.`);
        }, { existing: true });
        process.stdout.write(`Removed ${username}.\n`);
      }),
    );
}
