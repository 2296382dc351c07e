import type { BrokerConfig } from '../broker/brokerConfig';
import type { FollowConfig, MetricsPublishConfig } from '../metricsStream/metricsStreamConfig';
import type { ScenarioName } from '../sim/scenarios';

export interface EngineConfig {
  dbFile: string;
  session: 'live' | 'replay' | 'demo';
  /** Start from an empty database: the file is deleted once this session holds its lease (the console's demo). */
  freshDb?: boolean;
  broker?: BrokerConfig;
  demo?: { scenario: ScenarioName; rate: number; seed?: number };
  /** Flush a batch at this many messages or after this many ms, whichever first. */
  batchSize?: number;
  flushMs?: number;
  maxBodyBytes?: number;
  /** Drop stored events (and rollups) older than this many days; 0 keeps everything. */
  retentionDays?: number;
  rulesFile?: string | null;
  /** A replay session: the capture to read and how fast (a multiple of event time, or 'max'). */
  replay?: {
    file: string;
    speed: number | 'max';
    startPaused?: boolean;
    /** Only the lines of this event-time slice, `fromMs <= time < toMs` (either end open when absent). */
    fromMs?: number;
    toMs?: number;
  };
  /** 'full': fsync every commit (survives power loss); 'normal': survives a crash of payops, not of the OS. */
  durability?: 'full' | 'normal';
  /** Record every message to this capture file as it arrives. */
  captureFile?: string | null;
  /** Add to `captureFile` if it already holds a recording (without it, a non-empty file is refused). */
  captureAppend?: boolean;
  /** With a broker: stop once the queue is empty and everything is committed. */
  drain?: boolean;
  /**
   * Size limit of the database file in bytes (SQLite max_page_count; unset: none). Past it a
   * batch fails with SQLITE_FULL: ingest pauses without acknowledging ("disk full") until the
   * limit is raised (request 'store.setMaxDbBytes') or the retention frees pages.
   */
  maxDbBytes?: number;
  /** Publish the metrics stream (issue 16): after each commit, through the outbox, with confirms. */
  publishMetrics?: MetricsPublishConfig;
  /** Read-only mode: nothing leaves the console for the broker (a dead-letter redrive is refused). */
  readOnly?: boolean;
  /** A follower console (issue 16): the collector's metrics stream instead of raw events (no `broker`). */
  follow?: FollowConfig;
}
