import type { Channel, Options } from 'amqplib';
import type { NamedQueueConfig } from './brokerConfig';
import { queueExpiresMs } from './consoleQueue';

/** The console queue's declare arguments: its type, and its expiry (x-expires) when it has one. */
export function queueArguments(config: NamedQueueConfig): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = {};
  if (config.queueType !== 'classic') args['x-queue-type'] = config.queueType;
  const expires = queueExpiresMs(config);
  if (expires !== null) args['x-expires'] = expires;
  return Object.keys(args).length ? args : undefined;
}

/** The arguments payops chooses for a queue it declares; a refusal over one of them is the operator's to settle. */
const ARGUMENTS_PAYOPS_SETS = new Set(['x-queue-type', 'x-expires']);
/** Arguments of an existing queue taken on, at most (each costs one refused declare). */
const MAX_ADOPTED_ARGUMENTS = 16;

const INEQUIVALENT_ARG = /inequivalent arg '([^']+)' for queue '[^']*' in vhost '[^']*': received .+? but current is the value '([^']*)' of type '([^']+)'/;
const NUMBER_TYPES = new Set(['byte', 'short', 'signedint', 'long', 'unsignedbyte', 'unsignedshort', 'unsignedint', 'float', 'double']);

/** The argument an existing queue holds that a declare did not, as its name and value, or null. */
export function existingArgument(err: unknown): [name: string, value: unknown] | null {
  const m = INEQUIVALENT_ARG.exec(err instanceof Error ? err.message : String(err));
  if (!m) return null;
  const [, name, text, type] = m;
  if (NUMBER_TYPES.has(type)) return Number.isFinite(Number(text)) ? [name, Number(text)] : null;
  if (type === 'longstr') return [name, text];
  if (type === 'bool') return [name, text === 'true'];
  return null;
}

/**
 * Declares the exchange, the console's queue (durable; classic, quorum or stream) and its
 * bindings. A queue that exists with arguments payops does not set (a stream's retention:
 * x-max-age, x-max-length-bytes; a classic queue's x-max-length, a dead-letter exchange) is
 * used as it is: the broker refuses a declare without them, one at a time, so each is taken on
 * and the declare made again, on a channel of its own (`openChannel`: a refusal closes it).
 * A refusal over the queue's type or expiry is not papered over: it is the operator's to settle.
 */
export async function declareTopology(ch: Channel, config: NamedQueueConfig, openChannel: () => Promise<Channel>, log: (line: string) => void = () => undefined): Promise<void> {
  if (config.existingQueue) {
    await ch.checkQueue(config.queue);
    return;
  }
  await ch.assertExchange(config.exchange, config.exchangeType, { durable: true });
  const args: Record<string, unknown> = { ...queueArguments(config) };
  const adopted: string[] = [];
  for (;;) {
    const probe = await openChannel();
    probe.on('error', () => undefined);
    try {
      await probe.assertQueue(config.queue, { durable: true, ...(Object.keys(args).length ? { arguments: args } : {}) } satisfies Options.AssertQueue);
      await probe.close().catch(() => undefined);
      break;
    } catch (err) {
      const existing = existingArgument(err);
      if (!existing || ARGUMENTS_PAYOPS_SETS.has(existing[0]) || existing[0] in args || adopted.length >= MAX_ADOPTED_ARGUMENTS) throw err;
      args[existing[0]] = existing[1];
      adopted.push(`${existing[0]}=${String(existing[1])}`);
    }
  }
  if (adopted.length) log(`queue ${config.queue} exists with arguments of its own (${adopted.join(', ')}): used as it is`);
  const keys = config.exchangeType === 'fanout' || config.exchangeType === 'headers' ? [''] : config.bindings;
  for (const key of keys) await ch.bindQueue(config.queue, config.exchange, key);
}

export function consumeArguments(config: NamedQueueConfig): Record<string, unknown> | undefined {
  if (config.queueType !== 'stream') return undefined;
  const offset = config.streamOffset ?? 'next';
  // amqplib would encode a Date as an empty table: a time offset must be an AMQP timestamp (seconds).
  return {
    'x-stream-offset': offset instanceof Date ? { '!': 'timestamp', value: Math.floor(offset.getTime() / 1000) } : offset,
  };
}
