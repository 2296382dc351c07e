// The data layer's entry point: one SQLite connection and its typed repositories. SQL lives in
// electron/core/store only (a lint rule in eslint.config.mjs refuses it anywhere else).
// Thread: a writable Store belongs to the engine thread (ingest, alert history, retention); a
// read-only one (openStore(file, { readonly: true })) serves the read worker and the CLI.
import type { Database } from 'better-sqlite3';
import { AlertHistoryRepository } from './alertHistoryRepository';
import { CounterRepository } from './counterRepository';
import { DecodeAttemptRepository } from './decodeAttemptRepository';
import { DeliveryAttemptRepository } from './deliveryAttemptRepository';
import { StreamAttemptRepository } from './streamAttemptRepository';
import { LOCK_WAIT_MS, openDatabase, setMaxDbBytes, type DbSizeLimit, type OpenOptions } from './database';
import { compactStoredTexts, vacuumDatabase, type StoredTextCompaction } from './storedTextCompaction';
import { EventPages } from './eventPages';
import { EventRepository } from './eventRepository';
import { EventWriter } from './eventWriter';
import { buildExplorerIndexes, deferExplorerIndexes } from './explorerIndexes';
import { MetaRepository } from './metaRepository';
import { MetricsStreamRepository } from './metricsStreamRepository';
import { PaymentIndex } from './paymentIndex';
import { QuarantineRepository } from './quarantineRepository';
import { QueueSampleRepository } from './queueSampleRepository';
import { RedriveAuditRepository } from './redriveAuditRepository';
import { ReportQueries } from './reportQueries';
import { Retention } from './retention';
import { CodeCatalogue } from './codeCatalogue';
import { RollupRepository } from './rollupRepository';
import { SegmentRollupRepository } from './segmentRollupRepository';
import { MinuteRollupRepository } from './minuteRollupRepository';
import { SilenceRepository } from './silenceRepository';
import { StatementCache } from './statementCache';
import { StreamOffsetRepository } from './streamOffsetRepository';
import { computeStats, type StoreStats } from './stats';

export { DatabaseOpenError, databaseSetupError, type DbSizeLimit, type Durability, type OpenOptions } from './database';

/** The reads of a repository: what a read-only connection may run. */
type EventReads = Omit<EventRepository, 'insert'>;
type QuarantineReads = Omit<QuarantineRepository, 'insert'>;
type RollupReads = Omit<RollupRepository, 'addAll'>;
type MinuteRollupReads = Omit<MinuteRollupRepository, 'batch'>;
type CounterReads = Omit<CounterRepository, 'add'>;
type QueueSampleReads = Omit<QueueSampleRepository, 'record'>;
type AlertHistoryReads = Pick<AlertHistoryRepository, 'get' | 'list' | 'open' | 'firingIn' | 'firingCounts'>;
type SilenceReads = Pick<SilenceRepository, 'list'>;
type SegmentReads = Omit<SegmentRollupRepository, 'addOutcomes'>;

/**
 * What runs on a read-only connection: every read, no write. Statements are prepared on
 * first use, so a repository never prepares a write here, and a database written before a
 * migration fails only when a missing table is read (ask `hasTables` first).
 */
export interface ReadStore {
  readonly events: EventReads;
  /** The explorer's keyset pages over events. */
  readonly eventPages: EventPages;
  readonly quarantine: QuarantineReads;
  readonly rollups: RollupReads;
  /** The dashboard's per-minute rollups (migration 170). */
  readonly minuteRollups: MinuteRollupReads;
  readonly counters: CounterReads;
  readonly queueSamples: QueueSampleReads;
  readonly alerts: AlertHistoryReads;
  readonly silences: SilenceReads;
  /** Dead-letter redrives, step by step (incident reports list them). */
  readonly redriveAudit: Pick<RedriveAuditRepository, 'list' | 'stepsOf' | 'historyOf'>;
  /** Incident reports' counts and scans over raw events. */
  readonly reports: ReportQueries;
  /** Per-minute segment rollups (explain, segment health; migration 130). */
  readonly segments: SegmentReads;
  /** Where ingest from each stream queue resumes (`replay --from-stream --drain` watches it). */
  readonly streamOffsets: Pick<StreamOffsetRepository, 'next'>;
  /** The database's own facts: whether it is a live database (a replay refuses one). */
  readonly meta: Pick<MetaRepository, 'get' | 'liveSince'>;
  /** Whether every named table exists (an older or foreign database may lack some). */
  hasTables(...names: string[]): boolean;
  /**
   * Runs `read` in one read transaction: every statement in it sees the database as of its
   * first read, so figures read by many statements (a report) add up while a collector writes.
   */
  readConsistent<T>(read: () => T): T;
  /** Totals from the rollups and counters. */
  stats(): StoreStats;
  close(): void;
}

/** The engine thread's store: the reads and every write. */
export interface Store extends ReadStore {
  readonly events: EventRepository;
  readonly quarantine: QuarantineRepository;
  readonly rollups: RollupRepository;
  readonly counters: CounterRepository;
  readonly queueSamples: QueueSampleRepository;
  readonly alerts: AlertHistoryRepository;
  readonly silences: SilenceRepository;
  /** The database's own facts (the console id its default queue is named after). */
  readonly meta: MetaRepository;
  /** Where ingest from each stream queue resumes (written in the ingest transaction). */
  readonly streamOffsets: StreamOffsetRepository;
  readonly redriveAudit: RedriveAuditRepository;
  /** The metrics stream: a collector's outbox, a follower's position (migration 160). */
  readonly metricsStream: MetricsStreamRepository;
  /** Redeliveries of messages not yet stored (migration 376): classic queues count none themselves. */
  readonly deliveryAttempts: DeliveryAttemptRepository;
  /** Reads of a stream from one offset that stored nothing (migration 378): streams redeliver nothing. */
  readonly streamAttempts: StreamAttemptRepository;
  /** Decodes begun and never finished of messages delivered again (migration 384): what ended the consumer thread. */
  readonly decodeAttempts: DecodeAttemptRepository;
  /** The ingest write path: one transaction per batch (events, quarantine, rollups, counters). */
  readonly ingest: EventWriter;
  /** Deletes what is older than `retentionDays` (0: keep everything); returns the events deleted. */
  applyRetention(retentionDays: number, nowMs: number): number;
  /** Sets (null or 0: lifts) this connection's size limit of the database file. */
  setMaxBytes(maxBytes: number | null): DbSizeLimit;
  /**
   * Whether a write waits for another process's lock (the busy timeout) or fails at once.
   * Ingest turns waiting off while it knows the database is locked: every writer of the
   * engine thread would otherwise block it for the timeout in turn, and a stop queued
   * behind them would wait for the lock to go.
   */
  waitForLocks(wait: boolean): void;
  /** Bulk loading (a replay): stops maintaining the explorer's secondary indexes, and defers the payment index's seals, until `buildExplorerIndexes`. */
  deferExplorerIndexes(): void;
  /** Builds the explorer indexes that are missing (one sort each) and catches a deferred payment index up; returns how many it built or caught up. */
  buildExplorerIndexes(): number;
  /**
   * Moves a long tail of the payment index in now, though a replay defers its seals: a replay
   * sought back then looks payments up by index probes, not by a scan of every event it
   * replayed, while its clock is behind (no new event stored). Work its end would do anyway.
   */
  sealPaymentIndexTail(): void;
  /** Rewrites events stored whole before migration 210 into the stored form (`payops compact`). */
  compactStoredTexts(onChunk?: (progress: StoredTextCompaction) => void): StoredTextCompaction;
  /** VACUUM: gives free pages back to the file system; false while another process reads the file (see vacuumDatabase). */
  vacuum(): boolean;
}

class SqliteStore implements Store {
  readonly events: EventRepository;
  readonly eventPages: EventPages;
  readonly quarantine: QuarantineRepository;
  readonly rollups: RollupRepository;
  readonly minuteRollups: MinuteRollupRepository;
  readonly counters: CounterRepository;
  readonly queueSamples: QueueSampleRepository;
  readonly alerts: AlertHistoryRepository;
  readonly silences: SilenceRepository;
  readonly reports: ReportQueries;
  readonly meta: MetaRepository;
  readonly streamOffsets: StreamOffsetRepository;
  readonly redriveAudit: RedriveAuditRepository;
  readonly metricsStream: MetricsStreamRepository;
  readonly segments: SegmentRollupRepository;
  readonly deliveryAttempts: DeliveryAttemptRepository;
  readonly streamAttempts: StreamAttemptRepository;
  readonly decodeAttempts: DecodeAttemptRepository;
  private writer: EventWriter | null = null;
  private readonly retention: Retention;
  private readonly schema: StatementCache;

  constructor(private readonly db: Database) {
    this.events = new EventRepository(db);
    this.eventPages = new EventPages(db);
    this.quarantine = new QuarantineRepository(db);
    const rollupKeys = CodeCatalogue.rollupKeys(db);
    this.rollups = new RollupRepository(db, rollupKeys);
    this.minuteRollups = new MinuteRollupRepository(db, rollupKeys);
    this.counters = new CounterRepository(db);
    this.queueSamples = new QueueSampleRepository(db);
    this.alerts = new AlertHistoryRepository(db);
    this.silences = new SilenceRepository(db);
    this.reports = new ReportQueries(db);
    this.meta = new MetaRepository(db);
    this.streamOffsets = new StreamOffsetRepository(db);
    this.redriveAudit = new RedriveAuditRepository(db);
    this.metricsStream = new MetricsStreamRepository(db, this);
    this.segments = new SegmentRollupRepository(db);
    this.deliveryAttempts = new DeliveryAttemptRepository(db);
    this.streamAttempts = new StreamAttemptRepository(db);
    this.decodeAttempts = new DecodeAttemptRepository(db);
    this.retention = new Retention(db, { events: this.events, minutes: this.minuteRollups });
    this.schema = new StatementCache(db);
  }

  get ingest(): EventWriter {
    return (this.writer ??= new EventWriter(this.db, this));
  }

  hasTables(...names: string[]): boolean {
    return this.schema.hasTables(...names);
  }

  readConsistent<T>(read: () => T): T {
    return this.schema.transaction(read)();
  }

  stats(): StoreStats {
    // One read transaction: a collector committing between two of its reads made the figures
    // of one call disagree (more quarantined held than quarantined in all).
    return this.readConsistent(() => computeStats(this));
  }

  applyRetention(retentionDays: number, nowMs: number): number {
    const deleted = this.retention.apply(retentionDays, nowMs);
    // The writer's memory may hold payments begun before the cut, counted in minutes now gone:
    // it reads the payments under way back from what is kept.
    if (deleted > 0) this.writer?.rereadPayments();
    return deleted;
  }

  setMaxBytes(maxBytes: number | null): DbSizeLimit {
    return setMaxDbBytes(this.db, maxBytes);
  }

  waitForLocks(wait: boolean): void {
    this.db.pragma(`busy_timeout = ${wait ? LOCK_WAIT_MS : 0}`);
  }

  deferExplorerIndexes(): void {
    deferExplorerIndexes(this.db);
  }

  buildExplorerIndexes(): number {
    return buildExplorerIndexes(this.db);
  }

  sealPaymentIndexTail(): void {
    if (PaymentIndex.existsIn(this.db)) new PaymentIndex(this.db).sealLongTail();
  }

  compactStoredTexts(onChunk?: (progress: StoredTextCompaction) => void): StoredTextCompaction {
    return compactStoredTexts(this.db, { onChunk });
  }

  vacuum(): boolean {
    return vacuumDatabase(this.db);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Opens (creating it, and migrating it, unless read-only) the database at `file`. Fails with
 * DatabaseOpenError when it cannot be opened or used.
 */
export function openStore(file: string, options: OpenOptions & { readonly: true }): ReadStore;
export function openStore(file: string, options?: OpenOptions & { readonly?: false }): Store;
export function openStore(file: string, options: OpenOptions = {}): ReadStore | Store {
  return new SqliteStore(openDatabase(file, options));
}

/** A store over a connection already open (openStore's second half; tests that also query SQL directly). */
export function storeOn(db: Database): Store {
  return new SqliteStore(db);
}
