// Replay sessions: a capture file (or a RabbitMQ stream) replayed into its own session
// database, paced by event time; and guarded re-publishing of a capture to a broker.
import type { ApiService } from '../../../shared/apiDispatch';
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

/** The replay's controls, as the API's `replay` service serves them from the engine thread. */
export type ReplayControlService = Pick<ApiService<'replay'>, 'control' | 'status'>;

/** A replay session's source, and the service that pauses, resumes, seeks and re-paces it. */
export function replaySession(
  // `now`: a wall clock injected by in-process tests (a worker's cloned config never has one).
  replay: NonNullable<EngineConfig['replay']> & { startPaused?: boolean; checkpointEvery?: number; now?: () => number },
  options: { maxBodyBytes?: number; flush: () => void; log?: (line: string) => void },
): { source: ReplaySource; service: ReplayControlService } {
  const source = new ReplaySource({
    file: replay.file,
    speed: replay.speed,
    startPaused: replay.startPaused,
    checkpointEvery: replay.checkpointEvery,
    fromMs: replay.fromMs,
    toMs: replay.toMs,
    now: replay.now,
    maxBodyBytes: options.maxBodyBytes,
    flush: options.flush,
    log: options.log,
  });
  return { source, service: { control: (args) => source.control(args), status: () => source.status() } };
}
