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

/** Declares the exchange, the console's queue (durable; classic, quorum or stream) and its bindings. */
export async function declareTopology(ch: Channel, config: NamedQueueConfig): Promise<void> {
  await ch.assertExchange(config.exchange, config.exchangeType, { durable: true });
  const options: Options.AssertQueue = { durable: true };
  const args = queueArguments(config);
  if (args) options.arguments = args;
  await ch.assertQueue(config.queue, options);
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
