import { replaySource } from '../replay';
import { startPacedTraffic, type PacedTraffic } from '../sim/pacedTraffic';
import type { Engine, IngestSource } from './engine';
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

/** The non-broker source a session needs: the demo simulator, a capture replay, or none for a live session. */
export function createSessionSource(config: EngineConfig, engine: Engine): IngestSource | undefined {
  if (config.session === 'demo' && config.demo) return demoSource(config.demo);
  if (config.session === 'replay' && config.replay) return replaySource(config.replay, engine);
  return undefined;
}
