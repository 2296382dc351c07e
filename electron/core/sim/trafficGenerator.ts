import { declineCodeInfo } from '../../../shared/declineCodes';
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
  type Issuer,
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
  /** A decline the merchant may retry: decided when it is sent, so a retry always comes after it. */
  retryable?: { issuer: Issuer | null; merchant: Merchant };
}

interface Flow {
  paymentId: string;
  steps: Step[];
}

/** A merchant's retry of a declined attempt: its outcome is drawn when it is sent. */
interface Retry {
  /** The attempt this retry is (2 or 3). */
  attempt: number;
  /** The declined attempt's data (its dimensions are the retry's). */
  previous: Record<string, unknown>;
  issuer: Issuer | null;
  merchant: Merchant;
}

interface Deferred {
  releaseSeq: number;
  paymentId: string;
  /** A step to send, or a retry whose outcome is decided at its release (the profile of that moment). */
  step: Step | Retry;
}

// Payments in progress at once: interleaves lifecycles the way concurrent traffic does,
// while keeping the generator's memory bounded whatever the rate.
const MAX_IN_FLIGHT = 16;
const NEW_PAYMENT_CHANCE = 0.25;
const MAX_DEFERRED = 2_000;

// Merchant retries after a soft decline (shared/declineCodes.ts: the issuer may approve the same
// request later): the merchant's (or its PSP's) retry logic sends the same paymentId again a
// few seconds later. How often depends on the code, as retry logic does: an issuer that was
// unavailable (91) is a technical failure worth retrying at once; a generic refusal (05) is
// retried often; insufficient funds (51) or a limit (61) rarely pass seconds later, so most
// merchants retry those days later (outside the simulation) and only some at once. With the
// calm decline mix that is ~30 % of soft declines. A retry declined again gets a third and
// last attempt a quarter of the time (schemes charge for excessive reattempts).
// Never after a hard decline, a risk block (59) or card testing (the fraudster moves on to the
// next card). A retry seconds later is approved far less often than a first attempt: the
// funds, the limit or the issuer's refusal are usually still there; an issuer that answered
// 91 in calm traffic has often recovered, one still in an outage has not.
const RETRY_CHANCE: Readonly<Record<string, number>> = {
  [DECLINE_CODES.issuerUnavailable]: 0.6,
  [DECLINE_CODES.doNotHonor]: 0.35,
  [DECLINE_CODES.insufficientFunds]: 0.25,
  [DECLINE_CODES.exceedsLimit]: 0.25,
};
const RETRY_CHANCE_OTHER = 0.3;
const THIRD_ATTEMPT_CHANCE = 0.25;
const MAX_ATTEMPTS = 3;
const RETRY_DELAY_S: readonly [number, number] = [2, 8];
const MAX_DEFERRED_RETRIES = 2_000;
/** Approval chance of a retry seconds later, by the code that declined the attempt before it. */
const RETRY_APPROVAL: Readonly<Record<string, number>> = {
  [DECLINE_CODES.insufficientFunds]: 0.08,
  [DECLINE_CODES.exceedsLimit]: 0.1,
  [DECLINE_CODES.doNotHonor]: 0.15,
  [DECLINE_CODES.issuerUnavailable]: 0.45,
};
const RETRY_APPROVAL_OTHER = 0.12;
/** A retry declined again mostly gets the same answer; otherwise a generic 05. */
const SAME_CODE_AGAIN = 0.85;

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
  // Retries draw every decision (whether, when, the outcome, the event id) from a third stream,
  // so that the main stream's sequence of draws is the one it was without retries.
  const retryRng: Rng = createRng((seed ^ 0x7e7a1e5d) >>> 0);

  // `seq` counts the main stream's events only, so that retries (a queue and a count of their
  // own, `sent` = every event) never move when the main stream's deferred steps are released.
  let seq = 0;
  let sent = 0;
  let clockMs = startMs;
  const inFlight: Flow[] = [];
  const deferred: Deferred[] = [];
  const retries: Deferred[] = [];

  const stalledAt = (atMs: number) => scenario === 'stall' && isAnomalyAt(atMs - startMs, timings);

  function skipStall(): void {
    if (stalledAt(clockMs)) clockMs = startMs + timings.anomalyStartMs + timings.anomalyDurationMs;
  }

  /**
   * Sends `step` between minEvents and maxEvents events from now. Steps of the main stream
   * count its events only; retries (`from` = retryRng) count every event and have a queue and
   * a bound of their own, so pending retries never change what or when the main stream draws.
   */
  function defer(step: Step | Retry, paymentId: string, minEvents: number, maxEvents: number, from: Rng = rng): void {
    const main = from === rng;
    const queue = main ? deferred : retries;
    if (queue.length >= (main ? MAX_DEFERRED : MAX_DEFERRED_RETRIES)) return;
    const releaseSeq = (main ? seq : sent) + from.int(minEvents, maxEvents);
    let i = queue.length;
    while (i > 0 && queue[i - 1].releaseSeq > releaseSeq) i--;
    queue.splice(i, 0, { releaseSeq, paymentId, step });
  }

  /** Perhaps schedules the merchant's retry of a declined attempt (retryRng only). */
  function maybeRetry(declined: Record<string, unknown>, issuer: Issuer | null, merchant: Merchant): void {
    const attempt = declined.attempt as number;
    if (attempt >= MAX_ATTEMPTS) return;
    const code = declined.declineCode as string;
    if (declineCodeInfo(code).kind !== 'soft' || code === DECLINE_CODES.suspectedFraud) return;
    if (!retryRng.chance(attempt === 1 ? (RETRY_CHANCE[code] ?? RETRY_CHANCE_OTHER) : THIRD_ATTEMPT_CHANCE)) return;
    const minEvents = Math.max(1, Math.round(RETRY_DELAY_S[0] * options.rate));
    const maxEvents = Math.max(minEvents, Math.round(RETRY_DELAY_S[1] * options.rate));
    defer({ attempt: attempt + 1, previous: declined, issuer, merchant }, declined.paymentId as string, minEvents, maxEvents, retryRng);
  }

  /** A retry's outcome, from the profile at the moment it is sent (retryRng only). */
  function retryStep(retry: Retry): Step {
    const { previous, issuer, merchant } = retry;
    const profile = profileAt(scenario, clockMs - startMs, timings);
    const previousCode = previous.declineCode as string;
    const issuerDown = issuer !== null && profile.outageDeclineRate > 0 && issuer.name === OUTAGE_ISSUER;
    const spikeHit =
      isAnomalyAt(clockMs - startMs, timings) &&
      profile.spikeDeclineRate > profile.declineRate &&
      ((issuer !== null && SPIKE_ISSUERS.has(issuer.name)) || SPIKE_MERCHANTS.has(merchant.merchantId));
    // While the cause is still there the retry fares no better than a first attempt, and worse.
    const approval = issuerDown
      ? 0.5 * (1 - profile.outageDeclineRate)
      : spikeHit
        ? 0.5 * (1 - profile.spikeDeclineRate)
        : (RETRY_APPROVAL[previousCode] ?? RETRY_APPROVAL_OTHER);
    const latencyMs = Math.round(Math.min(retryRng.logNormal(180, 0.5), 2500));
    const { declineCode: _code, reason: _reason, ...dims } = previous;
    const data = { ...dims, attempt: retry.attempt, latencyMs };
    if (retryRng.chance(approval)) {
      if (retryRng.chance(0.97)) {
        const settled = { paymentId: previous.paymentId, merchantId: previous.merchantId, amount: previous.amount, currency: previous.currency };
        defer({ type: 'payment.captured', source: SOURCES.settlement, data: settled }, previous.paymentId as string, 1, 20, retryRng);
      }
      return { type: 'payment.authorized', source: SOURCES.authorizer, data };
    }
    const declineCode = issuerDown
      ? retryRng.weighted([
          [DECLINE_CODES.issuerUnavailable, 95],
          [DECLINE_CODES.doNotHonor, 5],
        ])
      : retryRng.chance(SAME_CODE_AGAIN)
        ? previousCode
        : DECLINE_CODES.doNotHonor;
    return { type: 'payment.declined', source: SOURCES.authorizer, data: { ...data, declineCode }, retryable: { issuer, merchant } };
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
      // Card testers (and a fraud burst's attempts) do not retry a card; a risk block (above) is never retried either.
      const retryable = cardTesting || inBurst ? undefined : { issuer: onCard ? issuer : null, merchant };
      steps.push({ type: 'payment.declined', source: SOURCES.authorizer, data: { ...base, latencyMs, declineCode }, retryable });
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

  function emit(paymentId: string, step: Step, ids: Rng = rng): CloudEventObject {
    // Drawn before seq moves on, so the retry is released at least one event after this one.
    if (step.retryable) maybeRetry(step.data, step.retryable.issuer, step.retryable.merchant);
    const event = makeCloudEvent(ids.uuid(), step.source, step.type, clockMs, paymentId, step.data);
    if (ids === rng) seq++;
    sent++;
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
      if (retries.length > 0 && retries[0].releaseSeq <= sent) {
        const r = retries.shift()!;
        return emit(r.paymentId, 'type' in r.step ? r.step : retryStep(r.step), retryRng);
      }
      if (deferred.length > 0 && deferred[0].releaseSeq <= seq) {
        const d = deferred.shift()!;
        return emit(d.paymentId, d.step as Step);
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
