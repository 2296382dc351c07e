import type { Channel, Options } from 'amqplib';
import type { BrokerConfig } from './brokerConfig';

/** Declares the exchange, the console's own queue (classic, quorum or stream) and its bindings. */
export async function declareTopology(ch: Channel, config: BrokerConfig): Promise<void> {
  await ch.assertExchange(config.exchange, config.exchangeType, { durable: true });
  const options: Options.AssertQueue = { durable: true };
  if (config.queueType !== 'classic') options.arguments = { 'x-queue-type': config.queueType };
  await ch.assertQueue(config.queue, options);
  const keys = config.exchangeType === 'fanout' || config.exchangeType === 'headers' ? [''] : config.bindings;
  for (const key of keys) await ch.bindQueue(config.queue, config.exchange, key);
}

export function consumeArguments(config: BrokerConfig): Record<string, unknown> | undefined {
  if (config.queueType !== 'stream') return undefined;
  const offset = config.streamOffset ?? 'next';
  // amqplib would encode a Date as an empty table: a time offset must be an AMQP timestamp (seconds).
  return {
    'x-stream-offset': offset instanceof Date ? { '!': 'timestamp', value: Math.floor(offset.getTime() / 1000) } : offset,
  };
}
