import type { CloudEventObject } from './cloudEvent';
import type { ScenarioName, ScenarioTimings } from './scenarios';
import { TokenBucket } from './tokenBucket';
import { createTrafficGenerator, type TrafficGenerator } from './trafficGenerator';

export interface PacedTrafficOptions {
  seed: number;
  scenario: ScenarioName;
  /** Events per second. */
  rate: number;
  timings?: Partial<ScenarioTimings>;
  /** Timer period; each tick hands over one batch. Default 20 ms. */
  tickMs?: number;
  /** Receives each tick's events (in order). Thrown errors stop the traffic and go to onError. */
  onBatch: (events: CloudEventObject[], nowMs: number) => void;
  /** Back-pressure: while true nothing is generated and nothing is saved up. */
  isBlocked?: () => boolean;
  onError?: (err: unknown) => void;
  /** Injected clock for tests; default Date.now. */
  now?: () => number;
}

export interface PacedTraffic {
  stop(): void;
  /** Events handed to onBatch so far. */
  readonly sent: number;
  readonly generator: TrafficGenerator;
}

// Half a second of traffic at most after a pause.
const BUCKET_SECONDS = 0.5;

/**
 * Runs the simulator in-process at `rate` events per second on wall time (the demo
 * session's source): the event clock starts now, stall phases send nothing, and every
 * tick delivers a batch rather than one callback per event.
 */
export function startPacedTraffic(options: PacedTrafficOptions): PacedTraffic {
  const now = options.now ?? Date.now;
  const startMs = now();
  const generator = createTrafficGenerator({
    seed: options.seed,
    scenario: options.scenario,
    startMs,
    rate: options.rate,
    timings: options.timings,
  });
  const bucket = new TokenBucket(options.rate, Math.max(1, options.rate * BUCKET_SECONDS), startMs);
  let sent = 0;
  let timer: NodeJS.Timeout | null = null;

  const tick = () => {
    const t = now();
    if (generator.isStalled(t) || options.isBlocked?.()) {
      bucket.drainTo(t);
      return;
    }
    const count = bucket.take(t);
    if (count === 0) return;
    const batch: CloudEventObject[] = new Array(count);
    for (let i = 0; i < count; i++) batch[i] = generator.next();
    sent += count;
    try {
      options.onBatch(batch, t);
    } catch (err) {
      stop();
      options.onError?.(err);
    }
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  timer = setInterval(tick, options.tickMs ?? 20);

  return {
    stop,
    generator,
    get sent() {
      return sent;
    },
  };
}
