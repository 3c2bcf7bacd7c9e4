import { Command } from 'commander';
import { registerServe } from './serve.command.ts';

const program = new Command()
  .name('guidepost')
  .description('Guidepost: see where your engineering team needs guidance.')
  .showHelpAfterError('(run with --help for usage)');

registerServe(program);

await program.parseAsync(process.argv);
