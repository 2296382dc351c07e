import { countText } from '../../../shared/countText';
import type { AlertNotification, AlertSilenceChange } from '../../../shared/alerts';
import type { ConnectionStatus, EngineSnapshot, QueueDepth, SessionStatus } from '../../../shared/metrics';
import type { MetricsMessage } from '../../../shared/metricsStream';
import { SNAPSHOT_IDLE_HZ, SNAPSHOT_MAX_HZ } from '../../../shared/metrics';
import { sessionStatus } from '../../../shared/sessionStatus';
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import { BrokerIntake, type IntakeAckToken } from '../broker/brokerIntake';
import type { DeliveryGuard } from '../broker/deliveryGuard';
import { DecodeAttemptGuard } from '../broker/decodeAttemptGuard';
import { RedeliveryGuard } from '../broker/redeliveryGuard';
import { StreamAttemptGuard } from '../broker/streamAttemptGuard';
import { ThrottledLine } from '../broker/throttledLine';
import { safeErrorMessage } from '../redact';
import type { NamedQueueConfig } from '../broker/brokerConfig';
import { batchWithinCredit, DEFAULT_INGEST_BATCH } from '../ingest/batchWithinCredit';
import { IngestPipeline } from '../ingest/ingestPipeline';
import type { IngestSource } from '../ingest/ingestSource';
import { LiveMetrics } from '../metrics/liveMetrics';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import type { BatchOutcome } from '../store/eventWriter';
import type { Store } from '../store/store';
import type { StoreStats } from '../../../shared/storeStats';
import type { EngineConfig } from './engineConfig';
import type { IngestTiming } from './engineServices';
import { ReplayRefill } from './replayRefill';
import { resumeAtStoredOffset } from './streamResume';

const SNAPSHOT_INTERVAL_MS = 1000 / SNAPSHOT_MAX_HZ;
const SNAPSHOT_IDLE_INTERVAL_MS = 1000 / SNAPSHOT_IDLE_HZ;
/**
 * A live console commits what arrived at most this long ago: an event reaches the screen one
 * flush and at most one snapshot interval after it arrives (bench:latency). `collect` keeps
 * its own default (--flush-ms 100), where fewer, larger commits matter more than latency.
 */
const CONSOLE_LIVE_FLUSH_MS = 25;
/** Restarting a consumer thread that ended: soon at first, every 30 s at most while it keeps ending before storing anything. */
const CONSUMER_RESTART: BackoffOptions = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

export interface EngineEmitter {
  snapshot(snapshot: EngineSnapshot): void;
  alert?(notification: AlertNotification): void;
  /** An announced alert's silence began or ended: for the notification router only. */
  silence?(change: AlertSilenceChange): void;
  log(line: string): void;
  /** With `drain`: the queue is empty and everything is committed and acknowledged. */
  drained?(): void;
}

/** What an engine is given by its composition root (composeEngine.ts). */
export interface EngineParts {
  store: Store;
  metrics: LiveMetrics;
  /** Totals the database already holds when the session starts. */
  stored: StoreStats;
  /** Sees every message as decoded, before it is stored (capture recording). */
  tap?: (raw: RawMessage, result: DecodeResult) => void;
  /** The broker to consume, its queue named (composeEngine resolves the console's own). */
  broker?: NamedQueueConfig;
}

/**
 * The ingest core of one session (live, demo or replay): a source, the pipeline into the
 * store, the live metrics and the snapshots. It runs inside the engine worker thread and
 * under plain Node in tests. Other parts (alerting, capture, the services) are wired to it by
 * the composition root; it knows none of them.
 */
export class Engine {
  readonly store: Store;
  private readonly pipeline: IngestPipeline;
  private readonly metrics: LiveMetrics;
  private consumer: BrokerIntake | null = null;
  /** Wired once per session, whatever consumer threads come and go. */
  private deliveryGuard: DeliveryGuard | null = null;
  /** Counts the consumer thread's decodes of what may have ended the thread before it: a message that ends it each time is quarantined unread. */
  private decodeGuard: DecodeAttemptGuard | null = null;
  /** Whether a consumer thread has connected in this session (before that, a finite start fails instead). */
  private consumerStarted = false;
  /** Restarts of an ended consumer thread since one last stored and acknowledged a batch. */
  private consumerRestarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly broker: NamedQueueConfig | null;
  private source: IngestSource | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private lastSnapshotAt = 0;
  /** When the pending snapshot timer fires (a commit may bring it forward, never push it back). */
  private snapshotDueAt = 0;
  private housekeepingTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private connection: ConnectionStatus;
  /** Arrival of the last message received from the broker in this session (the badge's "receiving"). */
  private lastReceivedAt: number | null = null;
  private readonly totals: EngineSnapshot['totals'] & { conflictingDuplicates: number; quarantineHeld: number };
  private readonly committedListeners: ((outcome: BatchOutcome) => void)[] = [];
  private readonly listenerFailedLine = new ThrottledLine((line) => this.emit.log(line));
  private readonly queueListeners: ((samples: QueueDepth[]) => void)[] = [];
  private readonly stopListeners: (() => void | Promise<void>)[] = [];
  private stopped = false;
  /**
   * A replay's clock when its last batch committed. The replay clock moves as lines are handed
   * to the pipeline (at max, to the newest line's time), their metrics only when their batch
   * commits: a snapshot in between read the windows at a clock whose lines were not in them yet
   * (m1 0, then 25 at the same clock). While a batch is pending, a snapshot is taken at this
   * (before the first commit, at the clock of the first timed line handed to the pipeline).
   */
  private committedClock: number | null = null;
  /** A follower's status (the stream it follows), instead of the broker connection's. */
  private statusOverride: (() => SessionStatus) | null = null;
  private notificationsDropped: (() => number) | null = null;
  /** A replay's windows refilled from the store after its clock goes back (a backward seek). */
  private readonly refill: ReplayRefill | null;
  /** When the first delivery arrived and the last acknowledgement went out (benchmarks read it). */
  readonly timing: IngestTiming = { firstDeliveryMs: null, lastAckMs: null, acknowledged: 0 };

  constructor(
    readonly config: EngineConfig,
    parts: EngineParts,
    private readonly emit: EngineEmitter,
  ) {
    this.store = parts.store;
    this.metrics = parts.metrics;
    this.broker = parts.broker ?? null;
    this.refill = config.session === 'replay' ? new ReplayRefill(this.store, this.metrics) : null;
    // "Last event" is the newest event of the database whose events "stored" counts, also
    // before anything arrives in this session.
    this.metrics.lastArrival ??= this.store.events.newestArrival();
    const stats = parts.stored;
    this.totals = {
      events: stats.events,
      duplicates: stats.duplicates,
      quarantined: stats.quarantined,
      quarantineHeld: stats.quarantineHeld,
      conflictingDuplicates: stats.conflictingDuplicates,
      unknownTypes: stats.unknownTypes,
      byType: { ...stats.byType },
    };
    this.connection = {
      state: config.session === 'live' ? 'idle' : config.session,
      url: null,
      since: Date.now(),
      attempts: 0,
      lastError: null,
    };
    this.pipeline = new IngestPipeline(this.store.ingest, {
      batchSize: batchWithinCredit(config.batchSize ?? DEFAULT_INGEST_BATCH, config.broker?.prefetch),
      flushMs: config.flushMs ?? (config.session === 'replay' ? 100 : CONSOLE_LIVE_FLUSH_MS),
      maxBodyBytes: config.maxBodyBytes,
      acknowledge: (token, count) => {
        // The consumer thread refuses (and says so) acks of a channel that has died, and the
        // intake those of a thread it replaced.
        if (this.consumer?.ackUpTo(token as IntakeAckToken, count)) this.consumerRestarts = 0;
        this.timing.lastAckMs = Date.now();
        this.timing.acknowledged += count;
      },
      onCommitted: (outcome) => this.onCommitted(outcome),
      // While another process holds the lock, writes fail at once instead of each blocking
      // this thread for the busy timeout; the held batch's retries find out when it is gone.
      onPause: (reason, locked) => this.store.waitForLocks(reason === null || !locked),
      tap: parts.tap,
      log: (line) => this.emit.log(line),
    });
  }

  onCommitted(listener: (outcome: BatchOutcome) => void): void;
  onCommitted(outcome: BatchOutcome): void;
  onCommitted(arg: BatchOutcome | ((outcome: BatchOutcome) => void)): void {
    if (typeof arg === 'function') {
      this.committedListeners.push(arg);
      return;
    }
    const outcome = arg;
    this.totals.events += outcome.inserted.length;
    this.totals.duplicates += outcome.duplicates;
    this.totals.quarantined += outcome.quarantined;
    this.totals.quarantineHeld += outcome.quarantined;
    this.totals.conflictingDuplicates += outcome.conflictingDuplicates;
    this.totals.unknownTypes += outcome.unknownTypes;
    for (const e of outcome.inserted) this.totals.byType[e.type] = (this.totals.byType[e.type] ?? 0) + 1;
    const clock = this.clock();
    this.committedClock = clock;
    this.metrics.observe(outcome.inserted, clock);
    this.metrics.observePayments(outcome.payments, clock);
    // Each listener on its own: one that throws (on every batch, maybe) neither keeps the others
    // nor the snapshot from seeing the commit; it is said once per 10 s.
    for (const l of this.committedListeners) {
      try {
        l(outcome);
      } catch (err) {
        this.listenerFailedLine.say(`a commit listener failed: ${safeErrorMessage(err)} (the batch is stored; ingest goes on)`);
      }
    }
    // What was just stored goes to the screen now, or as soon as the interval since the last
    // snapshot ends: snapshots follow the commits instead of a timer of their own, which
    // added up to a whole interval to every event's way to the screen.
    if (!this.snapshotTimer) return;
    const wait = SNAPSHOT_INTERVAL_MS - (Date.now() - this.lastSnapshotAt);
    if (wait <= 0) this.sendSnapshot();
    else if (this.snapshotDueAt > Date.now() + wait) this.scheduleSnapshot(wait);
  }

  private sendSnapshot(): void {
    if (this.stopped) return;
    // The interval counts from the snapshot's own time, the one its readers see: a pause between
    // taking a time here and building it (GC, a loaded machine) must not shorten the next gap.
    const snapshot = this.snapshot();
    this.lastSnapshotAt = snapshot.at;
    this.emit.snapshot(snapshot);
    this.scheduleSnapshot();
  }

  /** At most SNAPSHOT_MAX_HZ snapshots a second after commits, and SNAPSHOT_IDLE_HZ while nothing is stored. */
  private scheduleSnapshot(inMs = SNAPSHOT_IDLE_INTERVAL_MS): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotDueAt = Date.now() + inMs;
    this.snapshotTimer = setTimeout(() => this.sendSnapshot(), inMs);
  }

  async start(source?: IngestSource): Promise<void> {
    if (this.broker) {
      const broker = this.broker;
      const log = (line: string) => this.emit.log(line);
      this.deliveryGuard = RedeliveryGuard.wire(this.store, broker, log) ?? StreamAttemptGuard.wire(this.store, broker, log);
      this.decodeGuard = DecodeAttemptGuard.wire(this.store, broker, log);
      this.consumer = this.openIntake(broker);
      if (broker.initialRetries === Infinity) {
        // The console keeps trying in the background and shows why; it never refuses to open.
        void this.consumer.start().then(
          () => (this.consumerStarted = true),
          (err) => this.emit.log((err as Error).message),
        );
      } else {
        await this.consumer.start();
        this.consumerStarted = true;
      }
      if (this.config.drain) this.watchForDrain();
    }
    if (source) {
      this.source = source;
      if (source.done !== undefined) this.watchForSourceEnd(source);
      source.start(
        (input) => {
          // Before the first commit, the clock of the first timed line's hand-off stands in for
          // the last commit's: windows read at it hold nothing yet, as nothing is stored.
          if (this.committedClock === null && source.clock?.() != null) this.committedClock = this.clock();
          this.pipeline.push(input);
        },
        () => this.pipeline.pausedReason !== null || this.pipeline.pending > 4 * (this.config.batchSize ?? DEFAULT_INGEST_BATCH),
      );
    }
    this.scheduleSnapshot();
    this.housekeepingTimer = setInterval(() => this.housekeeping(), 10 * 60_000);
    this.housekeepingTimer.unref?.();
    this.housekeeping();
  }

  private openIntake(broker: NamedQueueConfig): BrokerIntake {
    const intake: BrokerIntake = new BrokerIntake(broker, {
      onDelivery: (raw, redelivered, token, decoded, alone) => {
        this.timing.firstDeliveryMs ??= raw.arrivalMs;
        this.lastReceivedAt = raw.arrivalMs;
        // Delivered three times before without being stored: in a batch of its own, so that
        // what was in flight beside it is stored should it end this process too.
        if (alone) this.pipeline.flush();
        this.pipeline.push({ raw, redelivered, ackToken: token, decoded });
        if (alone) this.pipeline.flush();
      },
      onStatus: (s) => {
        if (intake === this.consumer) this.connection = s;
      },
      onThreadStopped: (reason) => this.consumerThreadStopped(intake, reason),
      onQueueSamples: (samples) => this.queueSamplesArrived(samples),
      onBrokerNode: (node) => (this.metrics.brokerNode = node),
      log: (line) => this.emit.log(line),
    }, this.config.maxBodyBytes, this.deliveryGuard, this.decodeGuard);
    this.connection = { ...intake.status };
    return intake;
  }

  /**
   * A consumer thread ended by itself: ingest had stopped in silence behind a status still
   * "connected". What it handed over is stored (its acknowledgements go nowhere: its channel
   * closed with it, and the broker delivers those messages again, stored once by (source, id)),
   * the status says it stopped and why, and a new thread starts after a backoff.
   */
  private consumerThreadStopped(intake: BrokerIntake, reason: string): void {
    if (this.stopped || intake !== this.consumer || this.restartTimer !== null || !this.broker) return;
    // A session that must connect at its start (collect) fails on it instead: start() rejects.
    if (!this.consumerStarted && this.broker.initialRetries !== Infinity) return;
    this.pipeline.flush();
    this.consumerRestarts += 1;
    const delay = backoffDelay(this.consumerRestarts, CONSUMER_RESTART);
    const line = `consumer thread stopped: ${reason}; restarting it in ${(delay / 1000).toFixed(1)} s (restart ${this.consumerRestarts})`;
    this.connection = { ...intake.status, lastError: line };
    this.emit.log(line);
    this.restartTimer = setTimeout(() => this.restartConsumer(), delay);
  }

  private restartConsumer(): void {
    this.restartTimer = null;
    if (this.stopped || !this.broker) return;
    // A stream is read again from the offset stored with the events (the ended thread's place is gone with it).
    const intake = this.openIntake(resumeAtStoredOffset(this.store, this.broker));
    this.consumer = intake;
    intake.start().then(
      () => {
        this.consumerStarted = true;
        this.emit.log(`consumer thread restarted (restart ${this.consumerRestarts})`);
      },
      (err) => {
        // Gave up connecting (a finite retry budget): end it, and try again after a longer wait.
        void intake.stop();
        this.consumerThreadStopped(intake, (err as Error).message);
      },
    );
  }

  /** The engine's clock: wall time when live, the newest event time in a replay. */
  clock(): number {
    if (this.config.session === 'replay') return this.source?.clock?.() ?? this.metrics.watermark ?? 0;
    return Date.now();
  }

  /** Live metrics windows, for consumers that evaluate over them (alerts, reports). */
  get liveMetrics(): LiveMetrics {
    return this.metrics;
  }

  /** Commits what is pending now (a replay pausing, a seek); false if the store refused. */
  flushNow(): boolean {
    return this.pipeline.flush();
  }

  snapshot(): EngineSnapshot {
    const clock = this.snapshotClock();
    this.refill?.beforeRead(clock, this.clock());
    const { arrival, ...figures } = this.metrics.figures(clock, this.config.session === 'replay');
    return {
      at: Date.now(),
      clock,
      session: this.config.session,
      connection: { ...this.connection },
      status: this.statusOverride?.() ?? sessionStatus(
        { session: this.config.session, connection: this.connection, hasBroker: this.broker !== null, lastReceivedAt: this.lastReceivedAt },
        Date.now(),
      ),
      totals: { ...this.totals, byType: { ...this.totals.byType } },
      ...figures,
      // A follower is given the collector's rollups, never events: it has no arrivals of its
      // own, and zeros would read as nothing arriving (the Events/s tile, the arrivals chart).
      ...(this.statusOverride ? {} : { arrival }),
      ingest: { paused: this.pipeline.pausedReason !== null, reason: this.pipeline.pausedReason, pendingBatch: this.pipeline.pending },
      replay: this.source?.progress?.() ?? null,
      ...(this.notificationsDropped ? { notificationsDropped: this.notificationsDropped() } : {}),
    };
  }

  /** The clock a snapshot reads the windows at: a replay's, held back to its last commit while a batch is pending (never ahead of the replay: a seek back moves it back). */
  private snapshotClock(): number {
    const clock = this.clock();
    if (this.config.session !== 'replay' || this.pipeline.pending === 0 || this.committedClock === null) return clock;
    return Math.min(this.committedClock, clock);
  }

  /** Raises or lifts the size limit of the database; a batch paused by it commits now. */
  afterSizeLimitChanged(): void {
    if (this.pipeline.pausedReason) this.pipeline.flush();
  }

  /** Flushes, acknowledges and stops everything but the database (its owner closes it); safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    for (const t of [this.housekeepingTimer, this.drainTimer]) if (t) clearInterval(t);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.source?.stop();
    await this.consumer?.pause();
    // Deliveries already in our hands are committed and acknowledged before the channel closes.
    // A store that keeps refusing (disk full, a lock another process holds: each try can block
    // for the 5 s busy timeout) is given up on after about 5 s; nothing of it is acknowledged.
    const giveUpAt = Date.now() + 5000;
    while (!this.pipeline.flush() && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 250));
    if (this.pipeline.pending > 0) {
      const why = this.pipeline.pausedReason ?? 'the store refused them';
      this.emit.log(`stopped with ${countText(this.pipeline.pending, 'message')} not stored (${why})${this.consumer ? ': not acknowledged, the broker redelivers them' : ''}`);
    }
    this.pipeline.close();
    await this.consumer?.stop();
    // Everything received is stored: a stream read next time suspects nothing of this one.
    if (this.pipeline.pending === 0) this.decodeGuard?.stopped();
    for (const l of this.stopListeners) {
      try {
        await l();
      } catch (err) {
        this.emit.log(`on stop: ${(err as Error).message}`);
      }
    }
    this.emit.snapshot(this.snapshot());
  }

  /** Where snapshots read how many alert notifications the session's evaluator dropped (AlertingSession). */
  countDroppedNotifications(read: () => number): void {
    this.notificationsDropped = read;
  }

  /** A follower console: the badge says what the stream it follows is doing. */
  overrideStatus(status: () => SessionStatus): void {
    this.statusOverride = status;
  }

  /** A follower applied metrics messages: totals and windows move as if the events had committed here. */
  observeFollowed(messages: readonly MetricsMessage[]): void {
    for (const m of messages) {
      for (const c of m.rollups) {
        if (c.dim !== 'type') continue;
        this.totals.events += c.count;
        this.totals.byType[c.key] = (this.totals.byType[c.key] ?? 0) + c.count;
      }
      this.totals.duplicates += m.counters.duplicates ?? 0;
      this.totals.quarantined += m.counters.quarantined ?? 0;
      this.totals.conflictingDuplicates += m.counters.conflicting_duplicates ?? 0;
      this.totals.unknownTypes += m.counters.unknown_types ?? 0;
      this.metrics.observeRollups(m.rollups, this.clock());
      if (m.queueSamples.length) this.metrics.observeQueues(m.queueSamples.map((q) => ({ ...q, error: null })));
    }
  }

  onQueueSamples(listener: (samples: QueueDepth[]) => void): void {
    this.queueListeners.push(listener);
  }

  /** Runs once ingest has stopped, before the database closes (final evaluations, summaries). */
  onStop(listener: () => void | Promise<void>): void {
    this.stopListeners.push(listener);
  }

  private queueSamplesArrived(samples: QueueDepth[]): void {
    this.metrics.observeQueues(samples);
    for (const l of this.queueListeners) l(samples);
    // While the store refuses ingest (locked by another process, full), samples are not written:
    // they would be refused too, and logged as such at every poll.
    if (this.pipeline.pausedReason) return;
    try {
      this.store.queueSamples.record(samples);
    } catch (err) {
      this.emit.log(`queue depth not recorded: ${(err as Error).message}`);
    }
  }

  private housekeeping(): void {
    const days = this.config.retentionDays ?? 0;
    if (days > 0) {
      try {
        this.store.applyRetention(days, Date.now());
        this.recountHeld();
      } catch (err) {
        this.emit.log(`retention skipped: ${(err as Error).message}`);
      }
    }
  }

  /**
   * What the retention deleted is no longer stored: the events and quarantined messages held are
   * read again (the totals since the database began, duplicates and quarantined, stay).
   */
  private recountHeld(): void {
    const stats = this.store.stats();
    this.totals.events = stats.events;
    this.totals.byType = { ...stats.byType };
    this.totals.quarantineHeld = stats.quarantineHeld;
  }

  /** A finite source: once it is done and its last batch committed, the session is drained. */
  private watchForSourceEnd(source: IngestSource): void {
    this.drainTimer = setInterval(() => {
      if (!source.done) return;
      if (!this.pipeline.flush()) return;
      if (this.drainTimer) clearInterval(this.drainTimer);
      this.drainTimer = null;
      this.emit.drained?.();
    }, 50);
  }

  private watchForDrain(): void {
    let emptyChecks = 0;
    let checking = false;
    this.drainTimer = setInterval(async () => {
      if (checking || !this.consumer) return;
      checking = true;
      try {
        const settled = this.pipeline.pending === 0;
        const state = settled ? await this.consumer.drainState() : null;
        emptyChecks = state && state.connected && state.inFlight === 0 && state.ready === 0 && this.pipeline.pending === 0 ? emptyChecks + 1 : 0;
        if (emptyChecks >= 2) {
          if (this.drainTimer) clearInterval(this.drainTimer);
          this.drainTimer = null;
          this.emit.drained?.();
        }
      } finally {
        checking = false;
      }
    }, 100);
  }
}
