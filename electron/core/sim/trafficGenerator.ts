import type { KnownType } from '../../../shared/events/eventTypes';
import {
  DECLINE_CODES,
  HIGH_DECLINE_MERCHANT_ID,
  FAILURE_REASONS,
  ISSUERS,
  MARKETS,
  MERCHANTS,
  NORMAL_DECLINE_MIX,
  RISK_RULES,
  SOURCES,
  type Market,
  type Merchant,
} from './catalog';
import { makeCloudEvent, type CloudEventObject } from './cloudEvent';
import { createRng, type Rng } from './prng';
import {
  DEFAULT_TIMINGS,
  DEGRADED_ACQUIRER,
  OUTAGE_ISSUER,
  SPIKE_ISSUERS,
  SPIKE_MERCHANTS,
  isAnomalyAt,
  profileAt,
  type ScenarioName,
  type ScenarioTimings,
} from './scenarios';

export interface TrafficGeneratorOptions {
  seed: number;
  scenario: ScenarioName;
  /** Simulated time of the first event (epoch ms). */
  startMs: number;
  /** Events per simulated second: the event clock advances by 1/rate s per event. */
  rate: number;
  /** Overrides of the scenario's anomaly window (tests shorten it). */
  timings?: Partial<ScenarioTimings>;
}

export interface TrafficGenerator {
  /** The next event; its `time` is `nextTimeMs()` as it was before the call. */
  next(): CloudEventObject;
  /** The time the next event will carry (already past any stall window). */
  nextTimeMs(): number;
  /**
   * True while the scenario sends nothing (stall). A live publisher maps wall time onto
   * the event clock (startMs = wall start) and sends nothing while this is true.
   */
  isStalled(atMs: number): boolean;
  /** The merchant a fraud burst targets (drawn from the seed), for tests and demo notes. */
  readonly fraudTargetMerchantId: string;
  readonly scenario: ScenarioName;
  readonly timings: ScenarioTimings;
}

/** One step of a payment's story, turned into an event when it is emitted. */
interface Step {
  type: KnownType;
  source: string;
  data: Record<string, unknown>;
}

interface Flow {
  paymentId: string;
  steps: Step[];
}

interface Deferred {
  releaseSeq: number;
  paymentId: string;
  step: Step;
}

// Payments in progress at once: interleaves lifecycles the way concurrent traffic does,
// while keeping the generator's memory bounded whatever the rate.
const MAX_IN_FLIGHT = 16;
const NEW_PAYMENT_CHANCE = 0.25;
const MAX_DEFERRED = 2_000;

const MERCHANT_WEIGHTS = MERCHANTS.map((m) => [m, m.weight] as const);
const MARKET_WEIGHTS = MARKETS.map((m) => [m, m.weight] as const);
const ISSUER_WEIGHTS = ISSUERS.map((i) => [i, i.weight] as const);
const METHOD_WEIGHTS = [
  ['card', 80],
  ['wallet', 15],
  ['bank_transfer', 5],
] as const;

const HIGH_DECLINE_MERCHANT = MERCHANTS.find((m) => m.merchantId === HIGH_DECLINE_MERCHANT_ID)!;
// Where 3-D Secure is mandated (PSD2: EEA and UK) most card payments go through it; elsewhere few do.
const SCA_COUNTRIES: ReadonlySet<string> = new Set(['DE', 'FR', 'NL', 'ES', 'IT', 'GB', 'SE', 'PL']);
const THREE_DS_SCA = [
  ['frictionless', 72],
  ['challenged', 25],
  ['failed', 3],
] as const;
const THREE_DS_ELSEWHERE = [
  ['not_attempted', 85],
  ['frictionless', 15],
] as const;
const CARD_TESTING_CODES = [
  [DECLINE_CODES.doNotHonor, 45],
  [DECLINE_CODES.invalidCardNumber, 35],
  [DECLINE_CODES.expiredCard, 20],
] as const;

function minorUnits(market: Market, major: number): number {
  // JPY has no minor unit; prices there are ~150x the major-unit figure of USD.
  return market.currency === 'JPY' ? Math.max(1, Math.round(major * 150)) : Math.max(1, Math.round(major * 100));
}

function decisionFor(score: number): 'approve' | 'review' | 'block' {
  if (score >= 80) return 'block';
  if (score >= 60) return 'review';
  return 'approve';
}

export function createTrafficGenerator(options: TrafficGeneratorOptions): TrafficGenerator {
  const { seed, scenario, startMs } = options;
  if (!(options.rate > 0) || !Number.isFinite(options.rate)) {
    throw new RangeError(`rate must be a positive number of events per second (got ${options.rate})`);
  }
  const timings: ScenarioTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const stepMs = 1000 / options.rate;
  const rng: Rng = createRng(seed);
  // The burst target comes from the tail of the portfolio so it stands out against the
  // big merchants' usual block counts.
  const targets = MERCHANTS.slice(4).filter((m) => m !== HIGH_DECLINE_MERCHANT);
  const fraudTarget: Merchant = targets[Math.floor(rng.float() * targets.length)];
  // Dimensions the older scenarios did not draw come from a stream of their own, so that
  // adding them left those scenarios' sequences of payments as they were.
  const dimensionRng: Rng = createRng((seed ^ 0x13d1a5e5) >>> 0);

  let seq = 0;
  let clockMs = startMs;
  const inFlight: Flow[] = [];
  const deferred: Deferred[] = [];

  const stalledAt = (atMs: number) => scenario === 'stall' && isAnomalyAt(atMs - startMs, timings);

  function skipStall(): void {
    if (stalledAt(clockMs)) clockMs = startMs + timings.anomalyStartMs + timings.anomalyDurationMs;
  }

  function defer(step: Step, paymentId: string, minEvents: number, maxEvents: number): void {
    if (deferred.length >= MAX_DEFERRED) return;
    const releaseSeq = seq + rng.int(minEvents, maxEvents);
    let i = deferred.length;
    while (i > 0 && deferred[i - 1].releaseSeq > releaseSeq) i--;
    deferred.splice(i, 0, { releaseSeq, paymentId, step });
  }

  /** Decides a whole payment up front from the profile of the moment it starts. */
  function startPayment(): Flow {
    const elapsed = clockMs - startMs;
    const profile = profileAt(scenario, elapsed, timings);
    const inBurst = profile.burstShare > 0 && rng.chance(profile.burstShare);
    const cardTesting = !inBurst && profile.cardTestingShare > 0 && rng.chance(profile.cardTestingShare);
    const mixShifted = !inBurst && !cardTesting && profile.mixShiftShare > 0 && rng.chance(profile.mixShiftShare);
    const merchant = inBurst || cardTesting ? fraudTarget : mixShifted ? HIGH_DECLINE_MERCHANT : rng.weighted(MERCHANT_WEIGHTS);
    // Card testing comes from abroad; ordinary customers mostly pay in the merchant's market.
    const cardMarket = inBurst || cardTesting || rng.chance(0.15) ? rng.weighted(MARKET_WEIGHTS) : merchant.market;
    const issuer = rng.weighted(ISSUER_WEIGHTS);
    const method = inBurst || cardTesting ? 'card' : rng.weighted(METHOD_WEIGHTS);
    const cardBin = rng.pick(issuer.bins);
    const onCard = method !== 'bank_transfer';
    const threeDS = cardTesting
      ? 'not_attempted'
      : dimensionRng.weighted(SCA_COUNTRIES.has(cardMarket.country) ? THREE_DS_SCA : THREE_DS_ELSEWHERE);
    const amount = inBurst || cardTesting
      ? rng.int(100, 500)
      : minorUnits(merchant.market, Math.min(rng.logNormal(merchant.medianAmount, 0.8), merchant.medianAmount * 40));
    const paymentId = `pay_${rng.token(12)}`;
    const customerId = `cus_${rng.token(10)}`;

    const base = {
      paymentId,
      merchantId: merchant.merchantId,
      amount,
      currency: merchant.market.currency,
      method,
      country: cardMarket.country,
      ...(onCard ? { cardBin, issuer: issuer.name, scheme: issuer.scheme, threeDS } : {}),
      acquirer: merchant.acquirer,
      mcc: merchant.mcc,
      attempt: 1,
    };

    // Risk score: ~1 % blocked (>= 80), ~2 % sent to review (60-79), the rest low.
    let score: number;
    const r = rng.float();
    if (inBurst) score = rng.chance(0.9) ? rng.int(85, 99) : rng.int(65, 84);
    else if (cardTesting) score = 1 + Math.floor(30 * rng.float()); // small amounts slip under the risk model
    else if (r < 0.01) score = rng.int(80, 99);
    else if (r < 0.03) score = rng.int(60, 79);
    else score = 1 + Math.floor(44 * rng.float() ** 2);
    const decision = decisionFor(score);
    const rules: string[] = [];
    if (inBurst) rules.push(RISK_RULES.cardTesting, RISK_RULES.velocity);
    if (cardMarket.country !== merchant.market.country && score >= 40) rules.push(RISK_RULES.countryMismatch);
    if (score >= 60 && !inBurst) rules.push(rng.pick([RISK_RULES.newDevice, RISK_RULES.ipReputation, RISK_RULES.highAmount]));
    const reasons =
      decision === 'block'
        ? ['score above block threshold 80']
        : decision === 'review'
          ? ['score above review threshold 60']
          : [];
    const risk = {
      paymentId,
      merchantId: merchant.merchantId,
      score,
      decision,
      rules,
      reasons,
      country: cardMarket.country,
      amount,
      currency: merchant.market.currency,
    };

    const steps: Step[] = [
      { type: 'payment.initiated', source: SOURCES.gateway, data: { ...base, customerId } },
      { type: 'risk.scored', source: SOURCES.risk, data: risk },
    ];
    if (decision === 'review') steps.push({ type: 'risk.flagged', source: SOURCES.risk, data: risk });
    if (decision === 'block') {
      steps.push({ type: 'risk.blocked', source: SOURCES.risk, data: risk });
      steps.push({
        type: 'payment.declined',
        source: SOURCES.authorizer,
        data: { ...base, latencyMs: rng.int(20, 90), declineCode: DECLINE_CODES.suspectedFraud, reason: 'risk_blocked' },
      });
      return { paymentId, steps };
    }

    const latencyMs = Math.round(Math.min(rng.logNormal(180, 0.5), 2500));
    const acquirerDegraded = profile.acquirerFailureRate > 0 && merchant.acquirer === DEGRADED_ACQUIRER;
    if (rng.chance(acquirerDegraded ? profile.acquirerFailureRate : profile.failureRate)) {
      const reason = acquirerDegraded ? 'timeout' : rng.pick(FAILURE_REASONS);
      steps.push({
        type: 'payment.failed',
        source: SOURCES.authorizer,
        data: { ...base, latencyMs: reason === 'timeout' ? rng.int(5000, 15000) : latencyMs, reason },
      });
      return { paymentId, steps };
    }

    const spikeHit =
      isAnomalyAt(elapsed, timings) && (SPIKE_ISSUERS.has(issuer.name) || SPIKE_MERCHANTS.has(merchant.merchantId));
    const issuerDown = onCard && profile.outageDeclineRate > 0 && issuer.name === OUTAGE_ISSUER;
    const declineRate = issuerDown
      ? profile.outageDeclineRate
      : cardTesting
        ? 0.85
        : spikeHit && profile.spikeDeclineRate > profile.declineRate
          ? profile.spikeDeclineRate
          : merchant.declineRate;
    if (rng.chance(declineRate)) {
      // An issuer outage answers mostly 91 (issuer unavailable) and 05 (do not honour).
      const declineCode = issuerDown
        ? rng.weighted([
            [DECLINE_CODES.issuerUnavailable, 95],
            [DECLINE_CODES.doNotHonor, 5],
          ])
        : cardTesting
          ? rng.weighted(CARD_TESTING_CODES)
          : spikeHit && profile.spikeDeclineRate > profile.declineRate
          ? rng.weighted([
              [DECLINE_CODES.issuerUnavailable, 60],
              [DECLINE_CODES.doNotHonor, 30],
              [DECLINE_CODES.insufficientFunds, 10],
            ])
          : rng.weighted(NORMAL_DECLINE_MIX);
      steps.push({ type: 'payment.declined', source: SOURCES.authorizer, data: { ...base, latencyMs, declineCode } });
      return { paymentId, steps };
    }

    steps.push({ type: 'payment.authorized', source: SOURCES.authorizer, data: { ...base, latencyMs } });
    if (!rng.chance(0.97)) return { paymentId, steps }; // authorization left to expire
    const settled = { paymentId, merchantId: merchant.merchantId, amount, currency: merchant.market.currency };
    steps.push({ type: 'payment.captured', source: SOURCES.settlement, data: settled });
    // Refunds and disputes arrive long after capture: released hundreds of events later.
    if (rng.chance(0.02)) {
      const refunded = rng.chance(0.7) ? amount : Math.max(1, Math.round(amount * rng.float()));
      defer(
        { type: 'payment.refunded', source: SOURCES.settlement, data: { ...settled, amount: refunded, reason: 'requested_by_customer' } },
        paymentId,
        200,
        3000,
      );
    }
    if (rng.chance(0.003)) {
      defer(
        { type: 'payment.chargeback', source: SOURCES.disputes, data: { ...settled, reason: rng.pick(['fraudulent', 'product_not_received']) } },
        paymentId,
        1000,
        5000,
      );
    }
    return { paymentId, steps };
  }

  function emit(paymentId: string, step: Step): CloudEventObject {
    const event = makeCloudEvent(rng.uuid(), step.source, step.type, clockMs, paymentId, step.data);
    seq++;
    clockMs += stepMs;
    return event;
  }

  return {
    scenario,
    timings,
    fraudTargetMerchantId: fraudTarget.merchantId,
    nextTimeMs() {
      skipStall();
      return Math.round(clockMs);
    },
    isStalled: stalledAt,
    next() {
      skipStall();
      if (deferred.length > 0 && deferred[0].releaseSeq <= seq) {
        const d = deferred.shift()!;
        return emit(d.paymentId, d.step);
      }
      if (inFlight.length === 0 || (inFlight.length < MAX_IN_FLIGHT && rng.chance(NEW_PAYMENT_CHANCE))) {
        inFlight.push(startPayment());
      }
      const index = inFlight.length === 1 ? 0 : rng.int(0, inFlight.length - 1);
      const flow = inFlight[index];
      // Steps leave in order per payment; which payment moves next is random, as with concurrent traffic.
      const step = flow.steps.shift()!;
      if (flow.steps.length === 0) inFlight.splice(index, 1);
      return emit(flow.paymentId, step);
    },
  };
}
