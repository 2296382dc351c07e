// Test support: a simulator scenario stored in a real SQLite file through the real decoder and
// writer, with the explain window on its anomaly.
import path from 'node:path';
import { decodeMessage } from '../../shared/events/decode';
import type { IncomingMessage } from '../../electron/core/store/eventWriter';
import { openStore, type Store } from '../../electron/core/store/store';
import { createTrafficGenerator } from '../../electron/core/sim/trafficGenerator';
import type { ScenarioName } from '../../electron/core/sim/scenarios';

export const SCENARIO_START_MS = Date.UTC(2026, 10, 23, 8, 0, 0);
const MINUTE = 60_000;

export interface StoredScenario {
  store: Store;
  file: string;
  /** The anomaly's window (whole minutes). */
  fromMs: number;
  toMs: number;
  fraudTargetMerchantId: string;
  events: number;
}

/** `baselineMinutes` of calm traffic, then `anomalyMinutes` of the scenario's anomaly. */
export async function storeScenario(
  dir: string,
  scenario: ScenarioName,
  options: {
    seed?: number;
    rate?: number;
    baselineMinutes?: number;
    anomalyMinutes?: number;
    file?: string;
    /** Which generated events are published (default all): a test's own incident carved out of the traffic. */
    keep?: (e: ReturnType<ReturnType<typeof createTrafficGenerator>['next']>) => boolean;
  } = {},
): Promise<StoredScenario> {
  const { seed = 13, rate = 40, baselineMinutes = 20, anomalyMinutes = 5 } = options;
  const file = options.file ?? path.join(dir, `${scenario}-${seed}-${Math.random().toString(36).slice(2)}.db`);
  const store = openStore(file);
  const gen = createTrafficGenerator({
    seed,
    scenario,
    startMs: SCENARIO_START_MS,
    rate,
    timings: { anomalyStartMs: baselineMinutes * MINUTE, anomalyDurationMs: anomalyMinutes * MINUTE },
  });
  const endMs = SCENARIO_START_MS + (baselineMinutes + anomalyMinutes) * MINUTE;
  let batch: IncomingMessage[] = [];
  let events = 0;
  while (gen.nextTimeMs() < endMs) {
    const e = gen.next();
    if (options.keep && !options.keep(e)) continue;
    const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: Date.parse(e.time) };
    batch.push({ raw, result: decodeMessage(raw) });
    events += 1;
    if (batch.length >= 2000) {
      store.ingest.commit(batch);
      batch = [];
      // Let the test runner's own messages through: a long synchronous fill times its RPC out.
      if (events % 20_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  store.ingest.commit(batch);
  return {
    store,
    file,
    fromMs: SCENARIO_START_MS + baselineMinutes * MINUTE,
    toMs: endMs,
    fraudTargetMerchantId: gen.fraudTargetMerchantId,
    events,
  };
}
