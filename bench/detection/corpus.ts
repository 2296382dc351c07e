// The labelled incident corpus of bench:detection: which traffic to build (a recipe the
// traffic module rebuilds event for event) and, for each planted incident, its onset, end,
// the rule that must catch it and the group it must name. Pure and deterministic: the
// committed corpus.json is this function's output (tools/build-detection-corpus.ts writes
// it; corpus.test.ts fails if the two drift apart), never written by hand.
import { createTrafficGenerator } from '../../electron/core/sim';
import type { TrafficRecipe } from './traffic';

export const CORPUS_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
export const RATES = [20, 200, 2000] as const;
/** Normal traffic before the incident; 20 s is the simulator's own default lead-in (a cold start). */
export const WARMUPS_MS = [20_000, 60_000, 240_000, 1_200_000] as const;
export const SEEDS = [1, 2, 3] as const;
const INCIDENT_MS = 120_000;
/** After the onset, traffic runs this long: the 3-minute goal plus room for the alert to resolve. */
const AFTER_ONSET_MS = 200_000;
/** A second spike this soon after the first one ended (the baseline must have recovered). */
const SECOND_SPIKE_GAP_MS = 180_000;

export interface IncidentLabel {
  rule: string;
  /** The group the alert must name ("merchant=m_1023"), or "" for a whole-stream rule. */
  group: string;
  onsetMs: number;
  endMs: number;
}

export interface DetectionCase {
  id: string;
  /** In the default (short) run; the rest run with PAYOPS_DETECTION_LONG=1. */
  inDefaultRun: boolean;
  attemptsPerSecond: number;
  warmupMs: number | null;
  recipe: TrafficRecipe;
  durationMs: number;
  /** Empty for normal traffic: every firing there is a false one. */
  incidents: IncidentLabel[];
}

/** The scenarios the default pack is measured on (the triage scenarios are explained, not paged). */
type DetectedScenario = 'decline-spike' | 'fraud-burst' | 'stall';

const EXPECTED_RULE: Record<DetectedScenario, string> = {
  'decline-spike': 'decline-rate-spike',
  'fraud-burst': 'fraud-burst-per-merchant',
  stall: 'traffic-stopped',
};

function simIncident(scenario: DetectedScenario, rate: number, warmupMs: number, seed: number): DetectionCase {
  const durationMs = warmupMs + AFTER_ONSET_MS;
  const target = createTrafficGenerator({ seed: seed * 101, scenario, startMs: 0, rate: 1 }).fraudTargetMerchantId;
  // The default run: every rate, the cold start, 1 and 4 minutes (2,000 attempts/s cold only),
  // 20 minutes at 20 attempts/s; a second seed at 20 attempts/s after 4 minutes. The rest needs PAYOPS_DETECTION_LONG=1.
  const inDefaultRun =
    rate === 2000 ? warmupMs === 20_000 && seed === 1 : rate === 200 ? seed === 1 && warmupMs <= 240_000 : seed === 1 || (seed === 2 && warmupMs === 240_000);
  return {
    id: `sim/${scenario}/${rate}aps/warmup-${warmupMs / 1000}s/seed-${seed}`,
    inDefaultRun,
    attemptsPerSecond: rate,
    warmupMs,
    recipe: { kind: 'sim', seed, attemptsPerSecond: rate, segments: [{ scenario, durationMs, anomalyStartMs: warmupMs, anomalyDurationMs: INCIDENT_MS }] },
    durationMs,
    incidents: [
      {
        rule: EXPECTED_RULE[scenario],
        group: scenario === 'fraud-burst' ? `merchant=${target}` : '',
        onsetMs: CORPUS_START_MS + warmupMs,
        endMs: CORPUS_START_MS + warmupMs + INCIDENT_MS,
      },
    ],
  };
}

/** Two decline spikes: the first at the simulator's defaults, the second soon after the first ends. */
function secondSpike(rate: number, seed: number): DetectionCase {
  const first = { scenario: 'decline-spike' as const, durationMs: 20_000 + INCIDENT_MS + SECOND_SPIKE_GAP_MS, anomalyStartMs: 20_000, anomalyDurationMs: INCIDENT_MS };
  const second = { scenario: 'decline-spike' as const, durationMs: AFTER_ONSET_MS, anomalyStartMs: 0, anomalyDurationMs: INCIDENT_MS };
  const secondOnset = CORPUS_START_MS + first.durationMs;
  return {
    id: `sim/decline-spike-twice/${rate}aps/seed-${seed}`,
    inDefaultRun: rate !== 2000 && seed === 1,
    attemptsPerSecond: rate,
    warmupMs: 20_000,
    recipe: { kind: 'sim', seed, attemptsPerSecond: rate, segments: [first, second] },
    durationMs: first.durationMs + second.durationMs,
    incidents: [
      { rule: 'decline-rate-spike', group: '', onsetMs: CORPUS_START_MS + 20_000, endMs: CORPUS_START_MS + 20_000 + INCIDENT_MS },
      { rule: 'decline-rate-spike', group: '', onsetMs: secondOnset, endMs: secondOnset + INCIDENT_MS },
    ],
  };
}

function paysimIncident(kind: 'decline-spike' | 'stall' | 'fraud-burst', rate: number, warmupMs: number, seed: number): DetectionCase {
  const durationMs = warmupMs + AFTER_ONSET_MS;
  const rule = EXPECTED_RULE[kind];
  return {
    id: `paysim/${kind}/${rate}aps/warmup-${warmupMs / 1000}s/seed-${seed}`,
    inDefaultRun: seed === 1 && (rate === 20 ? warmupMs === 20_000 || warmupMs === 240_000 : rate === 200 && warmupMs === 20_000),
    attemptsPerSecond: rate,
    warmupMs,
    recipe: { kind: 'paysim', seed, attemptsPerSecond: rate, durationMs, incidents: [{ kind, onsetMs: warmupMs, endMs: warmupMs + INCIDENT_MS }] },
    durationMs,
    incidents: [{ rule, group: kind === 'fraud-burst' ? 'merchant=m_paysim_burst' : '', onsetMs: CORPUS_START_MS + warmupMs, endMs: CORPUS_START_MS + warmupMs + INCIDENT_MS }],
  };
}

/** Normal traffic for false firings: longest at the lowest rate, where noise is largest. */
const NORMAL_MS: Record<(typeof RATES)[number], { short: number; long: number }> = {
  20: { short: 3600_000, long: 24 * 3600_000 },
  200: { short: 5 * 60_000, long: 4 * 3600_000 },
  2000: { short: 60_000, long: 30 * 60_000 },
};

function normal(kind: 'sim' | 'paysim', rate: (typeof RATES)[number], seed: number, long: boolean): DetectionCase {
  const durationMs = long ? NORMAL_MS[rate].long : NORMAL_MS[rate].short;
  const recipe: TrafficRecipe =
    kind === 'sim'
      ? { kind, seed, attemptsPerSecond: rate, segments: [{ scenario: 'normal', durationMs, anomalyStartMs: durationMs, anomalyDurationMs: 0 }] }
      : { kind, seed, attemptsPerSecond: rate, durationMs, incidents: [] };
  return { id: `${kind}/normal/${rate}aps/${durationMs / 60_000}min/seed-${seed}`, inDefaultRun: !long, attemptsPerSecond: rate, warmupMs: null, recipe, durationMs, incidents: [] };
}

export function buildCorpus(): DetectionCase[] {
  const cases: DetectionCase[] = [];
  for (const scenario of ['decline-spike', 'fraud-burst', 'stall'] as const)
    for (const rate of RATES) for (const warmup of WARMUPS_MS) for (const seed of SEEDS) cases.push(simIncident(scenario, rate, warmup, seed));
  for (const rate of RATES) for (const seed of SEEDS) cases.push(secondSpike(rate, seed));
  for (const kind of ['decline-spike', 'fraud-burst', 'stall'] as const)
    for (const rate of RATES) for (const warmup of WARMUPS_MS) for (const seed of SEEDS) cases.push(paysimIncident(kind, rate, warmup, seed));
  for (const kind of ['sim', 'paysim'] as const)
    for (const rate of RATES) {
      cases.push(normal(kind, rate, 7, false));
      cases.push(normal(kind, rate, 8, true));
    }
  return cases;
}
