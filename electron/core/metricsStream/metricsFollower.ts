// A follower console's intake: reads the metrics stream from the offset its own database holds
// and applies each batch of messages together with the offset after it in ONE transaction
// (store/metricsStreamRepository.ts), so a follower killed at any moment resumes with nothing
// lost or counted twice. Bad messages are skipped, counted and logged; nothing stops it. A
// message whose collector sequence the stream's offsets disprove is skipped too (sequenceGuard.ts).
import { countNoun, countText } from '../../../shared/countText';
import type amqp from 'amqplib';
import { backoffDelay } from '../../../shared/backoff';
import { decodeMetricsMessage } from '../../../shared/metricsStream';
import { amqpConnect, closeWithin } from '../broker/amqpConnect';
import { connectWithRetries } from '../broker/connectWithRetries';
import { AbortableAttempt } from '../broker/abortableAttempt';
import { redactUrl, safeErrorMessage } from '../redact';
import type { ApplyOutcome, StreamItem } from '../store/metricsStreamRepository';
import type { Store } from '../store/store';
import { SequenceGuard } from './sequenceGuard';
import { streamMessageAt, streamTailOffset } from './streamTail';

export interface FollowerOptions {
  url: string;
  stream: string;
  store: Pick<Store, 'metricsStream'>;
  /** Apply after this many messages or this many ms, whichever first. */
  batchSize?: number;
  flushMs?: number;
  log(line: string): void;
  /**
   * Connection attempts at start before `start()` rejects (BrokerUnreachableError, or at once a
   * named refusal: wrong credentials, vhost). Infinity (the default, a console): keep trying
   * and show why. Once connected, a lost connection is always retried.
   */
  initialRetries?: number;
  /** After each committed batch (the engine's live view, the CLI's counts). */
  onApplied?(outcome: ApplyOutcome, messages: readonly StreamItem[]): void;
  /** How long stop() waits for the broker to answer (an attempt under way, the close): CLOSE_TIMEOUT_MS; tests lower it. */
  closeTimeoutMs?: number;
}

export interface FollowerStatus {
  state: 'connecting' | 'following' | 'waiting-for-stream' | 'reconnecting' | 'stopped';
  since: number;
  lastError: string | null;
  /** When the last message arrived from the stream. */
  lastReceivedAt: number | null;
}

const RETRY = { initialMs: 250, maxMs: 10_000, jitter: 0.2 };
/** Warnings logged one by one before they are only counted (each 1000th is logged again). */
const LOGGED_SKIPS = 20;
/** How long stop() waits for the broker to answer the connection's close. */
const CLOSE_TIMEOUT_MS = 3000;

interface Pending {
  item: StreamItem;
  msg: amqp.ConsumeMessage;
  channel: amqp.Channel;
}

export class MetricsFollower {
  private model: amqp.ChannelModel | null = null;
  private pending: Pending[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  /** Aborted by stop(): a start() with a retry budget stops waiting for its next attempt. */
  private readonly halt = new AbortController();
  /** The connection attempt under way (open), and how to end it: its socket is dropped. */
  private readonly attempt = new AbortableAttempt();
  private skippedInSession = 0;
  private guard: SequenceGuard | null = null;
  /** The stream was deleted and created again: read from its start, the stored offset starts again with the first batch. */
  private restarting = false;
  /** The stream was seen missing after this database had followed it: the one declared next is a new stream. */
  private streamGone = false;
  readonly status: FollowerStatus = { state: 'connecting', since: Date.now(), lastError: null, lastReceivedAt: null };
  readonly totals = { applied: 0, duplicates: 0, skipped: 0, rewoundDropped: 0 };

  constructor(private readonly o: FollowerOptions) {}

  async start(): Promise<void> {
    const budget = this.o.initialRetries ?? Infinity;
    if (budget === Infinity) return this.connect();
    await connectWithRetries({
      url: this.o.url,
      retries: budget,
      backoff: RETRY,
      attempt: () => this.open(),
      stopping: () => this.stopped,
      signal: this.halt.signal,
      onRetry: (message, retry) => {
        this.setState('connecting', message);
        if (retry === 1) this.o.log(`metrics stream ${this.o.stream}: ${message}; retrying (${countText(budget, 'more attempt')})`);
      },
      onGiveUp: (message) => this.setState('stopped', message),
    });
  }

  /** Applies what is in hand and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.setState('stopped', null);
    this.halt.abort();
    // An attempt under way ends now, its socket dropped (a broker that accepts and never answers
    // held it for the 5 s connect timeout, one that answered late was followed after the stop),
    // and is waited for: it closes what it opened.
    const bound = this.o.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    await this.attempt.abortAndWait(bound);
    const model = this.model;
    this.model = null;
    // A stalled broker never answers the close: the socket is dropped instead (nothing is lost,
    // the offset is stored with what was applied).
    if (model && !(await closeWithin(model, bound))) this.o.log('connection to the broker dropped without its close handshake');
  }

  /** True when everything the stream holds now has been applied (`--drain`). */
  async caughtUp(): Promise<boolean> {
    if (!this.model || this.status.state !== 'following' || this.pending.length > 0) return false;
    const tail = await streamTailOffset(this.model, this.o.stream);
    if (this.pending.length > 0) return false;
    if (tail === null) return true;
    // Until a stream created again has a first batch applied, the stored offset is the old stream's.
    if (this.restarting) return false;
    const next = this.o.store.metricsStream.position(this.o.stream).nextOffset;
    return next !== null && next > tail;
  }

  /** Commits what has arrived (one transaction) and acknowledges it; false if the store refused. */
  flush(): boolean {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return true;
    const batch = this.pending;
    let outcome: ApplyOutcome;
    let items: StreamItem[];
    let guarded: ReturnType<SequenceGuard['check']>;
    try {
      // A stream created again proves nothing of the offsets before: the guard bounds sequences from its first batch on.
      this.guard ??= new SequenceGuard(this.o.store.metricsStream.sources(), this.restarting ? null : this.o.store.metricsStream.position(this.o.stream).nextOffset);
      guarded = this.guard.check(batch.map((p) => p.item));
      items = guarded.items;
      outcome = this.o.store.metricsStream.applyBatch(this.o.stream, items, Date.now(), { restart: this.restarting });
    } catch (err) {
      // Kept in hand and not acknowledged (the broker sends nothing more past the prefetch).
      this.o.log(`metrics not applied, retrying: ${safeErrorMessage(err)}`);
      this.flushTimer = setTimeout(() => this.flush(), 1000);
      return false;
    }
    this.pending = [];
    this.restarting = false;
    guarded.commit();
    this.totals.rewoundDropped = this.guard?.rewoundDropped ?? 0;
    this.totals.applied += outcome.applied;
    this.totals.duplicates += outcome.duplicates;
    this.totals.skipped += outcome.skipped;
    for (const item of items) if ('skip' in item) this.warnSkipped(item.offset, item.skip);
    for (const line of guarded.warnings) this.o.log(line);
    for (const g of outcome.gaps) {
      this.o.log(`warning: collector ${g.collector} jumped from sequence ${g.expected - 1} to ${g.got}: ${g.got - g.expected} of its messages ${countNoun(g.got - g.expected, 'was', 'were')} not read here (dropped by the stream's retention before this follower read them, or skipped as bad input)`);
    }
    // Stream credit: the acknowledgement only lets the broker send more; the offset is in the database.
    const last = batch[batch.length - 1];
    try {
      last.channel.ack(last.msg, true);
    } catch {
      // The channel is gone: the next consumer starts from the stored offset anyway.
    }
    this.o.onApplied?.(outcome, items);
    return true;
  }

  private warnSkipped(offset: number, reason: string): void {
    this.skippedInSession += 1;
    if (this.skippedInSession <= LOGGED_SKIPS || this.skippedInSession % 1000 === 0) {
      this.o.log(`warning: skipped metrics message at offset ${offset} of ${this.o.stream}: ${reason} (${this.skippedInSession} skipped so far)`);
    }
  }

  private setState(state: FollowerStatus['state'], lastError: string | null): void {
    if (this.status.state !== state) this.status.since = Date.now();
    this.status.state = state;
    this.status.lastError = lastError;
  }

  /** Connects, retrying for ever (a console, or a reconnect once connected). */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.open();
    } catch (err) {
      if (this.stopped) return;
      this.attempts += 1;
      const message = safeErrorMessage(err);
      this.setState('reconnecting', message);
      if (this.attempts === 1 || this.attempts % 20 === 0) this.o.log(`metrics stream ${this.o.stream}: ${message}; retrying`);
      this.retryLater(backoffDelay(this.attempts, RETRY));
    }
  }

  /** One attempt, which stop() can end. */
  private async open(): Promise<void> {
    if (this.stopped) return;
    await this.attempt.run((signal) => this.openOnce(signal));
  }

  /** Connects and consumes, or waits for the stream (retried); throws when the broker cannot be used. */
  private async openOnce(signal: AbortSignal): Promise<void> {
    // The signal, aborted by stop(), destroys the socket (net.connect's option, passed on by amqplib).
    const model = await amqpConnect(this.o.url, { timeout: 5000, signal });
    try {
      if (this.stopped) throw new Error('stopped');
      model.on('error', () => undefined);
      model.on('close', () => this.lost(model, 'connection closed'));
      this.model = model;
      const probe = await model.createChannel();
      probe.on('error', () => undefined);
      try {
        await probe.checkQueue(this.o.stream);
      } catch {
        if (this.o.store.metricsStream.position(this.o.stream).nextOffset !== null) this.streamGone = true;
        this.setState('waiting-for-stream', `no stream ${this.o.stream} yet`);
        if (this.attempts === 0) this.o.log(`waiting for stream ${this.o.stream} to be declared (by a collector with --publish-metrics)`);
        this.attempts += 1;
        this.model = null;
        await closeWithin(model, CLOSE_TIMEOUT_MS);
        this.retryLater(Math.min(2000, backoffDelay(this.attempts, RETRY)));
        return;
      }
      await probe.close().catch(() => undefined);
      const ch = await model.createChannel();
      // The broker closing the channel alone (a channel error; the connection stays open) sends
      // its reason first; a channel closed with its connection, or by us, has none.
      let closedFor: string | null = null;
      ch.on('error', (err: Error) => (closedFor = safeErrorMessage(err)));
      ch.on('close', () => {
        if (closedFor !== null) this.channelClosed(model, closedFor);
      });
      await ch.prefetch(Math.max(100, (this.o.batchSize ?? 1000) * 2));
      const from = await this.startOffset(model);
      // A null message: the broker cancelled the consumer (the stream was deleted).
      await ch.consume(this.o.stream, (msg) => (msg ? this.received(msg, ch) : this.cancelled(model)), { noAck: false, arguments: { 'x-stream-offset': from } });
      if (this.stopped) throw new Error('stopped');
      this.attempts = 0;
      this.setState('following', null);
      this.o.log(`following metrics stream ${this.o.stream} on ${redactUrl(this.o.url)} from offset ${from}`);
    } catch (err) {
      if (this.model === model) this.model = null;
      // Bounded: a broker that stalled would hold the attempt, and the stop waiting for it.
      await closeWithin(model, CLOSE_TIMEOUT_MS);
      throw err;
    }
  }

  /**
   * The stored offset, or 'first'. RabbitMQ attaches a consumer asked for an offset past the
   * stream's end at that offset and skips every message before it in silence: a metrics stream
   * deleted and created again (its offsets start again at 0) would never be followed.
   */
  private async startOffset(model: amqp.ChannelModel): Promise<number | 'first'> {
    const stored = this.o.store.metricsStream.position(this.o.stream).nextOffset;
    if (this.streamGone && stored !== null && !this.restarting) {
      this.streamGone = false;
      this.restarting = true;
      this.guard = null;
      this.o.log(
        `warning: metrics stream ${this.o.stream} was deleted after this database read it up to offset ${stored - 1} and is declared again: ` +
          `following the new stream from its first offset; each collector's messages are applied once (by collector and sequence)`,
      );
      return 'first';
    }
    this.streamGone = false;
    if (stored === null || stored === 0 || this.restarting) return this.restarting ? 'first' : (stored ?? 'first');
    const tail = await streamTailOffset(model, this.o.stream);
    if (tail !== null && tail >= stored - 1) {
      // Long enough, but is it the stream this database read? A stream created again and filled
      // past the stored offset while this follower was away holds at stored - 1 a message of a
      // collector numbered past what was applied here (its next ones, never read), and so does
      // its first offset. The stream this database read holds there messages it has read (one
      // alone may be a forged message it skipped).
      const newer = await this.newerThanApplied(model, stored - 1);
      if (newer === null || (await this.newerThanApplied(model, 'first')) === null) return stored;
      this.restarting = true;
      this.guard = null;
      this.o.log(
        `warning: metrics stream ${this.o.stream} is not the stream this database followed: at offset ${stored - 1}, the last one it read, it now holds ${newer}, ` +
          `so it was deleted and created again. Following it from its first offset; each collector's messages are applied once (by collector and sequence)`,
      );
      return 'first';
    }
    this.restarting = true;
    this.guard = null;
    this.o.log(
      `warning: metrics stream ${this.o.stream} is not the stream this database followed: it read up to offset ${stored - 1}, but ${tail === null ? 'the stream is empty' : `the stream's last offset is ${tail}`}, ` +
        `so it was deleted and created again. Following it from its first offset; each collector's messages are applied once (by collector and sequence)`,
    );
    return 'first';
  }

  /** The broker cancelled the consumer: the stream was deleted. Reconnects (and waits for it to be declared again). */
  private cancelled(model: amqp.ChannelModel): void {
    if (this.model !== model || this.stopped) return;
    this.lost(model, 'the broker cancelled this follower (the stream was deleted?)');
    void model.close().catch(() => undefined);
  }

  /**
   * The broker closed the consuming channel on its own, the connection still open: nothing more
   * would arrive while the status said 'following'. Reconnects and resumes from the stored offset.
   */
  private channelClosed(model: amqp.ChannelModel, why: string): void {
    if (this.model !== model || this.stopped) return;
    this.lost(model, `the broker closed this follower's channel (${why})`);
    void model.close().catch(() => undefined);
  }

  /** What makes the message at `offset` one this database never applied, or null when it may be one it read. */
  private async newerThanApplied(model: amqp.ChannelModel, offset: number | 'first'): Promise<string | null> {
    const body = await streamMessageAt(model, this.o.stream, offset);
    if (body === null) return null;
    const decoded = decodeMetricsMessage(body);
    if (!decoded.ok) return null;
    const m = decoded.message;
    const last = this.o.store.metricsStream.sources().find((s) => s.collector === m.collector)?.lastSeq ?? 0;
    return m.seq > last ? `collector ${m.collector}'s sequence ${m.seq} (applied here up to ${last})` : null;
  }

  private lost(model: amqp.ChannelModel, why: string): void {
    if (this.model !== model || this.stopped) return;
    this.model = null;
    // What arrived is still good data in order: apply it, then resume from the stored offset.
    this.flush();
    this.pending = [];
    this.setState('reconnecting', why);
    this.o.log(`metrics stream ${this.o.stream}: ${why}; reconnecting`);
    this.attempts += 1;
    this.retryLater(backoffDelay(this.attempts, RETRY));
  }

  private retryLater(ms: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, ms);
  }

  private received(msg: amqp.ConsumeMessage, channel: amqp.Channel): void {
    this.status.lastReceivedAt = Date.now();
    const offset = Number(msg.properties.headers?.['x-stream-offset']);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      this.o.log(`warning: a message of ${this.o.stream} without a stream offset was ignored`);
      channel.ack(msg);
      return;
    }
    const decoded = decodeMetricsMessage(msg.content);
    const item: StreamItem = decoded.ok ? { offset, message: decoded.message } : { offset, skip: decoded.reason };
    this.pending.push({ item, msg, channel });
    if (this.pending.length >= (this.o.batchSize ?? 1000)) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.o.flushMs ?? 250);
  }
}
