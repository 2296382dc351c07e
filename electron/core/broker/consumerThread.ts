// Worker-thread entry: the AMQP consumer, so that receiving from the broker, and decoding and
// validating what arrives, run on their own thread while the engine thread commits (the
// engine thread is ingest's critical path; the clone of a decoded event costs it about a
// third of decoding it). It never acknowledges by itself: the engine sends 'ack' after the
// transaction holding the messages has committed.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeMessage } from '../../../shared/events/decode';
import { safeErrorMessage } from '../redact';
import { BrokerConsumer, type Delivery } from './brokerConsumer';
import { RpcPeer, type RpcPort } from '../../../shared/rpc';
import type { AckMessage, ConsumerThreadData, DeliveryChunk, DrainState, IntakeControl } from './intakeProtocol';
import { queueStatsPollerFor } from './watchedQueues';

const port = parentPort;
if (!port) throw new Error('consumerThread must run in a worker thread');
const peer = new RpcPeer(port as RpcPort, { describeError: safeErrorMessage });
const log = (line: string) => peer.emit('log', line);
const { queue: config, maxBodyBytes } = workerData as ConsumerThreadData;

const CHUNK_MESSAGES = 512;
let pending: Delivery[] = [];
let pendingBytes = 0;
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  // A chunk holds one channel's deliveries only: split where the generation changes.
  let start = 0;
  for (let i = 1; i <= batch.length; i++) {
    if (i === batch.length || batch[i].ack.generation !== batch[start].ack.generation) {
      postChunk(batch.slice(start, i));
      start = i;
    }
  }
  pendingBytes = 0;
}

function postChunk(items: Delivery[]): void {
  const n = items.length;
  const size = items.reduce((s, d) => s + d.raw.body.byteLength, 0);
  const bodies = new ArrayBuffer(size);
  const view = new Uint8Array(bodies);
  const offsets = new Uint32Array(n + 1);
  const chunk: DeliveryChunk = {
    generation: items[0].ack.generation,
    bodies,
    offsets,
    tags: new Float64Array(n),
    arrivalMs: new Float64Array(n),
    redelivered: new Uint8Array(n),
    routingKeys: new Array(n),
    contentTypes: new Array(n),
    headers: new Array(n),
    decoded: new Array(n),
  };
  let at = 0;
  for (let i = 0; i < n; i++) {
    const d = items[i];
    offsets[i] = at;
    view.set(d.raw.body, at);
    at += d.raw.body.byteLength;
    chunk.tags[i] = d.ack.tag;
    chunk.arrivalMs[i] = d.raw.arrivalMs;
    chunk.redelivered[i] = d.redelivered ? 1 : 0;
    chunk.routingKeys[i] = d.raw.routingKey ?? '';
    chunk.contentTypes[i] = d.raw.contentType ?? null;
    chunk.headers[i] = (d.raw.headers as Record<string, unknown> | null) ?? null;
    chunk.decoded[i] = decodeMessage(d.raw, { maxBodyBytes });
  }
  offsets[n] = at;
  peer.emit('deliveries', chunk, [bodies]);
}

const consumer = new BrokerConsumer(config, {
  onDelivery: (d) => {
    pending.push(d);
    pendingBytes += d.raw.body.byteLength;
    if (pending.length >= CHUNK_MESSAGES || pendingBytes > 1 << 20) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      // After the current socket read: one chunk per burst of frames.
      setImmediate(flush);
    }
  },
  onStatus: (status) => peer.emit('status', status),
  log,
});

const poller = queueStatsPollerFor(config, () => consumer.model, {
  onSamples: (samples) => peer.emit('queues', samples),
  onNode: (node) => peer.emit('node', node),
  log,
});

peer.on('ack', (payload) => {
  const m = payload as AckMessage;
  if (!consumer.ackUpTo({ generation: m.generation, tag: m.tag }, m.count)) {
    log(`batch committed but its channel died: ${m.count} message(s) will be redelivered and deduplicated`);
  }
});

const control: IntakeControl = {
  async drainState(): Promise<DrainState> {
    flush();
    const state: DrainState = { inFlight: consumer.inFlight, ready: null, connected: consumer.connected };
    if (state.connected && state.inFlight === 0) state.ready = await consumer.queueMessageCount();
    return state;
  },
  async pause(): Promise<void> {
    await consumer.pause();
    flush();
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
