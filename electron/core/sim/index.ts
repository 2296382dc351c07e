export { createTrafficGenerator, type TrafficGenerator, type TrafficGeneratorOptions } from './trafficGenerator';
export { startPacedTraffic, type PacedTraffic, type PacedTrafficOptions } from './pacedTraffic';
export {
  publishTraffic,
  PublishTrafficError,
  type PublishProgress,
  type PublishResult,
  type PublishTrafficOptions,
} from './publishTraffic';
export { TokenBucket } from './tokenBucket';
export { SCENARIO_NAMES, DEFAULT_TIMINGS, type ScenarioName, type ScenarioTimings } from './scenarios';
export type { CloudEventObject } from './cloudEvent';
export { createRng, mulberry32, hash32, type Rng } from './prng';
export {
  PAYSIM_EPOCH_MS,
  PAYSIM_SAMPLE_SHA256,
  buildPaysimCaptureText,
  parsePaysimCsv,
  paysimRowToEvents,
  paysimToEvents,
  type PaysimRow,
} from './paysimMapping';
