import { Worker } from 'node:worker_threads';
import type { ConnectionStatus, QueueDepth } from '../../../shared/metrics';
import type { RawMessage } from '../../../shared/events/eventTypes';
import type { BrokerConfig } from '../engine/engineConfig';
import { redactUrl } from '../redact';
import { validateBrokerUrl } from './brokerUrl';
import type { AckToken } from './brokerConsumer';
import type { DeliveryChunk, DrainState, FromIntake, ToIntake } from './intakeProtocol';
import { workerScript } from '../workerScript';

export interface IntakeEvents {
  onDelivery(raw: RawMessage, redelivered: boolean, token: AckToken): void;
  onStatus(status: ConnectionStatus): void;
  onQueueSamples(samples: QueueDepth[]): void;
  log(line: string): void;
}

export class BrokerStartError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

/**
 * The engine's side of the consumer thread: deliveries arrive in chunks, acknowledgements
 * go back by delivery tag and channel generation, and the consumer thread refuses those of
 * a channel that has died. Receiving from the broker thus runs beside decoding and commits.
 */
export class BrokerIntake {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly calls = new Map<number, (result: unknown) => void>();
  private started: Promise<void>;
  status: ConnectionStatus;

  constructor(
    config: BrokerConfig,
    private readonly events: IntakeEvents,
  ) {
    validateBrokerUrl(config.url);
    this.status = { state: 'connecting', url: redactUrl(config.url), since: Date.now(), attempts: 0, lastError: null };
    const { file, execArgv } = workerScript(__filename, __dirname, 'consumerThread');
    this.worker = new Worker(file, { execArgv, workerData: config, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
    this.started = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromIntake) => {
        switch (m.type) {
          case 'deliveries':
            this.deliver(m);
            break;
          case 'status':
            this.status = m.status;
            events.onStatus(m.status);
            break;
          case 'queues':
            events.onQueueSamples(m.samples);
            break;
          case 'log':
            events.log(m.line);
            break;
          case 'started':
            resolve();
            break;
          case 'startFailed':
            reject(new BrokerStartError(m.error, m.kind));
            break;
          case 'reply':
            this.calls.get(m.id)?.(m.result);
            this.calls.delete(m.id);
            break;
        }
      });
      this.worker.on('error', (err) => {
        events.log(`consumer thread failed: ${err.message}`);
        reject(new BrokerStartError(err.message, 'Error'));
      });
    });
    this.started.catch(() => undefined);
  }

  /** Resolves once connected; rejects after the start retry budget (BrokerUnreachableError inside). */
  start(): Promise<void> {
    return this.started;
  }

  ackUpTo(token: AckToken, count: number): void {
    this.send({ type: 'ack', generation: token.generation, tag: token.tag, count });
  }

  drainState(): Promise<DrainState> {
    return this.call('drainState') as Promise<DrainState>;
  }

  /** Stops new deliveries; everything already received has arrived here when this resolves. */
  async pause(): Promise<void> {
    await this.call('pause');
  }

  async stop(): Promise<void> {
    await this.call('stop');
    await this.worker.terminate();
  }

  private deliver(chunk: DeliveryChunk): void {
    const { offsets } = chunk;
    for (let i = 0; i < chunk.tags.length; i++) {
      const body = Buffer.from(chunk.bodies, offsets[i], offsets[i + 1] - offsets[i]);
      this.events.onDelivery(
        {
          body,
          routingKey: chunk.routingKeys[i],
          contentType: chunk.contentTypes[i],
          headers: chunk.headers[i],
          arrivalMs: chunk.arrivalMs[i],
        },
        chunk.redelivered[i] === 1,
        { generation: chunk.generation, tag: chunk.tags[i] },
      );
    }
  }

  private call(method: 'drainState' | 'pause' | 'stop'): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      this.send({ type: 'call', id, method });
      // A thread that has died answers nothing: do not hang a stop on it.
      setTimeout(() => {
        if (this.calls.delete(id)) resolve(null);
      }, 15_000).unref();
    });
  }

  private send(m: ToIntake): void {
    this.worker.postMessage(m);
  }
}
