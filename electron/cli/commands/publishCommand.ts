import readline from 'node:readline';
import { countText } from '../../../shared/countText';
import { Option, type Command } from 'commander';
import {
  isReadOnlyEnv,
  LIVE_SOURCE_EXCHANGES,
  publishCapture,
  PublishRefusedError,
  type PublishPlan,
} from '../../core/replay/capturePublisher';
import { CliError, fail } from '../cliErrors';
import { positiveInt, positiveNumber } from '../cliOptions';
import { logLine } from '../logLine';
import { printResult } from '../terminalText';
import { formatSeconds } from '../../../shared/format';

interface PublishFlags {
  amqp?: string;
  exchange: string;
  rate?: number;
  yes?: boolean;
  readOnly?: boolean;
  allowLiveExchange?: boolean;
  includeQuarantined?: boolean;
  maxBodyBytes?: number;
  json?: boolean;
}

const HELP_AFTER = `
Guards:
  - the target exchange is required and must exist; the live source exchange
    (${LIVE_SOURCE_EXCHANGES.join(', ')}) is refused unless --allow-live-exchange;
  - read-only mode (PAYOPS_READ_ONLY=1 or --read-only) refuses re-publishing;
  - the count and target are shown and must be confirmed: interactively on a terminal,
    or with --yes (without a terminal and without --yes, nothing is published);
  - messages go out with publisher confirms (the count printed is what the broker
    confirmed) and the mandatory flag (unroutable messages are counted);
  - lines the console would quarantine are left out unless --include-quarantined;
    unreadable lines are never sent;
  - a capture that breaks off (a cut or corrupt gzip, a last line cut mid-line) is
    published up to the break, said as a warning and "truncated": true, and exits 1.
Each message keeps its recorded routing key, headers and content type; a plain
CloudEvent line is sent with its type as routing key.`;

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('re-publish a capture to an exchange (guarded: explicit target, confirmation, rate limit, publisher confirms)')
    .argument('<capture>', 'capture file: .ndjson, .jsonl, optionally .gz')
    .addOption(new Option('--amqp <url>', 'target broker URL (or PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL'))
    .requiredOption('--exchange <name>', 'target exchange (no default; must exist)')
    .option('--rate <n>', 'messages per second (default: as fast as confirms allow)', positiveNumber('--rate'))
    .option('--yes', 'do not ask: publish after printing the count and target (for scripts)')
    .option('--read-only', 'read-only mode: refuse (as PAYOPS_READ_ONLY=1 does)')
    .option('--allow-live-exchange', 'allow the live source exchange as target')
    .option('--include-quarantined', 'also send the messages the console would quarantine')
    .option('--max-body-bytes <n>', 'bodies larger than this count as quarantined', positiveInt('--max-body-bytes'))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP_AFTER)
    .action((capture: string, flags: PublishFlags) => runPublish(capture, flags).catch(fail));
}

function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

async function runPublish(capture: string, flags: PublishFlags): Promise<void> {
  const readOnly = (flags.readOnly ?? false) || isReadOnlyEnv();
  if (!flags.amqp && !readOnly) throw new CliError('--amqp <url> is required (or set PAYOPS_AMQP_URL)');
  let lastProgress = 0;
  try {
    const result = await publishCapture({
      file: capture,
      url: flags.amqp ?? '',
      exchange: flags.exchange,
      rate: flags.rate,
      includeQuarantined: flags.includeQuarantined ?? false,
      readOnly,
      allowLiveExchange: flags.allowLiveExchange ?? false,
      maxBodyBytes: flags.maxBodyBytes,
      confirm: async (plan: PublishPlan) => {
        if (flags.yes) {
          logLine(`confirmed by --yes: ${plan.summary}`);
          return true;
        }
        if (!process.stdin.isTTY) {
          throw new PublishRefusedError(
            'not-confirmed',
            `refusing without confirmation (no terminal to ask on; pass --yes): would ${plan.summary}`,
          );
        }
        return ask(`${plan.summary[0].toUpperCase()}${plan.summary.slice(1)}?\nType y to publish: `);
      },
      onProgress: (p) => {
        if (Date.now() - lastProgress < 2000 || flags.json) return;
        lastProgress = Date.now();
        logLine(`published ${p.published} of ${p.total}`);
      },
    });
    if (result.plan.readError) logLine(`warning: the capture could not be read to its end; published what came before: ${result.plan.readError}`);
    const out = {
      published: result.published,
      nacked: result.nacked,
      unroutable: result.unroutable,
      count: result.plan.count,
      skippedQuarantined: result.plan.skippedQuarantined,
      badLines: result.plan.badLines,
      exchange: result.plan.target.exchange,
      broker: result.plan.target.url,
      confirms: true,
      durationMs: result.durationMs,
      readError: result.plan.readError,
      // The capture breaks off (as replay's truncated): what came before the break was published.
      truncated: result.plan.truncated,
    };
    printResult(
      flags.json,
      flags.json
        ? `${JSON.stringify(out)}\n`
        : `published ${countText(out.published, 'message')} (confirmed by the broker) to exchange "${out.exchange}" on ${out.broker}` +
            `${out.nacked ? `; ${out.nacked} refused` : ''}${out.unroutable ? `; ${out.unroutable} unroutable (no queue bound)` : ''}` +
            ` in ${formatSeconds(out.durationMs)}\n`,
    );
    // A capture that breaks off exits 1, as `payops replay` does for it (what came before was sent).
    process.exit(out.nacked > 0 || out.published < out.count ? 4 : out.truncated ? 1 : 0);
  } catch (err) {
    if (err instanceof PublishRefusedError) throw new CliError(err.message);
    throw err;
  }
}
