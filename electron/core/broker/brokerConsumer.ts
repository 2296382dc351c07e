import { createHash } from 'node:crypto';
import { amqpConnect, closeWithin, dropSocket } from './amqpConnect';
import { AbortableAttempt } from './abortableAttempt';
import { settledWithin } from './settledWithin';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { RawMessage } from '../../../shared/events/eventTypes';
import type { ConnectionStatus } from '../../../shared/metrics';
import type { NamedQueueConfig } from './brokerConfig';
import { redactUrl, safeErrorMessage } from '../redact';
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import { connectWithRetries } from './connectWithRetries';
import { validateBrokerUrl } from './brokerUrl';
import { consumeArguments, declareTopology } from './topology';
import { streamOffsetOf } from './streamOffsetHeader';
import { queueExpiresMs } from './consoleQueue';
import { messageDigest, streamStartOffset } from './streamStart';
import { deliveryCountOf } from './deadLetterMessage';
import { ThrottledLine } from './throttledLine';
import { oldestMessageAge } from './queueBusinessTime';
import { countText } from '../../../shared/countText';

/**
 * Identifies a delivery on the channel that delivered it (generation = which channel since
 * start); acks for an older generation, a channel that has died, are refused.
 */
export interface AckToken {
  generation: number;
  tag: number;
}

export interface Delivery {
  raw: RawMessage;
  redelivered: boolean;
  ack: AckToken;
  /** The AMQP content-encoding property (gzip and deflate bodies are read decompressed: bodyEncoding.ts). */
  contentEncoding?: string | null;
}

export interface BrokerConsumerEvents {
  onDelivery(delivery: Delivery): void;
  /**
   * Hands over, as refused with `reason`, a delivery the ingest path failed to take
   * MAX_TAKE_ATTEMPTS times (the engine quarantines it and acknowledges it once stored).
   * False when that failed too. Without it such a message is rejected.
   */
  quarantine?(delivery: Delivery, reason: string): boolean;
  onStatus?(status: ConnectionStatus): void;
  log?(line: string): void;
}

export { BrokerUnreachableError } from './brokerErrors';

/** Limits a test can lower to reach them with a few messages. */
export interface ConsumerLimits {
  /** Messages whose failures to be taken are counted at once (MAX_COUNTED_MESSAGES). */
  countedMessages?: number;
}

/** How often the queue's consumer count is checked (another console may start at any time). */
const CONSUMERS_CHECK_MS = 5000;

/** How long `pause` and `stop` wait for the broker to answer the consumer's cancel and close. */
const STOP_TIMEOUT_MS = 5000;

/**
 * Failures to take one message (the same routing key and body) after which it is quarantined
 * rather than put back again: a message that fails every time came back at once, for ever.
 */
export const MAX_TAKE_ATTEMPTS = 5;
/**
 * Messages whose failures are counted at once, at most. A count is kept until its message is
 * given up on, or idle for COUNT_IDLE_MS when room is needed: forgetting the oldest instead let
 * more poison messages than this in flight at once (a prefetch above it) go round for ever,
 * each forgotten before its next failure.
 */
const MAX_COUNTED_MESSAGES = 1024;
/** A count not added to for this long was of a message taken since (or gone to another consumer). */
const COUNT_IDLE_MS = 60_000;

/** Which message a delivery is, across its deliveries: its routing key and body. */
function messageKey(d: Delivery): string {
  return createHash('sha256').update(d.raw.routingKey ?? '').update('\0').update(d.raw.body).digest('base64');
}

/** How long the newest delivery's wait stands for the queue's delay (the poll runs every 2 s). */
const DELIVERED_WAIT_FRESH_MS = 5000;

/** Reconnect delays: 0.12-0.28 s first, doubling, at most 15 s (shared/backoff.ts). */
const BROKER_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 15_000, jitter: 0.4 };

/**
 * Consumes the console's own queue with manual acknowledgement. It never acknowledges by
 * itself: the ingest pipeline calls `ackUpTo` after the transaction holding the messages has
 * committed. After the connection or channel dies it reconnects with backoff; tokens from the
 * dead channel are refused, so those messages are redelivered and deduplicated by the store.
 */
export class BrokerConsumer {
  private connection: ChannelModel | null = null;
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private stopping = false;
  /** Aborted by stop(): a start() with a retry budget stops waiting for its next attempt. */
  private readonly halt = new AbortController();
  /** The connection attempt under way, and how to end it: its socket is dropped. */
  private readonly attempt = new AbortableAttempt();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private unacked = 0;
  /** A stream queue's offset after the newest message delivered to this process; null before any. */
  private resumeAt: number | null = null;
  /** The body of the message before `resumeAt` as the stream holds it (null: not known, after a put-back). */
  private resumeBody: Buffer | null = null;
  /** Where a stream is read from before anything was delivered: the configured offset, once checked against the stream. */
  private startAt: string | number | Date | undefined;
  private everConnected = false;
  private generation = 0;
  private consumersTimer: NodeJS.Timeout | null = null;
  /** The broker left a cancel unanswered: `stop` does not wait for it to answer a close either. */
  private cancelUnanswered = false;
  private checkingConsumers = false;
  /** Deliveries the ingest path threw on (put back on the queue), and their line (at most one every 10 s). */
  private deliveryFailures = 0;
  private readonly putBackLine = new ThrottledLine((line) => this.log(line));
  /** Messages given up on, by outcome: a flood of poison logs one line of each every 10 s. */
  private readonly quarantinedLine = new ThrottledLine((line) => this.log(line));
  private readonly readPastLine = new ThrottledLine((line) => this.log(line));
  private readonly rejectedLine = new ThrottledLine((line) => this.log(line));
  /** Failures to take each message put back (messageKey) and when the last one was, the least recent first. */
  private readonly takeFailures = new Map<string, { failures: number; at: number }>();
  /** Messages put back uncounted: MAX_COUNTED_MESSAGES others are being counted. */
  private readonly uncountedLine = new ThrottledLine((line) => this.log(line));
  /**
   * Per channel generation of a stream, the offset it is being read again from (putBack): its
   * deliveries there and after are not handed over, the next channel delivers them again.
   */
  private readonly rereadFloors = new Map<number, number>();
  /** Channels of a stream replaced to read it again from a delivery not taken: what they still deliver is dropped. */
  private readonly superseded = new WeakSet<Channel>();
  /** A stream's new channel being opened to read again from `resumeAt` (putBack). */
  private rereadPending = false;
  /** The newest delivery stamped by its producer (AMQP timestamp): how long it waited, and when it came. */
  private newestWait: { seconds: number; at: number } | null = null;
  readonly status: ConnectionStatus;

  constructor(
    private readonly config: NamedQueueConfig,
    private readonly events: BrokerConsumerEvents,
    private readonly limits: ConsumerLimits = {},
  ) {
    validateBrokerUrl(config.url);
    this.status = {
      state: 'idle',
      url: redactUrl(config.url),
      since: Date.now(),
      attempts: 0,
      lastError: null,
      queue: { name: config.queue, own: config.ownQueue ?? false, type: config.queueType, expiresMs: queueExpiresMs(config), consumers: null, competing: false },
    };
  }

  /**
   * Connects, retrying up to `initialRetries` times; rejects with BrokerUnreachableError after
   * that, or at once with a named refusal (brokerErrors.ts).
   */
  async start(): Promise<void> {
    await connectWithRetries({
      url: this.config.url,
      retries: this.config.initialRetries ?? 5,
      backoff: BROKER_BACKOFF,
      attempt: () => this.connectOnce(),
      stopping: () => this.stopping,
      signal: this.halt.signal,
      permanent: isPermanent,
      onRetry: (message) => this.setState('connecting', message),
      onGiveUp: (message) => this.setState('disconnected', message),
    });
  }

  /**
   * Seconds the newest message delivered in the last 5 s had waited in the queue (its delivery
   * time minus the AMQP timestamp its producer set, clocks assumed in step); null when none came
   * lately, it carried no timestamp, or the queue is a stream (it keeps what it delivered).
   */
  deliveredWait(now = Date.now()): number | null {
    const w = this.newestWait;
    return w && now - w.at <= DELIVERED_WAIT_FRESH_MS ? w.seconds : null;
  }

  /** Messages delivered and not yet acknowledged on the live channel. */
  get inFlight(): number {
    return this.unacked;
  }

  get connected(): boolean {
    return this.channel !== null;
  }

  /**
   * Acknowledges everything up to and including `token` (multiple=true), only if its channel
   * is still the live one. Returns false when the channel died: the broker will redeliver.
   */
  ackUpTo(token: AckToken, count: number): boolean {
    if (!this.channel || token.generation !== this.generation) return false;
    try {
      // amqplib reads only fields.deliveryTag of the message it is given.
      this.channel.ack({ fields: { deliveryTag: token.tag } } as unknown as ConsumeMessage, true);
      this.unacked = Math.max(0, this.unacked - count);
      return true;
    } catch (err) {
      this.log(`ack failed: ${safeErrorMessage(err)}`);
      return false;
    }
  }

  /**
   * What to log of a committed batch whose acknowledgement `ackUpTo` refused, or null for
   * nothing. A classic or quorum queue delivers its messages again (the store deduplicates).
   * A stream takes no acknowledgement that matters (it removes nothing; the offset is stored
   * with the batch) and delivers nothing again: a channel replaced to read the stream again
   * from a delivery not taken (putBack) says so in its own line, and one that died resumes
   * after what it delivered.
   */
  refusedAckLine(token: AckToken, count: number): string | null {
    const what = countText(count, 'message');
    if (this.config.queueType !== 'stream') return `batch committed but its channel died: ${what} will be redelivered and deduplicated`;
    if (this.rereadFloors.has(token.generation)) return null;
    return `batch committed after its stream channel closed: ${what} stored with the stream's offset, nothing is delivered again`;
  }

  /** Ready messages in the console's queue (passive declare), or null while disconnected. */
  async queueMessageCount(): Promise<number | null> {
    if (!this.connection) return null;
    let ch: Channel | null = null;
    try {
      ch = await this.connection.createChannel();
      ch.on('error', () => undefined);
      const ok = await ch.checkQueue(this.config.queue);
      return ok.messageCount;
    } catch {
      return null;
    } finally {
      await ch?.close().catch(() => undefined);
    }
  }

  /**
   * How many consumers the queue has (this console included), with a passive declare on a
   * channel of its own; says so when others compete for the messages.
   */
  private async checkConsumers(): Promise<void> {
    const conn = this.connection;
    if (!conn || this.checkingConsumers) return;
    this.checkingConsumers = true;
    let ch: Channel | null = null;
    try {
      ch = await conn.createChannel();
      ch.on('error', () => undefined);
      const ok = await ch.checkQueue(this.config.queue);
      this.setConsumers(ok.consumerCount);
    } catch {
      // A dead connection is reported by its own close event; the count stays as it was.
    } finally {
      this.checkingConsumers = false;
      await ch?.close().catch(() => undefined);
    }
  }

  private setConsumers(consumers: number): void {
    const q = this.status.queue;
    if (!q || q.consumers === consumers) return;
    const competing = q.type !== 'stream' && consumers > 1;
    if (competing && !q.competing) {
      this.log(
        `queue ${q.name} has ${consumers} consumers: they compete for its messages, each gets only part of them` +
          (q.own ? '' : ' (a shared queue name; drop --queue, or leave the profile\'s queue empty, for this console\'s own queue)'),
      );
    }
    this.status.queue = { ...q, consumers, competing };
    this.notifyStatus();
  }

  /** The connection, for pollers that open their own channels on it. */
  get model(): ChannelModel | null {
    return this.connection;
  }

  /**
   * Stops new deliveries; unacked ones stay with us until acknowledged or the channel closes.
   * False when the broker did not answer the cancel in time (a stalled broker).
   */
  async pause(): Promise<boolean> {
    const ch = this.channel;
    const tag = this.consumerTag;
    this.consumerTag = null;
    if (!ch || !tag) return true;
    const answered = await settledWithin(ch.cancel(tag), STOP_TIMEOUT_MS);
    if (!answered) {
      this.cancelUnanswered = true;
      this.log(`the broker did not answer the consumer's cancel within ${STOP_TIMEOUT_MS} ms`);
    }
    return answered;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.consumersTimer) clearInterval(this.consumersTimer);
    this.halt.abort();
    // An attempt under way ends now, its socket dropped (a broker that accepts and never answers
    // held it, and start(), for the 5 s connect timeout; a reconnect's then set 'reconnecting'
    // after the stop), and is waited for: it closes what it opened.
    await this.attempt.abortAndWait(STOP_TIMEOUT_MS);
    const answering = (await this.pause()) && !this.cancelUnanswered;
    const conn = this.connection;
    this.channel = null;
    this.connection = null;
    // A stalled broker (connection open, nothing answered) would hold the close, and with it
    // the session's stop, for ever: the socket is dropped instead. Nothing is lost: what was
    // not acknowledged is delivered again, and a stream resumes at its stored offset.
    if (conn && !(answering && (await settledWithin(conn.close(), STOP_TIMEOUT_MS)))) {
      this.log('connection to the broker dropped without its close handshake');
      dropSocket(conn);
    }
    this.setState('disconnected', null);
  }

  /** One attempt, which stop() can end. */
  private async connectOnce(): Promise<void> {
    if (this.stopping) throw new Error('stopping');
    await this.attempt.run((signal) => this.attemptOnce(signal));
  }

  private async attemptOnce(signal: AbortSignal): Promise<void> {
    this.status.attempts += 1;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting', this.status.lastError);
    // The signal, aborted by stop(), destroys the socket (net.connect's option, passed on by amqplib).
    const conn = await amqpConnect(this.config.url, { timeout: 5000, signal });
    conn.on('error', (err: Error) => this.log(`connection error: ${safeErrorMessage(err)}`));
    conn.on('close', (err?: Error) => this.onLost(conn, err));
    try {
      const ch = await conn.createChannel();
      ch.on('error', (err: Error) => this.log(`channel error: ${safeErrorMessage(err)}`));
      ch.on('close', () => this.onChannelClosed(conn, ch));
      await declareTopology(ch, this.config, () => conn.createChannel(), (line) => this.log(line));
      await ch.prefetch(this.config.prefetch);
      if (this.stopping) throw new Error('stopping');
      const streamOffset = this.resumeAt !== null ? await this.resumePlace(conn, this.resumeAt) : await this.streamStart(conn);
      if (this.stopping) throw new Error('stopping');
      this.connection = conn;
      this.channel = ch;
      this.generation += 1;
      this.unacked = 0;
      const ok = await ch.consume(this.config.queue, (msg) => this.onMessage(ch, msg), {
        noAck: false,
        // A stream resumes after what this process was delivered: the engine commits what it
        // holds, with its offset, whatever happened to the connection that delivered it.
        arguments: consumeArguments({ ...this.config, streamOffset }),
      });
      this.consumerTag = ok.consumerTag;
      if (this.stopping) throw new Error('stopping');
      if (!this.everConnected) {
        const q = this.status.queue!;
        this.log(
          `consuming queue ${q.name} (${q.own ? "this console's own" : 'named in the configuration'}, ${q.type}, durable, ${q.expiresMs === null ? 'no expiry' : `x-expires ${Math.round(q.expiresMs / 60_000)} min`})`,
        );
      }
      this.everConnected = true;
      this.status.attempts = 0;
      this.setState('connected', null);
      void this.checkConsumers();
      this.consumersTimer ??= setInterval(() => void this.checkConsumers(), CONSUMERS_CHECK_MS);
      this.consumersTimer.unref?.();
    } catch (err) {
      // Bounded: a broker that stalled would hold the attempt, and the stop waiting for it.
      await closeWithin(conn, STOP_TIMEOUT_MS);
      throw err;
    }
  }

  /**
   * The configured start offset; a numeric one is checked against the stream once (past its
   * end, or a stored place in a stream deleted and created again since: streamStart.ts).
   */
  private async streamStart(conn: ChannelModel): Promise<string | number | Date | undefined> {
    if (this.startAt !== undefined) return this.startAt;
    const asked = this.config.streamOffset;
    if (this.config.queueType !== 'stream' || typeof asked !== 'number') return asked;
    this.startAt = await streamStartOffset(conn, this.config.queue, asked, this.config.streamResume ?? null, (line) => this.log(line));
    return this.startAt;
  }

  /**
   * Where a stream read by this process resumes on a new connection: after the newest message
   * delivered, unless the stream was deleted and created again under its name meanwhile (its
   * offsets start again at 0). RabbitMQ attached such a consumer at the old offset and skipped,
   * in silence, every message published to the new stream before it. The check a start makes
   * (streamStart.ts: the stream ends before that place, or holds another message there) runs
   * here too; the new stream is read from its first offset.
   */
  private async resumePlace(conn: ChannelModel, next: number): Promise<number | 'first'> {
    const body = this.resumeBody;
    const lastMessageDigest = body && messageDigest({ body, headers: null, contentType: null, routingKey: '', arrivalMs: 0 }, { ok: false, reason: '' });
    const at = await streamStartOffset(conn, this.config.queue, next, { next, lastMessageDigest }, (line) => this.log(line));
    if (at === 'first') {
      this.resumeAt = 0;
      this.resumeBody = null;
    }
    return at;
  }

  private onMessage(ch: Channel, msg: ConsumeMessage | null): void {
    // A stream channel replaced to read again from a message not taken: what it still
    // delivers comes again on the next one.
    if (this.superseded.has(ch)) return;
    if (msg === null) {
      // The broker cancelled our consumer (queue deleted): treat as a lost channel.
      this.log('consumer cancelled by the broker');
      void ch.close().catch(() => undefined);
      return;
    }
    this.unacked += 1;
    const delivery: Delivery = {
      raw: {
        body: msg.content,
        headers: msg.properties.headers ?? null,
        contentType: msg.properties.contentType ?? null,
        routingKey: msg.fields.routingKey,
        arrivalMs: Date.now(),
      },
      redelivered: msg.fields.redelivered,
      ack: { generation: this.generation, tag: msg.fields.deliveryTag },
      contentEncoding: msg.properties.contentEncoding ?? null,
    };
    if (this.config.queueType !== 'stream') {
      const waited = oldestMessageAge(msg.properties.timestamp, delivery.raw.arrivalMs);
      this.newestWait = waited === null ? null : { seconds: waited, at: delivery.raw.arrivalMs };
    }
    try {
      this.events.onDelivery(delivery);
    } catch (err) {
      // Thrown out of amqplib's dispatch, it closed the channel (every unacknowledged message
      // delivered again, and a reconnect).
      this.putBack([delivery], err);
      return;
    }
    if (this.config.queueType === 'stream') {
      const offset = streamOffsetOf(msg.properties.headers);
      if (offset !== null) {
        this.resumeAt = offset + 1;
        this.resumeBody = msg.content;
      }
    }
  }

  /**
   * Deliveries the ingest path could not take (it threw on them, or they could not be posted
   * to the engine thread): they must not be acknowledged, and the engine acknowledges a
   * committed batch with multiple=true up to its newest tag, which would take them along,
   * never stored. On a classic or quorum queue they are put back (nack, requeue) at once and
   * come again. A stream removes nothing on acknowledgement, and its place to resume from
   * would pass them with the next delivery: the channel is closed and the stream read again
   * from the first of them (what came after is delivered again and deduplicated by the store).
   * Those of a channel that has died come again with everything it left unacknowledged.
   * Never throws.
   */
  putBack(items: readonly Delivery[], err: unknown): void {
    const ch = this.channel;
    const back: Delivery[] = [];
    for (const d of items) {
      if (this.failedTooOften(d)) this.giveUp(d, err);
      else if (this.config.queueType === 'stream' || (ch && d.ack.generation === this.generation)) back.push(d);
    }
    let from: number | null = null;
    if (back.length > 0) {
      if (this.config.queueType === 'stream') from = this.rereadFrom(back);
      else if (ch) for (const d of back) this.nack(ch, d, true);
    }
    this.deliveryFailures += items.length;
    // A message that fails every time comes back at once, each time: one line per 10 s, counted.
    const where = from === null ? 'put back on the queue' : `the stream read again from offset ${from}`;
    this.putBackLine.say(`delivery not taken, ${where} (${this.deliveryFailures} so far): ${safeErrorMessage(err)}`);
  }

  /**
   * Whether a delivery is still to be handed to the engine: not a stream's delivery at or after
   * the offset its channel is being read again from (putBack). The engine stores, with each
   * batch, the offset after the batch's newest message: a message after one put back, handed
   * over before the put-back one came again, moved that place past it, and a console stopped
   * before the re-read resumed past it, never storing it.
   */
  wanted(d: Delivery): boolean {
    const floor = this.rereadFloors.get(d.ack.generation);
    if (floor === undefined) return true;
    const offset = streamOffsetOf(d.raw.headers);
    return offset === null || offset < floor;
  }

  /**
   * Counts one more failure to take `d`'s message; true at MAX_TAKE_ATTEMPTS (and forgets it).
   * A quorum queue counts the deliveries itself (x-delivery-count, on a message delivered
   * again: each put back, and each left unacknowledged by a process that stopped), so a
   * restarted console goes on from there instead of 0. Only on a redelivery: on a first
   * delivery the header, if any, is the publisher's (RabbitMQ adds none there: 3.10.8 passed a
   * published x-delivery-count 99 through on the first delivery and set 1, 2, ... on the next).
   */
  private failedTooOften(d: Delivery): boolean {
    const key = messageKey(d);
    const counted = this.config.queueType === 'quorum' && d.redelivered ? deliveryCountOf(d.raw.headers ?? null) : null;
    const brokerAttempts = counted !== null && counted >= 0 ? Math.floor(counted) + 1 : 0;
    const known = this.takeFailures.get(key);
    if (!known && !this.roomToCount()) {
      // Put back uncounted: it is counted once one of those counted is given up on.
      this.uncountedLine.say(`more than ${this.countedMessages} messages not taken at once: the others are put back uncounted until those are given up on`);
      return brokerAttempts >= MAX_TAKE_ATTEMPTS;
    }
    const failures = Math.max((known?.failures ?? 0) + 1, brokerAttempts);
    this.takeFailures.delete(key);
    if (failures >= MAX_TAKE_ATTEMPTS) return true;
    this.takeFailures.set(key, { failures, at: Date.now() });
    return false;
  }

  /** Whether one more message's failures can be counted; forgets counts idle for COUNT_IDLE_MS to make room. */
  private roomToCount(): boolean {
    const now = Date.now();
    for (const [key, c] of this.takeFailures) {
      if (this.takeFailures.size < this.countedMessages || now - c.at < COUNT_IDLE_MS) break;
      this.takeFailures.delete(key);
    }
    return this.takeFailures.size < this.countedMessages;
  }

  private get countedMessages(): number {
    return this.limits.countedMessages ?? MAX_COUNTED_MESSAGES;
  }

  /**
   * A message failed MAX_TAKE_ATTEMPTS times: handed over for quarantine (it stays in flight
   * until the engine acknowledges it stored), or else rejected: dead-lettered if the queue has a
   * dead-letter exchange, dropped otherwise. A stream cannot reject: it is read past.
   */
  private giveUp(d: Delivery, err: unknown): void {
    const reason = `not taken in ${MAX_TAKE_ATTEMPTS} attempts (${safeErrorMessage(err)})`;
    let quarantined = false;
    try {
      quarantined = this.events.quarantine?.(d, reason) ?? false;
    } catch {
      // Not quarantined: rejected below.
    }
    if (quarantined) {
      this.quarantinedLine.say(`a message ${reason}: quarantined`);
      return;
    }
    const ch = this.channel;
    if (this.config.queueType === 'stream') {
      this.readPastLine.say(`a message ${reason} could not be quarantined either: the stream is read past it`);
      return;
    }
    if (ch && d.ack.generation === this.generation) this.nack(ch, d, false);
    this.rejectedLine.say(`a message ${reason} could not be quarantined either: rejected (dead-lettered if the queue has a dead-letter exchange, else dropped)`);
  }

  private nack(ch: Channel, d: Delivery, requeue: boolean): void {
    this.unacked = Math.max(0, this.unacked - 1);
    try {
      // amqplib reads only fields.deliveryTag of the message it is given.
      ch.nack({ fields: { deliveryTag: d.ack.tag } } as unknown as ConsumeMessage, false, requeue);
    } catch {
      // The channel is closing: the broker puts back everything it had not been told of.
    }
  }

  /**
   * Reads a stream again from the first of `items` (returned): neither their channel's later
   * deliveries nor the live channel's are handed over any more (wanted), and the live channel
   * is replaced by one reading from there. Without a live channel, the reconnect reads from there.
   */
  private rereadFrom(items: readonly Delivery[]): number | null {
    const offsets = items.map((d) => streamOffsetOf(d.raw.headers)).filter((o): o is number => o !== null);
    if (offsets.length === 0) return null;
    const from = Math.min(...offsets);
    if (this.resumeAt === null || from < this.resumeAt) this.resumeBody = null;
    this.resumeAt = Math.min(this.resumeAt ?? from, from);
    const lower = (generation: number): void => {
      this.rereadFloors.set(generation, Math.min(this.rereadFloors.get(generation) ?? from, from));
    };
    for (const d of items) lower(d.ack.generation);
    // What the live channel delivers from there on comes again on the next one.
    if (this.channel) lower(this.generation);
    // Generations are counted up; a handful back is more than deliveries still waiting to be posted span.
    for (const g of this.rereadFloors.keys()) if (g < this.generation - 8) this.rereadFloors.delete(g);
    if (this.channel && this.connection && !this.rereadPending) void this.rereadOnNewChannel(this.connection, this.channel);
    return from;
  }

  /**
   * Replaces a stream's channel by a new one on the same connection, consuming from `resumeAt`
   * (a few ms; closing the channel made the whole connection start over, ~0.2 s with its
   * backoff). Should that fail, the connection is started over as for a lost channel.
   */
  private async rereadOnNewChannel(conn: ChannelModel, old: Channel): Promise<void> {
    this.rereadPending = true;
    this.superseded.add(old);
    let ch: Channel | null = null;
    try {
      ch = await conn.createChannel();
      const fresh = ch;
      fresh.on('error', (err: Error) => this.log(`channel error: ${safeErrorMessage(err)}`));
      fresh.on('close', () => this.onChannelClosed(conn, fresh));
      await fresh.prefetch(this.config.prefetch);
      if (this.stopping || this.connection !== conn || this.channel !== old) {
        await fresh.close().catch(() => undefined);
        return;
      }
      // Live before it consumes: its first deliveries can come in the same read as consume-ok.
      this.channel = fresh;
      this.generation += 1;
      this.unacked = 0;
      this.consumerTag = null;
      this.rereadPending = false;
      const ok = await fresh.consume(this.config.queue, (msg) => this.onMessage(fresh, msg), {
        noAck: false,
        arguments: consumeArguments({ ...this.config, streamOffset: this.resumeAt ?? undefined }),
      });
      if (this.channel === fresh) this.consumerTag = ok.consumerTag;
    } catch (err) {
      // Replaced again meanwhile, or stopping: nothing more to do here.
      if (this.stopping || this.connection !== conn || (this.channel !== old && this.channel !== ch)) return;
      this.log(`reading stream ${this.config.queue} again on a new channel failed (${safeErrorMessage(err)}): reconnecting`);
      this.onLost(conn, err instanceof Error ? err : new Error(String(err)));
      void conn.close().catch(() => undefined);
    } finally {
      this.rereadPending = false;
      void old.close().catch(() => undefined);
    }
  }

  private onChannelClosed(conn: ChannelModel, ch: Channel): void {
    if (this.channel !== ch) return;
    // A channel can die alone (e.g. a precondition failure); start over with a new connection.
    this.onLost(conn, new Error('channel closed'));
    void conn.close().catch(() => undefined);
  }

  /** Handles the loss of the live connection once; closes of stale connections are ignored. */
  private onLost(conn: ChannelModel, err?: Error): void {
    if (this.connection !== conn) return;
    this.connection = null;
    this.channel = null;
    this.consumerTag = null;
    this.unacked = 0;
    if (this.stopping) return;
    this.setState('reconnecting', err ? safeErrorMessage(err) : 'connection closed');
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    if (this.stopping || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopping || this.connection) return;
      this.connectOnce().catch((err) => {
        // Ended by stop(): it stays disconnected.
        if (this.stopping) return;
        this.setState('reconnecting', safeErrorMessage(err));
        this.scheduleReconnect(attempt + 1);
      });
    }, backoffDelay(attempt + 1, BROKER_BACKOFF));
  }

  private setState(state: ConnectionStatus['state'], lastError: string | null): void {
    if (this.status.state !== state) this.status.since = Date.now();
    this.status.state = state;
    this.status.lastError = lastError;
    if (lastError) this.log(`broker ${state}: ${lastError}`);
    this.notifyStatus();
  }

  // The listeners are called from amqplib's event handlers (close, error), from the reconnect
  // timer's catch and from the consumer-count check, none of them awaited: one that threw there
  // was an uncaught exception or an unhandled rejection (the process ends) and, thrown out of
  // the connection's error event, kept the close from being handled, so it never reconnected.
  // A throwing listener loses its own report, nothing else.
  private notifyStatus(): void {
    try {
      this.events.onStatus?.({ ...this.status });
    } catch (err) {
      this.log(`status listener failed: ${safeErrorMessage(err)}`);
    }
  }

  private log(line: string): void {
    try {
      this.events.log?.(line);
    } catch {
      // A log sink that throws has nowhere left to say so.
    }
  }
}

/** Errors that retrying cannot fix: refused credentials, a missing vhost, a bad queue argument. */
function isPermanent(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /ACCESS[-_]REFUSED|NOT_ALLOWED|PRECONDITION_FAILED|ENOTFOUND/.test(message);
}
