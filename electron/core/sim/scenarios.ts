
export type ScenarioName =
  | 'normal'
  | 'decline-spike'
  | 'fraud-burst'
  | 'stall'
  | 'issuer-outage'
  | 'acquirer-degradation'
  | 'mix-shift'
  | 'card-testing';

export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'normal',
  'decline-spike',
  'fraud-burst',
  'stall',
  'issuer-outage',
  'acquirer-degradation',
  'mix-shift',
  'card-testing',
];

/**
 * When a scenario's anomaly happens, in simulated milliseconds since `startMs`.
 *
 * Defaults: 20 s of normal traffic (long enough for rate and decline windows to fill
 * and for an alert's baseline), then the anomaly for 2 minutes (long enough to pass a
 * typical pending period and fire), then normal traffic again so the alert resolves.
 *   - decline-spike: issuer declines jump for two issuers and three merchants, which
 *     takes the overall decline rate from ~5 % to ~30 %.
 *   - fraud-burst:   one merchant gets a card-testing burst: many small payments with
 *     scores 85-99, nearly all risk.blocked.
 *   - issuer-outage: one issuer (OUTAGE_ISSUER, one BIN range) declines nearly everything with 91.
 *   - acquirer-degradation: one acquirer (DEGRADED_ACQUIRER) times out: payment.failed for half its attempts.
 *   - mix-shift:     the merchant that always declines more (HIGH_DECLINE_MERCHANT_ID) grows to a
 *     large share of traffic; no segment's own rate changes.
 *   - card-testing:  one merchant gets many small card attempts on many cards, passed by risk
 *     and declined by issuers with 05 / 14 / 54.
 *   - stall:         no events at all during the anomaly window (the event clock jumps
 *     over it; a live publisher sends nothing), then traffic resumes.
 */
export interface ScenarioTimings {
  anomalyStartMs: number;
  anomalyDurationMs: number;
}

export const DEFAULT_TIMINGS: ScenarioTimings = {
  anomalyStartMs: 20_000,
  anomalyDurationMs: 120_000,
};

/**
 * The demo's story, what a user sees when demo mode starts: 30 s of normal traffic, the
 * anomaly for 1 minute, then normal traffic for good. The default pack fires on the decline
 * spike about a minute after it starts and resolves about a minute after it ends.
 */
export const DEMO_TIMINGS: ScenarioTimings = {
  anomalyStartMs: 30_000,
  anomalyDurationMs: 60_000,
};

/** Issuers and merchants hit by the decline spike (an issuer outage plus one acquirer route). */
export const SPIKE_ISSUERS: ReadonlySet<string> = new Set(['northbank', 'harbor-credit']);
export const SPIKE_MERCHANTS: ReadonlySet<string> = new Set(['m_1001', 'm_1005', 'm_1013']);

/** The issuer whose BINs go down in issuer-outage, and the acquirer that degrades in acquirer-degradation. */
export const OUTAGE_ISSUER = 'tamarind-card';
export const DEGRADED_ACQUIRER = 'acq-meridian';

/** Per-payment probabilities; the generator reads them for the current phase. */
export interface TrafficProfile {
  /** Issuer decline probability for unaffected payments. */
  declineRate: number;
  /** Issuer decline probability for spike-affected issuers / merchants. */
  spikeDeclineRate: number;
  failureRate: number;
  /** Share of new payments that belong to the fraud burst on the target merchant. */
  burstShare: number;
  /** Decline probability of OUTAGE_ISSUER's payments (issuer-outage). */
  outageDeclineRate: number;
  /** Failure probability of DEGRADED_ACQUIRER's payments (acquirer-degradation). */
  acquirerFailureRate: number;
  /** Share of new payments moved to HIGH_DECLINE_MERCHANT_ID (mix-shift). */
  mixShiftShare: number;
  /** Share of new payments that are card-testing attempts on the target merchant (card-testing). */
  cardTestingShare: number;
}

export const NORMAL_PROFILE: TrafficProfile = {
  // ~4 % issuer declines + ~1 % risk blocks (declined with code 59) = ~5 % declines.
  declineRate: 0.04,
  spikeDeclineRate: 0.04,
  failureRate: 0.01,
  burstShare: 0,
  outageDeclineRate: 0,
  acquirerFailureRate: 0,
  mixShiftShare: 0,
  cardTestingShare: 0,
};

export function isAnomalyAt(elapsedMs: number, timings: ScenarioTimings): boolean {
  return elapsedMs >= timings.anomalyStartMs && elapsedMs < timings.anomalyStartMs + timings.anomalyDurationMs;
}

export function profileAt(scenario: ScenarioName, elapsedMs: number, timings: ScenarioTimings): TrafficProfile {
  if (!isAnomalyAt(elapsedMs, timings)) return NORMAL_PROFILE;
  switch (scenario) {
    case 'decline-spike':
      return { ...NORMAL_PROFILE, spikeDeclineRate: 0.6 };
    case 'fraud-burst':
      return { ...NORMAL_PROFILE, burstShare: 0.3 };
    case 'issuer-outage':
      return { ...NORMAL_PROFILE, outageDeclineRate: 0.9 };
    case 'acquirer-degradation':
      return { ...NORMAL_PROFILE, acquirerFailureRate: 0.5 };
    case 'mix-shift':
      return { ...NORMAL_PROFILE, mixShiftShare: 0.3 };
    case 'card-testing':
      return { ...NORMAL_PROFILE, cardTestingShare: 0.3 };
    default:
      return NORMAL_PROFILE;
  }
}
