import { Option, type Command } from 'commander';
import { countText } from '../../../shared/countText';
import { validateBrokerUrl } from '../../core/broker/brokerUrl';
import { MetricsFollower } from '../../core/metricsStream/metricsFollower';
import { redactUrl } from '../../core/redact';
import { openStore } from '../../core/store/store';
import { CliError, fail } from '../cliErrors';
import { positiveInt, positiveIntOrZero, positiveNumber } from '../cliOptions';
import { addNoMaskOption, listingMasker, maskedListing } from '../listingMasking';
import { logLine } from '../logLine';
import { printResult } from '../terminalText';

interface FollowFlags {
  amqp?: string;
  metricsStream: string;
  db: string;
  for?: number;
  drain?: boolean;
  batchSize: number;
  flushMs: number;
  durability: 'full' | 'normal';
  connectRetries: number;
  json?: boolean;
  mask?: boolean;
}

export function registerFollow(program: Command): void {
  const command = program
    .command('follow')
    .description("a follower console: apply a collector's metrics stream (--publish-metrics) to this database, from the offset it holds")
    .addOption(new Option('--amqp <url>', 'broker URL (or set PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL').makeOptionMandatory())
    .requiredOption('--metrics-stream <stream>', 'the stream queue a collector publishes with --publish-metrics')
    .requiredOption('--db <file>', 'SQLite database file of this follower (created if missing)')
    .option('--for <seconds>', 'stop after this many seconds', positiveNumber('--for'))
    .option('--drain', 'stop once everything the stream holds is applied')
    .option('--batch-size <n>', 'apply after this many messages', positiveInt('--batch-size'), 1000)
    .option('--flush-ms <ms>', 'or after this many milliseconds', positiveInt('--flush-ms'), 250)
    .addOption(new Option('--durability <mode>', 'full: fsync each commit (survives power loss); normal: survives a payops crash, not an OS crash').choices(['full', 'normal']).default('full'))
    .option('--connect-retries <n>', 'connection attempts at start before giving up (exit 2; a refused login exits 5 at once); reconnects later retry forever', positiveIntOrZero('--connect-retries'), 5)
    .option('--json', 'print the final summary as JSON');
  addNoMaskOption(command).action((flags: FollowFlags) => runFollow(flags).catch(fail));
}

async function runFollow(flags: FollowFlags): Promise<void> {
  if (!flags.amqp) throw new CliError('--amqp <url> is required (or set PAYOPS_AMQP_URL)');
  validateBrokerUrl(flags.amqp);
  const store = openStore(flags.db, { durability: flags.durability });
  const follower = new MetricsFollower({
    url: flags.amqp,
    stream: flags.metricsStream,
    store,
    batchSize: flags.batchSize,
    flushMs: flags.flushMs,
    initialRetries: flags.connectRetries,
    log: logLine,
  });
  const started = Date.now();
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    await follower.stop();
    const position = store.metricsStream.position(flags.metricsStream);
    const summary = {
      stream: flags.metricsStream,
      ...follower.totals,
      position,
      sources: store.metricsStream.sources(),
      stats: store.stats(),
      durationMs: Date.now() - started,
      stoppedBecause: why,
    };
    store.close();
    // What collectors wrote (their names, event types, a skipped message's reason quoting it): masked as `stats` and `collect` mask them.
    const shown = maskedListing(summary, listingMasker(flags));
    printResult(
      flags.json,
      flags.json
        ? `${JSON.stringify(shown)}\n`
        : `applied ${countText(shown.applied, 'metrics message')} (${countText(shown.duplicates, 'duplicate')}, ${shown.skipped} skipped) from ${shown.stream}; next offset ${position.nextOffset ?? '-'}; stopped: ${why}\n`,
    );
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  logLine(`follow: ${flags.metricsStream} on ${redactUrl(flags.amqp)} into ${flags.db}`);
  // As collect: a broker that cannot be reached within --connect-retries exits 2, a refused
  // login 5 (README "Exit codes"); --for counts from the connection, as collect's does.
  await follower.start();
  if (stopping) return;
  if (flags.for) setTimeout(() => void stop(`--for ${flags.for}s`), flags.for * 1000);
  if (flags.drain) {
    let caughtUpChecks = 0;
    const check = async (): Promise<void> => {
      if (stopping) return;
      caughtUpChecks = (await follower.caughtUp().catch(() => false)) ? caughtUpChecks + 1 : 0;
      if (caughtUpChecks >= 2) return void stop('drained');
      setTimeout(() => void check(), 200);
    };
    void check();
  }
}
