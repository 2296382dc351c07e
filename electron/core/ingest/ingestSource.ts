import type { ReplayProgress } from '../../../shared/metrics';
import type { PipelineInput } from './ingestPipeline';

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
