import { replaySession, type ReplayControlService } from '../replay';
import type { IngestSource } from '../ingest/ingestSource';
import { startPacedTraffic, type PacedTraffic } from '../sim/pacedTraffic';
import { DEMO_TIMINGS } from '../sim/scenarios';
import type { EngineConfig } from './engineConfig';

/** The demo session's source: the simulator in-process, as if it had come from the broker. */
export function demoSource(demo: NonNullable<EngineConfig['demo']>): IngestSource {
  let traffic: PacedTraffic | null = null;
  return {
    start(push, isBlocked) {
      traffic = startPacedTraffic({
        seed: demo.seed ?? 1,
        scenario: demo.scenario,
        rate: demo.rate,
        timings: DEMO_TIMINGS,
        isBlocked,
        onBatch: (events, nowMs) => {
          for (const e of events) {
            push({
              raw: {
                body: Buffer.from(JSON.stringify(e)),
                contentType: 'application/cloudevents+json',
                routingKey: e.type,
                headers: null,
                arrivalMs: nowMs,
              },
            });
          }
        },
      });
    },
    stop() {
      traffic?.stop();
    },
  };
}

const NO_REPLAY: ReplayControlService = {
  control: () => {
    throw new Error('not a replay session');
  },
  status: () => {
    throw new Error('not a replay session');
  },
};

/**
 * The non-broker source a session needs (the demo simulator, a capture replay, or none for a
 * live session), and the replay controls (which refuse outside a replay).
 */
export function createSessionSource(config: EngineConfig, flush: () => void, log?: (line: string) => void): { source?: IngestSource; replay: ReplayControlService } {
  if (config.session === 'demo' && config.demo) return { source: demoSource(config.demo), replay: NO_REPLAY };
  if (config.session === 'replay' && config.replay) {
    const { source, service } = replaySession(config.replay, { maxBodyBytes: config.maxBodyBytes, flush, log });
    return { source, replay: service };
  }
  return { replay: NO_REPLAY };
}
