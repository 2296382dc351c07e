// Worker-thread entry: the AMQP consumer, so that receiving from the broker, and decoding and
// validating what arrives, run on their own thread while the engine thread commits (the
// engine thread is ingest's critical path; the clone of a decoded event costs it about a
// third of decoding it). It never acknowledges by itself: the engine sends 'ack' after the
// transaction holding the messages has committed.
import { parentPort, workerData } from 'node:worker_threads';
import { safeErrorMessage } from '../redact';
import { BrokerConsumer } from './brokerConsumer';
import { DeliveryChunker } from './deliveryChunks';
import { DecodeGate } from './decodeGate';
import { RpcPeer, type RpcPort } from '../../../shared/rpc';
import type { AckMessage, ConsumerThreadData, DecodeAttemptControl, DrainState, IntakeControl } from './intakeProtocol';
import { queueStatsPollerFor } from './watchedQueues';

const port = parentPort;
if (!port) throw new Error('consumerThread must run in a worker thread');
const peer = new RpcPeer(port as RpcPort, { describeError: safeErrorMessage });
const log = (line: string) => peer.emit('log', line);
const { queue: config, maxBodyBytes, countsDecodes, suspectThrough } = workerData as ConsumerThreadData;

const chunker = new DeliveryChunker(
  {
    post: (chunk, transfer) => peer.emit('deliveries', chunk, transfer),
    putBack: (items, err) => consumer.putBack(items, err),
    wanted: (d): boolean => consumer.wanted(d),
  },
  maxBodyBytes,
);

// A message that may have ended the previous thread (a redelivery; on a stream, one a thread that
// ended had received) is decoded alone, counted by the engine first (decodeGate.ts).
const gate = countsDecodes
  ? new DecodeGate(
      config.queue,
      chunker,
      peer.remote<DecodeAttemptControl>('decodeAttempts'),
      {
        finished: (key) => peer.emit('decodeFinished', key),
        putBack: (items, err) => consumer.putBack(items, err),
      },
      config.queueType === 'stream' ? { suspectThrough: suspectThrough ?? null } : null,
    )
  : null;

const consumer = new BrokerConsumer(config, {
  onDelivery: (d) => (gate ? gate.add(d) : chunker.add(d)),
  quarantine: (d, reason) => chunker.quarantine(d, reason),
  onStatus: (status) => peer.emit('status', status),
  log,
});

const poller = queueStatsPollerFor(
  config,
  () => consumer.model,
  {
    onSamples: (samples) => peer.emit('queues', samples),
    onNode: (node) => peer.emit('node', node),
    log,
  },
  undefined,
  () => consumer.deliveredWait(),
);

peer.on('ack', (payload) => {
  const m = payload as AckMessage;
  const token = { generation: m.generation, tag: m.tag };
  if (!consumer.ackUpTo(token, m.count)) {
    const line = consumer.refusedAckLine(token, m.count);
    if (line) log(line);
  }
});

const control: IntakeControl = {
  async drainState(): Promise<DrainState> {
    chunker.flush();
    const state: DrainState = { inFlight: consumer.inFlight, ready: null, connected: consumer.connected };
    if (state.connected && state.inFlight === 0) state.ready = await consumer.queueMessageCount();
    return state;
  },
  async pause(): Promise<void> {
    await consumer.pause();
    await gate?.idle();
    chunker.flush();
  },
  async stop(): Promise<void> {
    poller?.stop();
    await consumer.stop();
  },
};
peer.serve('intake', control);

consumer
  .start()
  .then(() => {
    peer.emit('ready');
    poller?.start();
  })
  .catch((err) => peer.emit('fatal', { error: safeErrorMessage(err), kind: (err as Error)?.constructor?.name ?? 'Error' }));
