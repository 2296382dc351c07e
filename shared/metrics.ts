// What the engine publishes about itself: one bounded snapshot at most 10 times a second.
import type { KnownType } from './events/eventTypes';
import type { BrokerNodeHealth, QueueStatsExtra } from './queueStats';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'demo' | 'replay';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Broker URL with the password removed. */
  url: string | null;
  since: number;
  attempts: number;
  lastError: string | null;
  /** The queue this console consumes (live sessions with a broker). */
  queue?: ConsoleQueueInfo | null;
}

/** The console's queue, and whether other consumers take part of its messages. */
export interface ConsoleQueueInfo {
  name: string;
  /** This console's own default queue (payops.console.<host>.<id>, unique per installation). */
  own: boolean;
  type: 'classic' | 'quorum' | 'stream';
  /** x-expires in ms, null for none. */
  expiresMs: number | null;
  /** Consumers of the queue, this console included (passive declare, refreshed every few seconds); null until known. */
  consumers: number | null;
  /**
   * Other consumers take part of the messages: a classic or quorum queue with more than one
   * consumer (each message goes to one of them). A stream gives every consumer everything.
   */
  competing: boolean;
}

/**
 * What the status badge says, exactly one of (shared/sessionStatus.ts decides):
 * - receiving: live, connected, a message arrived in the last QUIET_AFTER_MS;
 * - quiet: live, connected, nothing received for a while (since `since`);
 * - connecting: live, not connected yet (first attempts);
 * - lost: live, the connection was lost at `since` and is being retried;
 * - no-broker: live with no broker configured (nothing to connect to);
 * - demo: the built-in simulator; replay: a capture replaying;
 * - following: a console following another's metrics stream (a later issue).
 */
export type StatusState = 'receiving' | 'quiet' | 'connecting' | 'lost' | 'no-broker' | 'demo' | 'replay' | 'following';

export interface SessionStatus {
  state: StatusState;
  /** When this state began (ms): the loss for 'lost', the last message (or the connection) for 'quiet'. */
  since: number;
  /** Arrival of the last message received from the broker in this session (ms), null before the first. */
  lastReceivedAt: number | null;
  /** Why (the last connection error), when there is one. */
  detail: string | null;
}

/** Authorized amounts of the last minute in one currency (minor units of it; never mixed with another). */
export interface CurrencyVolume {
  currency: string;
  /** Sum of amounts, in minor units of `currency`. */
  amount: number;
  count: number;
}

export interface RateWindows {
  /** Events per second averaged over the last 1 s, 1 min and 5 min. */
  s1: number;
  m1: number;
  m5: number;
}

/** A watched queue's latest sample; the management API's figures when it is reachable (queueStats.ts). */
export interface QueueDepth extends QueueStatsExtra {
  queue: string;
  messages: number | null;
  consumers: number | null;
  at: number;
  error: string | null;
}

/** One second of throughput, by type, keyed by event time (epoch seconds). */
export interface ThroughputPoint {
  t: number;
  counts: Partial<Record<KnownType | 'unknown', number>>;
}

/** What is arriving now, by arrival time (issue 15): the dashboard stays truthful when event time lags. */
export interface ArrivalView {
  /** perSecond[i] is the arrivals of second endSec - perSecond.length + i (epoch seconds). */
  endSec: number;
  perSecond: number[];
  /** Arrivals per second over the last 1 s, 1 min and the whole window (2 min). */
  rates: RateWindows;
  /** Set when what arrives now has an event time over 15 minutes behind (backlog or producer clock). */
  late: { eventsPerSecond: number; behindMs: number } | null;
}

export interface QueueDepthPoint {
  t: number;
  depths: Record<string, number>;
}

export interface EngineSnapshot {
  /** Wall clock when the snapshot was made (ms). */
  at: number;
  /** The engine's clock: wall time when live, event time in a replay (ms). */
  clock: number;
  session: 'live' | 'replay' | 'demo';
  connection: ConnectionStatus;
  /** What the status badge says (never "receiving" unless messages are arriving). */
  status: SessionStatus;
  /**
   * Arrival time of the newest event stored in this session's database (ms), null when it
   * holds none: the same database as `totals`, so "stored" and "last event" agree.
   */
  lastEventAt: number | null;
  totals: {
    events: number;
    duplicates: number;
    /** Every message quarantined since the database began (`quarantined` of payops stats). */
    quarantined: number;
    /**
     * The quarantined messages the database holds now, after the retention (`quarantineHeld` of
     * payops stats). Optional: a snapshot from an older engine has none.
     */
    quarantineHeld?: number;
    /**
     * Of `quarantined`, the copies of a stored (source, id) that came with a different body
     * (`conflictingDuplicates` of payops stats). Optional: a snapshot from an older engine has none.
     */
    conflictingDuplicates?: number;
    unknownTypes: number;
    byType: Record<string, number>;
  };
  /** Event-time rates per type and in total. */
  rates: { total: RateWindows; byType: Partial<Record<KnownType | 'unknown', RateWindows>> };
  /** Over the last minute of event time; null when there is no volume to compute from. Per attempt. */
  approvalRate: number | null;
  /**
   * Per payment (retries of a paymentId counted once): of the payments started in the last
   * minute of event time, the share with an approved attempt. Null without payments.
   */
  paymentApprovalRate: number | null;
  /** Payments started in the last minute (the denominator of paymentApprovalRate). */
  paymentsLastMinute: number;
  declineRate: number | null;
  failureRate: number | null;
  failuresPerMin: number;
  riskFlaggedPerMin: number;
  riskBlockedPerMin: number;
  riskFlaggedRate: number | null;
  riskBlockedRate: number | null;
  riskScoreP95: number | null;
  /** payment.authorized amounts over the last minute of event time, per currency, largest count first (at most 8). */
  authorizedLastMinute: CurrencyVolume[];
  /**
   * How many currencies were authorized over the same minute: `authorizedLastMinute` holds the
   * busiest 8 of them. Optional: a snapshot from an older engine has none (then the list's length).
   */
  authorizedCurrencies?: number;
  /** What arrives now, by arrival time (absent in older snapshots). */
  arrival?: ArrivalView;
  /** Arrival minus event time over the last minute of arrivals (ms), at its true size (up to a year). */
  arrivalLagMs: { p50: number | null; p95: number | null };
  queues: QueueDepth[];
  /** The broker node (alarms, connections) from the management API; null without it. */
  brokerNode?: BrokerNodeHealth | null;
  /** Seconds completed since the previous snapshot (the renderer appends them to bounded series). */
  throughputTail: ThroughputPoint[];
  /**
   * Events stored since the previous snapshot whose second an earlier tail already sent (a
   * producer's lag, a redelivered backlog): counts to add to those seconds. Optional: absent
   * in an older engine's snapshot.
   */
  throughputLate?: ThroughputPoint[];
  queueDepthTail: QueueDepthPoint[];
  /** Ingest health: pauses (disk full, locked database) are said here. */
  ingest: { paused: boolean; reason: string | null; pendingBatch: number };
  replay: ReplayProgress | null;
  /**
   * Alert notifications the session's evaluator dropped, its queue full before they were passed
   * on (never routed, never shown): said beside the notification log. Optional: a snapshot from
   * an older engine, or a session that evaluates no alerts, has none.
   */
  notificationsDropped?: number;
}

export interface ReplayProgress {
  file: string;
  state: 'running' | 'paused' | 'done' | 'error';
  speed: number | 'max';
  position: number;
  from: number | null;
  to: number | null;
  linesRead: number;
  bytesRead: number;
  bytesTotal: number | null;
  eventsPerSecond: number;
  etaMs: number | null;
  error: string | null;
}

/**
 * Snapshots a second at most, while commits bring new events: each commit's snapshot goes out
 * at once unless one went out less than 1/20 s ago (the wait for the next one is part of every
 * event's way to the screen; bench:latency). With nothing stored, one every 1/10 s.
 */
export const SNAPSHOT_MAX_HZ = 20;
export const SNAPSHOT_IDLE_HZ = 10;
export const SERIES_MAX_POINTS = 1000;
