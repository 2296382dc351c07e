import type { AlertNotification } from '../../../shared/alerts';
import type { ConnectionStatus, EngineSnapshot, QueueDepth, ReplayProgress } from '../../../shared/metrics';
import { SNAPSHOT_MAX_HZ } from '../../../shared/metrics';
import type { AckToken } from '../broker/brokerConsumer';
import { BrokerIntake } from '../broker/brokerIntake';
import { IngestPipeline, type PipelineInput } from '../ingest/ingestPipeline';
import { LiveMetrics } from '../metrics/liveMetrics';
import type { BatchOutcome } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { createCaptureWriter, type CaptureWriter } from '../capture/captureWriter';
import { DEFAULT_RULES, loadRulesFile } from '../alerts';
import { AlertingSession } from './alertingSession';
import { registerExplorerRequests } from '../explorer/registerExplorerRequests';
import type { EngineConfig } from './engineConfig';
import { readMetricsHistory } from './metricsHistory';

/** A source other than the broker (demo simulator, capture replay) that respects backpressure. */
export interface IngestSource {
  start(push: (input: PipelineInput) => void, isBlocked: () => boolean): void;
  stop(): void;
  /** True once a finite source (a capture) has delivered everything it will deliver. */
  readonly done?: boolean;
  /** Replay position and speed for the snapshot, when the source is a replay. */
  progress?(): ReplayProgress | null;
  /** Event-time clock of a replay (the replay's "now"); defaults to the newest event time. */
  clock?(): number | null;
}

export interface EngineEmitter {
  snapshot(snapshot: EngineSnapshot): void;
  alert?(notification: AlertNotification): void;
  log(line: string): void;
  /** With `drain`: the queue is empty and everything is committed and acknowledged. */
  drained?(): void;
}

export interface CaptureStatus {
  recording: boolean;
  file: string | null;
  lines: number;
  bytes: number;
}

export type EngineRequestHandler = (args: unknown) => unknown;

/**
 * The engine of one session (live, demo or replay): a source, the ingest pipeline, the store
 * and the live metrics. It runs inside the engine worker thread (see engineWorker.ts) and
 * under plain Node in tests.
 */
export class Engine {
  readonly store: Store;
  private readonly pipeline: IngestPipeline;
  private readonly metrics = new LiveMetrics();
  private consumer: BrokerIntake | null = null;
  private source: IngestSource | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private housekeepingTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private connection: ConnectionStatus;
  private readonly totals: EngineSnapshot['totals'];
  private readonly requestHandlers = new Map<string, EngineRequestHandler>();
  private readonly committedListeners: ((outcome: BatchOutcome) => void)[] = [];
  private readonly queueListeners: ((samples: QueueDepth[]) => void)[] = [];
  private readonly stopListeners: (() => void)[] = [];
  readonly alerting: AlertingSession;
  private stopped = false;
  private capture: CaptureWriter | null = null;
  /** When the first delivery arrived and the last acknowledgement went out (benchmarks read it). */
  readonly timing = { firstDeliveryMs: null as number | null, lastAckMs: null as number | null, acknowledged: 0 };

  constructor(
    readonly config: EngineConfig,
    private readonly emit: EngineEmitter,
  ) {
    this.store = openStore(config.dbFile, {
      durability: config.durability ?? (config.session === 'live' ? 'full' : 'normal'),
      maxBytes: config.maxDbBytes,
    });
    const stats = this.store.stats();
    this.totals = {
      events: stats.events,
      duplicates: stats.duplicates,
      quarantined: stats.quarantined,
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
      batchSize: config.batchSize ?? 5000,
      flushMs: config.flushMs ?? 100,
      maxBodyBytes: config.maxBodyBytes,
      acknowledge: (token, count) => {
        // The consumer thread refuses (and says so) acks of a channel that has died.
        this.consumer?.ackUpTo(token as AckToken, count);
        this.timing.lastAckMs = Date.now();
        this.timing.acknowledged += count;
      },
      onCommitted: (outcome) => this.onCommitted(outcome),
      tap: (raw, result) => {
        if (this.capture && !this.capture.write(raw, result)) this.stopCapture().catch(() => undefined);
      },
      log: (line) => this.emit.log(line),
    });
    this.handle('metrics.history', (args) =>
      readMetricsHistory(this.store, this.clock(), (args as { minutes: number }).minutes),
    );
    this.handle('stats', () => this.store.stats());
    this.handle('ingest.timing', () => ({ ...this.timing }));
    registerExplorerRequests(this);
    // The operator freed space (or allows more): raise or lift the size limit; a paused batch commits now.
    this.handle('store.setMaxDbBytes', (args) => {
      const bytes = (args as { bytes?: number | null } | null)?.bytes ?? null;
      if (bytes !== null && (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0)) {
        throw new Error('store.setMaxDbBytes: bytes must be a non-negative number or null (no limit)');
      }
      const limit = this.store.setMaxBytes(bytes);
      this.emit.log(`database size limit ${limit.maxBytes === null ? 'lifted' : `set to ${limit.maxBytes} bytes`} (now ${limit.sizeBytes} bytes)`);
      if (this.pipeline.pausedReason) this.pipeline.flush();
      return limit;
    });
    this.handle('capture.start', (args) => {
      const a = args as { file: string; maxBytes?: number; maxDurationMs?: number };
      return this.startCapture(a.file, a);
    });
    this.handle('capture.stop', () => this.stopCapture());
    this.handle('capture.status', () => this.captureStatus());
    if (config.captureFile) this.startCapture(config.captureFile, {});
    this.alerting = new AlertingSession(this, config.rulesFile ? loadRulesFile(config.rulesFile) : DEFAULT_RULES, (n) => this.emit.alert?.(n));
  }

  /** Registers a query answered inside the worker (explorer, alerts, reports add theirs). */
  handle(name: string, handler: EngineRequestHandler): void {
    this.requestHandlers.set(name, handler);
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
    this.totals.unknownTypes += outcome.unknownTypes;
    for (const e of outcome.inserted) this.totals.byType[e.type] = (this.totals.byType[e.type] ?? 0) + 1;
    this.metrics.observe(outcome.inserted, this.clock());
    for (const l of this.committedListeners) l(outcome);
  }

  async request(name: string, args: unknown): Promise<unknown> {
    const handler = this.requestHandlers.get(name);
    if (!handler) throw new Error(`the engine has no request "${name}"`);
    return handler(args);
  }

  async start(source?: IngestSource): Promise<void> {
    if (this.config.broker) {
      const broker = this.config.broker;
      this.consumer = new BrokerIntake(broker, {
        onDelivery: (raw, redelivered, token) => {
          this.timing.firstDeliveryMs ??= raw.arrivalMs;
          this.pipeline.push({ raw, redelivered, ackToken: token });
        },
        onStatus: (s) => {
          this.connection = s;
        },
        onQueueSamples: (samples) => this.queueSamplesArrived(samples),
        log: (line) => this.emit.log(line),
      });
      this.connection = { ...this.consumer.status };
      if (broker.initialRetries === Infinity) {
        // The console keeps trying in the background and shows why; it never refuses to open.
        void this.consumer.start().catch((err) => this.emit.log((err as Error).message));
      } else {
        await this.consumer.start();
      }
      if (this.config.drain) this.watchForDrain();
    }
    if (source) {
      this.source = source;
      if (source.done !== undefined) this.watchForSourceEnd(source);
      source.start(
        (input) => this.pipeline.push(input),
        () => this.pipeline.pausedReason !== null || this.pipeline.pending > 4 * (this.config.batchSize ?? 5000),
      );
    }
    this.snapshotTimer = setInterval(() => this.emit.snapshot(this.snapshot()), 1000 / SNAPSHOT_MAX_HZ);
    this.housekeepingTimer = setInterval(() => this.housekeeping(), 10 * 60_000);
    this.housekeepingTimer.unref?.();
    this.housekeeping();
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
    const clock = this.clock();
    return {
      at: Date.now(),
      clock,
      session: this.config.session,
      connection: { ...this.connection },
      totals: { ...this.totals, byType: { ...this.totals.byType } },
      ...this.metrics.figures(clock),
      ingest: { paused: this.pipeline.pausedReason !== null, reason: this.pipeline.pausedReason, pendingBatch: this.pipeline.pending },
      replay: this.source?.progress?.() ?? null,
    };
  }

  /** Starts recording every message (events and quarantined alike) to a capture file. */
  startCapture(file: string, limits: { maxBytes?: number; maxDurationMs?: number }): CaptureStatus {
    if (this.capture) throw new Error(`already recording to ${this.capture.path}`);
    this.capture = createCaptureWriter(file, { maxBytes: limits.maxBytes, maxDurationMs: limits.maxDurationMs });
    this.emit.log(`recording capture to ${file}`);
    return this.captureStatus();
  }

  async stopCapture(): Promise<CaptureStatus & { stoppedBecause?: string | null }> {
    const writer = this.capture;
    this.capture = null;
    if (!writer) return { recording: false, file: null, lines: 0, bytes: 0 };
    const summary = await writer.close();
    return { recording: false, file: summary.path, lines: summary.linesWritten, bytes: summary.bytesWritten, stoppedBecause: summary.stoppedBecause };
  }

  captureStatus(): CaptureStatus & { stoppedBecause?: string | null } {
    const w = this.capture;
    if (!w) return { recording: false, file: null, lines: 0, bytes: 0 };
    // A writer that stopped itself (size or time limit) still says why until it is closed.
    return { recording: w.stoppedBecause === null, file: w.path, lines: w.linesWritten, bytes: w.bytesWritten, stoppedBecause: w.stoppedBecause };
  }

  /** Flushes, acknowledges and closes everything; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of [this.snapshotTimer, this.housekeepingTimer, this.drainTimer]) if (t) clearInterval(t);
    this.source?.stop();
    await this.consumer?.pause();
    // Deliveries already in our hands are committed and acknowledged before the channel closes.
    // A store that keeps refusing (disk full, a lock another process holds: each try can block
    // for the 5 s busy timeout) is given up on after about 5 s; nothing of it is acknowledged.
    const giveUpAt = Date.now() + 5000;
    while (!this.pipeline.flush() && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 250));
    if (this.pipeline.pending > 0) {
      const why = this.pipeline.pausedReason ?? 'the store refused them';
      this.emit.log(`stopped with ${this.pipeline.pending} message(s) not stored (${why})${this.consumer ? ': not acknowledged, the broker redelivers them' : ''}`);
    }
    this.pipeline.close();
    await this.consumer?.stop();
    await this.stopCapture().catch((err) => this.emit.log(`capture not closed cleanly: ${(err as Error).message}`));
    for (const l of this.stopListeners) {
      try {
        l();
      } catch (err) {
        this.emit.log(`on stop: ${(err as Error).message}`);
      }
    }
    this.emit.snapshot(this.snapshot());
    this.store.close();
  }

  onQueueSamples(listener: (samples: QueueDepth[]) => void): void {
    this.queueListeners.push(listener);
  }

  /** Runs just before the engine closes its database (final evaluations, summaries). */
  onStop(listener: () => void): void {
    this.stopListeners.push(listener);
  }

  private queueSamplesArrived(samples: QueueDepth[]): void {
    this.metrics.observeQueues(samples);
    for (const l of this.queueListeners) l(samples);
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
      } catch (err) {
        this.emit.log(`retention skipped: ${(err as Error).message}`);
      }
    }
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
