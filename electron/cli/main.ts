import { Command } from 'commander';
import { registerCollect } from './commands/collectCommand';
import { registerServe } from './commands/serveCommand';
import { registerStats } from './commands/statsCommand';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('payops')
    .description('payops: payment operations console (headless commands)')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');
  registerCollect(program);
  registerStats(program);
  registerServe(program);
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv);
}
