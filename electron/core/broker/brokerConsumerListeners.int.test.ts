// BrokerConsumer runs its connection's life on its own: the close event, the reconnect timer
// ('connectOnce().catch(...)'), the consumer-count check ('void this.checkConsumers()'). Each
// tells its listeners (onStatus, log) what happened; a listener that threw there threw out of
// an amqplib event handler or out of a catch handler nobody awaits: an uncaught exception or
// an unhandled rejection, either of which ends the process (Node 20), and the reconnect loop
// stopped with it. A throwing listener must cost only its own report.
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, uniqueTopology } from '../../../test/support/broker';
import { startTcpProxy } from '../../../test/support/tcpProxy';
import { waitFor } from '../../../test/support/waitFor';
import { DEFAULT_BROKER } from './brokerConfig';
import { BrokerConsumer } from './brokerConsumer';

const topo = uniqueTopology('listenerthrows');

afterAll(async () => {
  await deleteTopology(topo);
});

describe('BrokerConsumer with listeners that throw', () => {
  it('loses its connection, reconnects and counts consumers without an uncaught error', async () => {
    const escaped: unknown[] = [];
    const onEscaped = (reason: unknown): void => void escaped.push(reason);
    process.on('unhandledRejection', onEscaped);
    process.on('uncaughtException', onEscaped);
    const proxy = await startTcpProxy();
    let throwing = false;
    const consumer = new BrokerConsumer(
      { ...DEFAULT_BROKER, url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange: topo.exchange, queue: topo.queue, prefetch: 10 },
      {
        onDelivery: () => undefined,
        onStatus: () => {
          if (throwing) throw new Error('status listener failed');
        },
        log: () => {
          if (throwing) throw new Error('log listener failed');
        },
      },
    );
    let other: amqp.ChannelModel | null = null;
    try {
      await consumer.start();
      expect(consumer.status.state).toBe('connected');
      throwing = true;
      // The connection drops and new ones are refused: the close event, then failed reconnects.
      proxy.cut();
      await waitFor(
        () => consumer.status.state === 'reconnecting' && consumer.status.attempts >= 2,
        () => `two failed reconnects (state ${consumer.status.state}, attempts ${consumer.status.attempts}; ${escaped.length} uncaught: ${String(escaped[0])})`,
        20_000,
      );
      proxy.restore();
      await waitFor(() => consumer.status.state === 'connected', () => `reconnected (state ${consumer.status.state}; ${escaped.length} uncaught: ${String(escaped[0])})`, 30_000);
      // Another consumer on the queue: the periodic check (every 5 s) counts it, its listener throwing.
      other = await amqp.connect(AMQP_URL);
      await (await other.createChannel()).consume(topo.queue, () => undefined);
      await waitFor(() => consumer.status.queue?.consumers === 2, () => `2 consumers counted (saw ${consumer.status.queue?.consumers})`, 20_000, 50);
      expect(escaped).toEqual([]);
    } finally {
      throwing = false;
      await other?.close().catch(() => undefined);
      await consumer.stop();
      await proxy.close();
      process.off('unhandledRejection', onEscaped);
      process.off('uncaughtException', onEscaped);
    }
  }, 90_000);
});
