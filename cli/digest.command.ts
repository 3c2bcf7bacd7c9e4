import type { Command } from 'commander';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { AppError } from '../server/errors.ts';
import { readSettings } from '../server/settings.ts';
import { digestContent } from '../server/digest/digest.content.ts';
import { digestText } from '../server/digest/digest.render.ts';
import { digestDestinations, NOTHING_CONFIGURED, sendDigest } from '../server/digest/digest.send.ts';
import { deriveAfterSync } from '../jobs/derive/signals.derive.ts';
import { action, loadConfig, requireDatabaseFile, withDbOptions, type DbOptions } from './common.ts';
import { terminalSafe } from './terminal.ts';

interface DigestOptions extends DbOptions {
  preview?: boolean;
  send?: boolean;
}

export function registerDigest(program: Command): void {
  withDbOptions(program.command('digest'))
    .description("the weekly digest (the leader's brief): --preview prints it, --send sends it now to every destination configured")
    .option('--preview', 'print the digest as text and send nothing')
    .option('--send', 'send it now by e-mail, Slack and Teams, as configured; one line per destination, exit code 1 if any failed')
    .action(
      action(async (opts: DigestOptions) => {
        if (opts.preview === opts.send) throw new AppError('bad_request', 'Say what to do: guidepost digest --preview prints the digest, guidepost digest --send sends it now.');
        const config = loadConfig(opts);
        requireDatabaseFile(config.dbPath, config.databaseUrl);
        const db = await connectDatabase(config);
        try {
          await migrateToLatest(db);
          // The digest reads the signals: bring them up to date with the last sync first.
          await deriveAfterSync(db);
          if (opts.preview) {
            process.stdout.write(terminalSafe(digestText(await digestContent(db, config.digest))));
            const destinations = digestDestinations(config.digest, (await readSettings(db)).digest.recipients);
            process.stderr.write(destinations.length ? `Not sent. --send would send it to: ${destinations.map((d) => d.label).join('; ')}.\n` : `Not sent. ${NOTHING_CONFIGURED}\n`);
            return;
          }
          const results = await sendDigest(db, config.digest, 'manual');
          for (const r of results) process.stdout.write(`${terminalSafe(r.ok ? `${r.label}: sent` : `${r.label}: not sent: ${r.error}`)}\n`);
          if (results.some((r) => !r.ok)) process.exitCode = 1;
        } finally {
          await db.destroy();
        }
      }),
    );
}
