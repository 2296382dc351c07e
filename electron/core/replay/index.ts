// Replay sessions: a capture file (or a RabbitMQ stream) replayed into its own session
// database, paced by event time; and guarded re-publishing of a capture to a broker.
import type { Engine, IngestSource } from '../engine/engine';
import type { EngineConfig } from '../engine/engineConfig';
import { ReplaySource } from './replaySource';

export {
  ReplaySource,
  parseReplaySpeed,
  parseReplayTime,
  type BadLine,
  type ReplayControl,
  type ReplaySourceOptions,
  type ReplaySpeed,
  type ReplayStatus,
} from './replaySource';
export { parseStreamOffset } from './streamOffset';
export {
  publishCapture,
  planPublish,
  PublishRefusedError,
  isReadOnlyEnv,
  LIVE_SOURCE_EXCHANGES,
  type PublishCaptureOptions,
  type PublishCaptureResult,
  type PublishPlan,
} from './capturePublisher';

/**
 * The replay session's source, with its requests registered on the engine:
 * - 'replay.control' { action: 'pause' | 'resume' | 'seek' | 'speed', to?, speed? } -> ReplayStatus
 * - 'replay.status' {} -> ReplayStatus
 */
export function replaySource(
  // `now`: a wall clock injected by in-process tests (a worker's cloned config never has one).
  replay: NonNullable<EngineConfig['replay']> & { startPaused?: boolean; checkpointEvery?: number; now?: () => number },
  engine: Engine,
): IngestSource {
  const source = new ReplaySource({
    file: replay.file,
    speed: replay.speed,
    startPaused: replay.startPaused,
    checkpointEvery: replay.checkpointEvery,
    now: replay.now,
    maxBodyBytes: engine.config.maxBodyBytes,
    flush: () => {
      engine.flushNow();
    },
  });
  engine.handle('replay.control', (args) => source.control(args));
  engine.handle('replay.status', () => source.status());
  return source;
}
