import { countText } from '../../../shared/countText';
import { Option, type Command } from 'commander';
import { validateBrokerUrl } from '../../core/broker/brokerUrl';
import { redactUrl } from '../../core/redact';
import { publishTraffic } from '../../core/sim/publishTraffic';
import { SCENARIO_NAMES, type ScenarioName } from '../../core/sim/scenarios';
import { CliError, fail } from '../cliErrors';
import { integer, positiveNumber } from '../cliOptions';
import { logLine } from '../logLine';
import { printResult } from '../terminalText';
import { formatSeconds } from '../../../shared/format';

interface SimulateFlags {
  amqp?: string;
  exchange: string;
  rate: number;
  for: number;
  scenario: ScenarioName;
  seed: number;
  anomalyAfter?: number;
  anomalyFor?: number;
  json?: boolean;
}

const seconds = (name: string) => positiveNumber(name);

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('publish realistic payment and risk traffic (seeded, so runs repeat) with a named incident scenario')
    .addOption(new Option('--amqp <url>', 'broker URL (or PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL'))
    .option('--exchange <name>', 'topic exchange to publish to', 'payments')
    .option('--rate <n>', 'events per second', positiveNumber('--rate'), 200)
    .option('--for <seconds>', 'how long to publish', positiveNumber('--for'), 60)
    .addOption(new Option('--scenario <name>', 'incident scenario').choices([...SCENARIO_NAMES]).default('normal'))
    .option('--seed <n>', 'seed: the same seed gives the same events', integer('--seed'), 1)
    .option('--anomaly-after <seconds>', 'when the scenario\'s incident starts (default 20 s)', seconds('--anomaly-after'))
    .option('--anomaly-for <seconds>', 'how long the incident lasts (default 120 s)', seconds('--anomaly-for'))
    .option('--json', 'print the summary as JSON')
    .action((flags: SimulateFlags) => runSimulate(flags).catch(fail));
}

async function runSimulate(flags: SimulateFlags): Promise<void> {
  if (!flags.amqp) throw new CliError('--amqp <url> is required (or set PAYOPS_AMQP_URL)');
  validateBrokerUrl(flags.amqp);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  logLine(`simulating ${flags.scenario} at ${flags.rate}/s for ${flags.for}s to ${redactUrl(flags.amqp)} exchange ${flags.exchange} (seed ${flags.seed})`);
  const started = Date.now();
  const result = await publishTraffic({
    url: flags.amqp,
    exchange: flags.exchange,
    rate: flags.rate,
    forSeconds: flags.for,
    scenario: flags.scenario,
    seed: flags.seed,
    timings: {
      ...(flags.anomalyAfter !== undefined ? { anomalyStartMs: flags.anomalyAfter * 1000 } : {}),
      ...(flags.anomalyFor !== undefined ? { anomalyDurationMs: flags.anomalyFor * 1000 } : {}),
    },
    signal: controller.signal,
  });
  const summary = { published: result.published, scenario: flags.scenario, seed: flags.seed, durationMs: Date.now() - started };
  printResult(flags.json, flags.json ? `${JSON.stringify(summary)}\n` : `published ${countText(summary.published, 'event')} (${flags.scenario}, seed ${flags.seed}) in ${formatSeconds(summary.durationMs)}\n`);
}
