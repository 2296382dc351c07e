import { Command } from 'commander';
import { registerAlerts } from './commands/alertsCommand';
import { registerBacktest } from './commands/backtestCommand';
import { registerCollect } from './commands/collectCommand';
import { registerQueues } from './commands/queuesCommand';
import { registerDeadLetters } from './commands/deadLettersCommand';
import { registerFollow } from './commands/followCommand';
import { registerNotifications } from './commands/notificationsCommand';
import { registerExplain } from './commands/explainCommand';
import { registerPublish } from './commands/publishCommand';
import { registerReplay } from './commands/replayCommand';
import { registerReport } from './commands/reportCommand';
import { registerServe } from './commands/serveCommand';
import { registerSimulate } from './commands/simulateCommand';
import { registerStats } from './commands/statsCommand';
import { registerCompact } from './commands/compactCommand';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('payops')
    .description('payops: payment operations console (headless commands)')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');
  registerCollect(program);
  registerFollow(program);
  registerStats(program);
  registerCompact(program);
  registerServe(program);
  registerSimulate(program);
  registerReplay(program);
  registerPublish(program);
  registerReport(program);
  registerAlerts(program);
  registerBacktest(program);
  registerQueues(program);
  registerDeadLetters(program);
  registerNotifications(program);
  registerExplain(program);
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv);
}
