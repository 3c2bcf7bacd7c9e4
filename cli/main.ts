import { readFileSync } from 'node:fs';
import { Command } from 'commander';

// Each command lives in its own module. Only the one being run is loaded, so `guidepost
// knowledge` does not pay for the GraphQL schema or the simulator; `--help` loads them all.
const commands: Record<string, () => Promise<(program: Command) => void>> = {
  serve: async () => (await import('./serve.command.ts')).registerServe,
  sync: async () => (await import('./sync.command.ts')).registerSync,
  knowledge: async () => (await import('./knowledge.command.ts')).registerKnowledge,
  report: async () => (await import('./report.command.ts')).registerReport,
  digest: async () => (await import('./digest.command.ts')).registerDigest,
  simulate: async () => (await import('./simulate.command.ts')).registerSimulate,
  admin: async () => (await import('./admin.command.ts')).registerAdmin,
  backup: async () => (await import('./backup.command.ts')).registerBackup,
  worker: async () => (await import('./worker.command.ts')).registerWorker,
  'migrate-db': async () => (await import('./migrate-db.command.ts')).registerMigrateDb,
};
// Commands registered by a module under another name (restore lives with backup).
const aliases: Record<string, string> = { restore: 'backup' };

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('guidepost')
  .description('Guidepost: see where your engineering team needs guidance.')
  .version(version, '-V, --version', 'print the version of Guidepost')
  .showHelpAfterError('(run with --help for usage)');

const requested = process.argv[2] ?? '';
const name = aliases[requested] ?? requested;
// The version needs no command at all.
const toLoad = name in commands ? [name] : name === '--version' || name === '-V' ? [] : Object.keys(commands);
for (const key of toLoad) (await commands[key]!())(program);

await program.parseAsync(process.argv);
