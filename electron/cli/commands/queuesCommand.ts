import { Option, type Command } from 'commander';
import { QueueReportError, reportQueues } from '../../core/broker/queueReport';
import type { QueueReport } from '../../../shared/queueStats';
import { formatDurationSeconds } from '../../../shared/durationText';
import { stuckConsumerText } from '../../../shared/queueStuck';
import { CliError, fail } from '../cliErrors';
import { displayWidth, padColumn, printJson, printText, visible } from '../terminalText';
import { positiveNumber, repeatable } from '../cliOptions';

export function registerQueues(program: Command): void {
  program
    .command('queues')
    .description('samples queues for a few seconds: depth, ready/unacked, consumers, rates, delay and time to drain')
    .addOption(new Option('--amqp <url>', 'broker URL, amqp:// or amqps:// (or PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL').makeOptionMandatory())
    .option('--management <url>', "management API (default: the AMQP host, port 15672; 'off': passive declare only)")
    .option('--watch <queue>', 'a queue to report, repeatable (default: every queue of the vhost, through the management API)', repeatable)
    .option('--sample <seconds>', 'how long to sample', positiveNumber('--sample'), 5)
    .option('--json', 'print one JSON array')
    .action(async (flags: { amqp: string; management?: string; watch?: string[]; sample: number; json?: boolean }) => {
      try {
        const { queues, notes } = await reportQueues({
          amqpUrl: flags.amqp,
          managementUrl: flags.management,
          queues: flags.watch ?? [],
          sampleSeconds: flags.sample,
        }).catch((err: unknown) => {
          if (err instanceof QueueReportError) throw new CliError(err.message, 1);
          throw err;
        });
        for (const n of notes) process.stderr.write(`payops: note: ${visible(n)}\n`);
        if (flags.json) printJson(queues);
        else printText(`${table(queues)}\n`);
      } catch (err) {
        fail(err);
      }
    });
}

/** Messages wait and nobody reads them: no delay can be given, and '-' would read as unknown. */
function paused(q: QueueReport): boolean {
  return q.type !== 'stream' && q.consumers === 0 && (q.messages ?? 0) > 0;
}

/**
 * How long messages wait, in seconds, and which figure it is: the oldest waiting message's age
 * where its producer stamped it (measured), else Little's law over depth and rates (estimated);
 * why there is none when nothing drains.
 */
function delayCell(q: QueueReport): string {
  const why = stuckConsumerText(q) ?? (paused(q) ? 'no consumers' : null);
  if (q.oldestMessageAgeSeconds !== null) return `${formatDurationSeconds(q.oldestMessageAgeSeconds)} oldest${why ? `, ${why}` : ''}`;
  // An empty queue's 0 is exact, not estimated.
  if (q.delaySeconds !== null) return `${formatDurationSeconds(q.delaySeconds)}${q.messages ? ' est.' : ''}`;
  return why ?? '-';
}

function table(queues: QueueReport[]): string {
  const num = (v: number | null, digits = 0) => (v === null ? '-' : v.toFixed(digits));
  const rows = queues.map((q) => [
    q.name,
    num(q.messages),
    num(q.ready),
    num(q.unacked),
    num(q.consumers),
    num(q.rates.publish, 1),
    num(q.rates.deliver, 1),
    num(q.rates.ack, 1),
    delayCell(q),
    // Without the broker's rates nothing is known of draining, and a stream never drains (it
    // keeps what it delivered): '-', not "not draining".
    q.drainSeconds !== null ? formatDurationSeconds(q.drainSeconds) : q.rates.deliver === null || q.type === 'stream' ? '-' : 'not draining',
    q.source,
  ].map(visible));
  const head = ['queue', 'messages', 'ready', 'unacked', 'consumers', 'publish/s', 'deliver/s', 'ack/s', 'delay', 'drain', 'source'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]))));
  return [head, ...rows].map((r) => r.map((c, i) => padColumn(c, widths[i])).join('  ').trimEnd()).join('\n');
}
