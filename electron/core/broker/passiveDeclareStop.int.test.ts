// QueueDepthPoller.stop() closes the shared channel, but the passive declares run one after
// another (the management poller asks for all its queues at once): one still queued when
// stop() ran opened a new channel after it, which nothing closed (a channel leaked on the
// consumer's connection each time the queue panel's poller was stopped mid-poll).
import { describe, expect, it } from 'vitest';
import { uniqueTopology } from '../../../test/support/broker';
import { scratchQueues } from '../../../test/support/scratchQueues';
import { waitFor } from '../../../test/support/waitFor';
import { QueueDepthPoller } from './queueDepthPoller';

const topo = uniqueTopology('passivestop');
const queues = [`${topo.queue}.a`, `${topo.queue}.b`, `${topo.queue}.c`];
const { conn } = scratchQueues(queues);

/** Channels open on the connection (amqplib keeps one slot per channel number; 0 is the connection's own). */
function openChannels(): number {
  const slots = (conn().connection as unknown as { channels: unknown[] }).channels;
  return slots.slice(1).filter((slot) => slot !== null && slot !== undefined).length;
}

describe('QueueDepthPoller.stop() with passive declares queued', () => {
  it('the queued declares are answered as stopped and open no channel', async () => {
    const before = openChannels();
    const poller = new QueueDepthPoller(queues, conn, () => undefined);
    const asked = queues.map((q) => poller.sample(q));
    poller.stop();
    const samples = await Promise.all(asked);
    // Nothing may be left open on the connection once the declares have answered.
    expect(openChannels()).toBe(before);
    expect(samples.map((s) => [s.queue, s.messages, s.error])).toEqual(queues.map((q) => [q, null, 'stopped']));
    // And a declare asked after stop() opens none either.
    expect(await poller.sample(queues[0])).toMatchObject({ messages: null, error: 'stopped' });
    expect(openChannels()).toBe(before);
  });

  it('a declare opening its channel when stop() runs leaves no channel open', async () => {
    const before = openChannels();
    // stop() runs right after the first declare asked for the connection: its channel is opening.
    const poller: QueueDepthPoller = new QueueDepthPoller(
      queues,
      () => {
        queueMicrotask(() => poller.stop());
        return conn();
      },
      () => undefined,
    );
    const samples = await Promise.all(queues.map((q) => poller.sample(q)));
    await waitFor(() => openChannels() === before, () => `no channel left open after stop (${openChannels() - before} left)`, 10_000);
    expect(samples.map((s) => s.error)).toEqual(['stopped', 'stopped', 'stopped']);
  });
});
