import { Command } from 'commander';
import { registerServe } from './serve.command.ts';
import { registerKnowledge } from './knowledge.command.ts';
import { registerSimulate } from './simulate.command.ts';

const program = new Command()
  .name('guidepost')
  .description('Guidepost: see where your engineering team needs guidance.')
  .showHelpAfterError('(run with --help for usage)');

registerServe(program);
registerKnowledge(program);
registerSimulate(program);

await program.parseAsync(process.argv);
