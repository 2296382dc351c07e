// What the engine publishes about itself: one bounded snapshot at most 10 times a second.
import type { KnownType } from './events/eventTypes';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'demo' | 'replay';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Broker URL with the password removed. */
  url: string | null;
  since: number;
  attempts: number;
  lastError: string | null;
}

export interface RateWindows {
  /** Events per second averaged over the last 1 s, 1 min and 5 min. */
  s1: number;
  m1: number;
  m5: number;
}

export interface QueueDepth {
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
  /** Arrival time of the last stored event (ms), null before the first. */
  lastEventAt: number | null;
  totals: {
    events: number;
    duplicates: number;
    quarantined: number;
    unknownTypes: number;
    byType: Record<string, number>;
  };
  /** Event-time rates per type and in total. */
  rates: { total: RateWindows; byType: Partial<Record<KnownType | 'unknown', RateWindows>> };
  /** Over the last minute of event time; null when there is no volume to compute from. */
  approvalRate: number | null;
  declineRate: number | null;
  failureRate: number | null;
  failuresPerMin: number;
  riskFlaggedPerMin: number;
  riskBlockedPerMin: number;
  riskFlaggedRate: number | null;
  riskBlockedRate: number | null;
  riskScoreP95: number | null;
  /** Arrival minus event time over the last minute of arrivals (ms). */
  arrivalLagMs: { p50: number | null; p95: number | null };
  queues: QueueDepth[];
  /** Seconds completed since the previous snapshot (the renderer appends them to bounded series). */
  throughputTail: ThroughputPoint[];
  queueDepthTail: QueueDepthPoint[];
  /** Ingest health: pauses (disk full, locked database) are said here. */
  ingest: { paused: boolean; reason: string | null; pendingBatch: number };
  replay: ReplayProgress | null;
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

export const SNAPSHOT_MAX_HZ = 10;
export const SERIES_MAX_POINTS = 1000;
