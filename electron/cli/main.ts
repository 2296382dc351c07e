import { Command } from 'commander';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

type Register = (program: Command) => void;

/**
 * Each command's module, loaded on demand: a module pulls in the broker client, SQLite, the
 * engine or the web host, and loading all fifteen cost ~0.4 s on every start. In help order.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Register]> = [
  ['collect', () => require('./commands/collectCommand').registerCollect],
  ['follow', () => require('./commands/followCommand').registerFollow],
  ['stats', () => require('./commands/statsCommand').registerStats],
  ['compact', () => require('./commands/compactCommand').registerCompact],
  ['serve', () => require('./commands/serveCommand').registerServe],
  ['simulate', () => require('./commands/simulateCommand').registerSimulate],
  ['replay', () => require('./commands/replayCommand').registerReplay],
  ['publish', () => require('./commands/publishCommand').registerPublish],
  ['report', () => require('./commands/reportCommand').registerReport],
  ['alerts', () => require('./commands/alertsCommand').registerAlerts],
  ['backtest', () => require('./commands/backtestCommand').registerBacktest],
  ['queues', () => require('./commands/queuesCommand').registerQueues],
  ['dead-letters', () => require('./commands/deadLettersCommand').registerDeadLetters],
  ['notifications', () => require('./commands/notificationsCommand').registerNotifications],
  ['explain', () => require('./commands/explainCommand').registerExplain],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The command names, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * The CLI. Given the process arguments, a run of one named command registers only that command
 * (its help, flags and errors are its own, so they read the same); anything else (`--help`,
 * `help`, `--version`, an unknown or missing command) registers them all.
 */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command('payops')
    .description('payops: payment operations console (headless commands)')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');
  const requested = argv?.[2];
  const only = COMMANDS.find(([name]) => name === requested);
  for (const [, load] of only ? [only] : COMMANDS) load()(program);
  return program;
}

if (require.main === module) {
  buildProgram(process.argv).parseAsync(process.argv);
}
