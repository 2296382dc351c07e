import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_BROKER, type BrokerConfig } from '../core/broker/brokerConfig';
import { validateBrokerUrl } from '../core/broker/brokerUrl';
import { parseStreamOffset } from '../core/replay/streamOffset';
import { CliError } from './cliErrors';

export function repeatable(value: string, previous?: unknown): string[] {
  // `previous` is not always a list: after a negation (`--no-mask --mask x`) it is false.
  return Array.isArray(previous) ? [...(previous as string[]), value] : [value];
}

/** Plain decimal digits only: Number() would also take '', ' ', '0x10', '1e3' and '0b1'. */
function wholeNumber(value: string): number {
  return /^\d+$/.test(value.trim()) ? Number(value) : NaN;
}

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = wholeNumber(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number`);
    return n;
  };
}

export function positiveIntOrZero(name: string) {
  return (value: string): number => {
    const n = wholeNumber(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
}

/** A whole number that may be negative (a seed): plain decimal digits, as the other numeric flags. */
export function integer(name: string) {
  return (value: string): number => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
}

/** A TCP port, 0 meaning any free one. */
export function portNumber(name: string) {
  return (value: string): number => {
    const n = wholeNumber(value);
    if (!Number.isSafeInteger(n) || n > 65535) throw new InvalidArgumentError(`${name} must be a whole number from 0 to 65535`);
    return n;
  };
}

/** Plain decimal, a fraction allowed ('0.5', '.5'): Number() would also take '0x10', '1e3' and '0b1'. */
function decimalNumber(value: string): number {
  return /^(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? Number(value) : NaN;
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = decimalNumber(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

export function nonNegativeNumber(name: string) {
  return (value: string): number => {
    const n = decimalNumber(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number, 0 or more`);
    return n;
  };
}

export interface BrokerFlags {
  amqp?: string;
  exchange: string;
  exchangeType: BrokerConfig['exchangeType'];
  bind: string[];
  queue?: string;
  queueType: BrokerConfig['queueType'];
  /** Hours; 0: no expiry. */
  queueExpires?: number;
  prefetch: number;
  watch: string[];
  management?: string;
  streamOffset?: string;
}

/** The broker flags `collect`, `serve` and `replay --from-stream` share. */
export function addBrokerFlags(cmd: Command, amqpRequired: boolean): Command {
  const amqp = new Option('--amqp <url>', 'broker URL, amqp:// or amqps:// (or set PAYOPS_AMQP_URL to keep the password off the command line)')
    .env('PAYOPS_AMQP_URL');
  if (amqpRequired) amqp.makeOptionMandatory();
  return cmd
    .addOption(amqp)
    .option('--exchange <name>', 'exchange to bind to', DEFAULT_BROKER.exchange)
    .addOption(
      new Option('--exchange-type <type>', 'exchange type').choices(['topic', 'direct', 'fanout', 'headers']).default('topic'),
    )
    .option('--bind <key>', 'binding key, repeatable (default: payment.# and risk.#)', repeatable)
    .option(
      '--queue <name>',
      "the queue to consume (default: this console's own, payops.console.<host>.<id>; a name shared with another console splits the messages between them)",
    )
    .addOption(new Option('--queue-type <type>', 'queue type').choices(['classic', 'quorum', 'stream']).default('classic'))
    .option(
      '--queue-expires <hours>',
      "x-expires of the queue in hours, 0 for none (default: 24 for the console's own queue, none for a --queue you name)",
      nonNegativeNumber('--queue-expires'),
    )
    .option('--prefetch <n>', 'unacknowledged messages the broker may send ahead', positiveInt('--prefetch'), DEFAULT_BROKER.prefetch)
    .option('--watch <queue>', 'another queue whose depth and consumers to poll, repeatable', repeatable)
    .option('--management <url>', "management API for rates and node alarms (default: the AMQP host, port 15672; 'off': passive declare only)")
    .option('--stream-offset <offset>', `stream queues: ${STREAM_OFFSET_HELP}`, checkStreamOffset);
}

export function brokerConfigFrom(flags: BrokerFlags): BrokerConfig | undefined {
  if (!flags.amqp) return undefined;
  validateBrokerUrl(flags.amqp);
  // Only a stream has offsets: for another queue the flag would be dropped without a word.
  if (flags.streamOffset !== undefined && flags.queueType !== 'stream') {
    throw new CliError(`--stream-offset needs --queue-type stream (a ${flags.queueType} queue has no offsets to start from)`);
  }
  return {
    url: flags.amqp,
    exchange: flags.exchange,
    exchangeType: flags.exchangeType,
    bindings: flags.bind && flags.bind.length > 0 ? flags.bind : DEFAULT_BROKER.bindings,
    queue: flags.queue,
    queueType: flags.queueType,
    queueExpiresMs: flags.queueExpires === undefined ? undefined : Math.round(flags.queueExpires * 3_600_000),
    prefetch: flags.prefetch,
    watchQueues: flags.watch ?? [],
    managementUrl: flags.management,
    streamOffset: flags.streamOffset === undefined ? undefined : streamOffsetFlag(flags.streamOffset),
  };
}

/** `--stream-offset`, the one name `collect` and `replay --from-stream` share for it. */
export const STREAM_OFFSET_HELP = 'where to start reading: first, last, next, a number, an ISO time or @epoch-ms';

/** Refuses a bad `--stream-offset` while parsing argv (a usage error, exit 1); keeps the text. */
export function checkStreamOffset(value: string): string {
  streamOffsetFlag(value);
  return value;
}

/** Parses `--stream-offset` (one parser for both commands: electron/core/replay/streamOffset). */
export function streamOffsetFlag(value: string): NonNullable<BrokerConfig['streamOffset']> {
  try {
    return parseStreamOffset(value);
  } catch (err) {
    throw new InvalidArgumentError(`--stream-offset: ${(err as Error).message}`);
  }
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Epoch ms of an ISO 8601 date or date-time, or why it names no instant. A time without an
 * offset is UTC, not the machine's zone: one command line means one window on every workstation
 * (Date.parse would read it as local time). Dates that do not exist (February 30) are refused,
 * not rolled over, and so are offsets no clock has (+25:00), which would move the window.
 */
export function readIsoTime(value: string): { ms: number } | { error: string } {
  const m = ISO_TIME.exec(value.trim());
  if (!m) return { error: 'not an ISO 8601 time' };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0));
  if (month < 1 || month > 12) return { error: `there is no month ${m[2]}` };
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > days) return { error: `${m[1]}-${m[2]}-${m[3]} does not exist, ${MONTHS[month - 1]} ${year} has ${days} days` };
  if (hour > 23 || minute > 59 || second > 59) return { error: `${m[4]}:${m[5]}${m[6] === undefined ? '' : `:${m[6]}`} is not a time of day` };
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, m[7] ? Math.floor(Number(m[7]) * 1000) : 0);
  const zone = m[8];
  if (!zone || zone.toUpperCase() === 'Z') return { ms: at.getTime() };
  const [, sign, zh, zm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(zh) > 23 || Number(zm) > 59) return { error: `${zone} is not an offset from UTC (hours 00-23, minutes 00-59)` };
  return { ms: at.getTime() - (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000 };
}

/** Epoch ms of an ISO 8601 date or date-time (readIsoTime), or null. */
export function parseIsoTime(value: string): number | null {
  const read = readIsoTime(value);
  return 'ms' in read && Number.isFinite(read.ms) ? read.ms : null;
}

/** A command-line time flag (`--from`, `--since`): ISO 8601 (readIsoTime), or with `epochMs` also a whole number of epoch ms. */
export function isoTime(name: string, options: { epochMs?: boolean } = {}) {
  return (value: string): number => {
    const read = options.epochMs && /^\d+$/.test(value) ? { ms: Number(value) } : readIsoTime(value);
    if (!('ms' in read) || !Number.isFinite(read.ms)) {
      // Text that is no time at all gets the form; one that looks like a time also gets what is wrong with it.
      const why = 'error' in read && read.error !== 'not an ISO 8601 time' ? `: ${read.error}` : '';
      throw new InvalidArgumentError(`${name} must be an ISO 8601 time such as 2026-11-23T05:00:00Z (without an offset it is UTC)${options.epochMs ? ', or epoch ms' : ''}${why}`);
    }
    return read.ms;
  };
}
