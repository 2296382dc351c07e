// What an engine session is told about the metrics stream (EngineConfig's publishMetrics and
// follow), kept apart from the code that does it so the config imports no engine part.
import type { StreamRetention } from './streamQueue';

export interface MetricsPublishConfig {
  /** The stream queue's name. */
  stream: string;
  retention: StreamRetention;
  /** The broker (the collector's own unless given). */
  url?: string;
}

export interface FollowConfig {
  /** The stream a collector publishes with --publish-metrics. */
  stream: string;
  url: string;
}
