import { Command } from 'commander';
import { registerServe } from './serve.command.ts';
import { registerAdmin } from './admin.command.ts';
import { registerBackup } from './backup.command.ts';
import { registerKnowledge } from './knowledge.command.ts';
import { registerSimulate } from './simulate.command.ts';
import { registerReport } from './report.command.ts';
import { registerSync } from './sync.command.ts';

const program = new Command()
  .name('guidepost')
  .description('Guidepost: see where your engineering team needs guidance.')
  .showHelpAfterError('(run with --help for usage)');

registerServe(program);
registerAdmin(program);
registerBackup(program);
registerKnowledge(program);
registerSimulate(program);
registerReport(program);
registerSync(program);

await program.parseAsync(process.argv);
