// Segment health: each issuer, BIN range, acquirer, scheme, country, method and merchant judged
// against its own learned baseline (the minutes before the window), only above a volume floor.
// Reads the segment rollups only (migration 130; payments per cell, migration 350).
import { countText } from '../../../shared/countText';
import type { HealthBasis, HealthBoard, SegmentHealth, SegmentHealthFigures, SegmentState } from '../../../shared/triage';
import { HEALTH_DIMENSIONS } from '../../../shared/triage';
import { NONE_VALUE, OTHER_VALUE } from '../../../shared/segments';
import type { SegmentCounts, SegmentRow } from '../store/segmentRollupRepository';
import { BINOMIAL, dimensionDispersions, paymentCounts, segmentKey, type SegmentDispersion } from './healthDispersion';
import { fisherZ, percent, rate, Z_SEGMENT } from './stats';

/**
 * What a segment needs in the window and in its baseline to be judged at all: payments where its
 * approval is judged per payment (a merchant retrying hard passes it on attempts with a handful
 * of payments), attempts where per attempt.
 */
export const HEALTH_VOLUME_FLOOR = 20;
/** Down: approval below this fraction of its own baseline (or failures above DOWN_FAILURE), significantly. */
export const DOWN_APPROVAL_FRACTION = 0.3;
export const DOWN_FAILURE = 0.5;
/** Degraded: approval down (or failures up) by at least this many points, significantly. */
export const DEGRADED_POINTS = 0.1;
/**
 * Significance of a segment's change against its own baseline (|z|, two proportions widened by
 * its dispersion): explain's bar for a segment (Z_SEGMENT), since the board too tests every
 * segment of every dimension at once. At 3, calm traffic marked a merchant or BIN degraded on
 * one board in six.
 */
export const HEALTH_Z = Z_SEGMENT;
/**
 * Down: a segment whose attempts fell to this fraction of what its own baseline share of the
 * traffic expects (at least HEALTH_VOLUME_FLOOR of them), significantly. An acquirer or issuer
 * that stops answering often stops being sent traffic at all: it has no rate left to judge.
 */
export const TRAFFIC_DOWN_FRACTION = 0.1;

const ORDER: Record<SegmentState, number> = { down: 0, degraded: 1, ok: 2 };

export interface HealthInput {
  fromMs: number;
  toMs: number;
  window: SegmentRow[];
  baseline: SegmentRow[];
  /**
   * The baseline cut into slices as long as the window (oldest first), each slice's segment rows:
   * how far each segment's rates wander between them beyond chance widens its tests. Absent or
   * under MIN_DISPERSION_SLICES slices: the binomial tests.
   */
  baselineSlices?: SegmentRow[][];
}

export interface Verdict {
  state: SegmentState;
  reason: string;
  judged: boolean;
  /** The approval the verdict was reached on. */
  basis: HealthBasis;
  /** How far from its baseline (|z| of the test that decided; 0 when ok): the board's order within a state. */
  severity: number;
  /** What the state was reached on (null when ok): explain reports a segment by the same verdict. */
  cause: 'approval' | 'failure' | 'traffic' | null;
}

/** A segment's attempts in the window at its baseline share of the whole traffic (0 without a baseline). */
export function expectedAttempts(baselineAttempts: number, totals: { window: number; baseline: number }): number {
  return totals.baseline > 0 ? (baselineAttempts * totals.window) / totals.baseline : 0;
}

/**
 * A segment whose traffic all but vanished: down, or null. `attempts` and `baselineAttempts`: the
 * segment's, `totals`: every attempt's. Judged against its attempts in the window at its baseline
 * share of the whole traffic (so a quiet night or the end of a capture, where everything falls
 * together, singles nobody out), by Fisher's exact test of the two shares: a share learned from a
 * handful of baseline attempts is no expectation (2 attempts of 8 in a quiet baseline "expected"
 * 20 of a window ten times busier, and 1 read as down; with 3 attempts in all, 1 falling in the
 * window happens once in 40).
 */
export function judgeVanished(attempts: number, baselineAttempts: number, totals: { window: number; baseline: number }): Verdict | null {
  const expected = expectedAttempts(baselineAttempts, totals);
  if (expected < HEALTH_VOLUME_FLOOR || attempts > TRAFFIC_DOWN_FRACTION * expected) return null;
  const z = -fisherZ(attempts, totals.window, baselineAttempts, totals.baseline);
  if (z < HEALTH_Z) return null;
  const what = attempts === 0 ? 'no attempts' : countText(attempts, 'attempt');
  return { state: 'down', judged: true, basis: 'per attempt', severity: z, cause: 'traffic', reason: `${what} in the window, about ${Math.round(expected)} expected from its own baseline share of traffic` };
}

/**
 * z of the failure rate x/n against DOWN_FAILURE: a segment is down by failures when it is past
 * that line beyond chance. By the point estimate alone, the merchants of an acquirer that fails
 * half its attempts scatter either side of 50 %: some read "down" and came before the acquirer
 * itself, "degraded" at 49.9 %.
 */
function pastFailureLine(x: number, n: number): number {
  return (x / n - DOWN_FAILURE) / Math.sqrt((DOWN_FAILURE * (1 - DOWN_FAILURE)) / n);
}

/**
 * The approval a segment is judged on: per payment where both periods count their payments
 * (migration 350), so that a payment declined and retried is one payment, not a cluster of
 * declines; per attempt where either does not (minutes stored before the migration).
 */
function approvalOf(w: SegmentCounts, b: SegmentCounts, spread: SegmentDispersion) {
  // Known is enough, none included: a window of retries only has no payment to judge, and read
  // per attempt instead it would pass the floor on those retries.
  const wp = w.payments === null ? null : (paymentCounts(w) ?? { x: 0, n: 0 });
  const bp = b.payments === null ? null : (paymentCounts(b) ?? { x: 0, n: 0 });
  if (wp && bp) return { basis: 'per payment' as const, w: wp, b: bp, spread: spread.paymentApproval, unit: 'payments', volume: (c: SegmentCounts) => `${countText(c.payments ?? 0, 'payment')} (${countText(c.attempts, 'attempt')})` };
  return { basis: 'per attempt' as const, w: { x: w.approvals, n: w.attempts }, b: { x: b.approvals, n: b.attempts }, spread: spread.approval, unit: 'attempts', volume: (c: SegmentCounts) => countText(c.attempts, 'attempt') };
}

/**
 * The board's verdict on one value of a dimension (not '(none)': callers leave traffic without
 * the dimension out): its traffic all but vanished against its baseline share of the whole
 * (not for the folded tail '(other)', whose members change as values earn names), else its rates
 * against its own baseline. `totals`: every attempt of the window and of the baseline. The board
 * lists a value whose window holds no attempt only when this is 'traffic'. Explain reports a
 * segment by this same verdict (explain.ts), so that the two never disagree on the same minutes.
 */
export function segmentVerdict(value: string, w: SegmentCounts, b: SegmentCounts, totals: { window: number; baseline: number }, spread?: SegmentDispersion): Verdict {
  const vanished = value !== OTHER_VALUE ? judgeVanished(w.attempts, b.attempts, totals) : null;
  return vanished ?? judgeSegment(w, b, spread);
}

export function judgeSegment(w: SegmentCounts, b: SegmentCounts, spread: SegmentDispersion = BINOMIAL): Verdict {
  const approval = approvalOf(w, b, spread);
  const basis = approval.basis;
  const wa = rate(approval.w.x, approval.w.n);
  const ba = rate(approval.b.x, approval.b.n);
  const wf = rate(w.failures, w.attempts);
  const bf = rate(b.failures, b.attempts);
  const approvalText = `approval ${basis} ${percent(wa)} vs ${percent(ba)} (own baseline), ${approval.volume(w)}`;
  if (approval.w.n < HEALTH_VOLUME_FLOOR) return { state: 'ok', judged: false, basis, severity: 0, cause: null, reason: `${approval.volume(w)}: below the volume floor of ${HEALTH_VOLUME_FLOOR} ${approval.unit}, not judged` };
  if (approval.b.n < HEALTH_VOLUME_FLOOR) return { state: 'ok', judged: false, basis, severity: 0, cause: null, reason: `${approval.volume(b)} in its baseline: no baseline learned yet, not judged` };
  const zApproval = fisherZ(approval.w.x, approval.w.n, approval.b.x, approval.b.n) / Math.sqrt(approval.spread);
  const zFailure = fisherZ(w.failures, w.attempts, b.failures, b.attempts) / Math.sqrt(spread.failure);
  // Timeouts and acquirer errors are not retried as soft declines are: failures stay per attempt.
  const failureText = `failures per attempt ${percent(wf)} vs ${percent(bf)} (own baseline), ${countText(w.attempts, 'attempt')}`;
  if (pastFailureLine(w.failures, w.attempts) / Math.sqrt(spread.failure) >= HEALTH_Z && zFailure >= HEALTH_Z) return { state: 'down', judged: true, basis, severity: zFailure, cause: 'failure', reason: failureText };
  if (wa! <= DOWN_APPROVAL_FRACTION * ba! && zApproval <= -HEALTH_Z) return { state: 'down', judged: true, basis, severity: -zApproval, cause: 'approval', reason: approvalText };
  if (wf! - bf! >= DEGRADED_POINTS && zFailure >= HEALTH_Z) return { state: 'degraded', judged: true, basis, severity: zFailure, cause: 'failure', reason: failureText };
  if (ba! - wa! >= DEGRADED_POINTS && zApproval <= -HEALTH_Z) return { state: 'degraded', judged: true, basis, severity: -zApproval, cause: 'approval', reason: approvalText };
  return { state: 'ok', judged: true, basis, severity: 0, cause: null, reason: approvalText };
}

function figures(c: SegmentCounts): SegmentHealthFigures {
  const p = paymentCounts(c);
  return {
    attempts: c.attempts,
    approval: rate(c.approvals, c.attempts),
    failure: rate(c.failures, c.attempts),
    payments: c.payments,
    paymentApproval: p ? p.x / p.n : null,
  };
}

/** Every attempt has a merchant: its values' sums are the whole traffic. */
const TOTAL_DIMENSION = 'merchantId';

export function computeHealthBoard(input: HealthInput): HealthBoard {
  const key = segmentKey;
  const dims = new Set<string>(HEALTH_DIMENSIONS);
  const zero: SegmentCounts = { attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0, payments: 0 };
  const total = (rows: SegmentRow[]) => rows.reduce((n, r) => (r.dim === TOTAL_DIMENSION ? n + r.attempts : n), 0);
  const windowTotal = total(input.window);
  const baselineTotal = total(input.baseline);
  const windowRows = new Map(input.window.map((r) => [key(r), r]));
  // Traffic that does not carry a dimension (a bank transfer has no issuer) is no issuer of
  // its own: a board row "issuer (none)" would judge every other dimension's traffic again.
  const isSegment = (r: SegmentRow) => dims.has(r.dim) && r.value !== NONE_VALUE;
  const judged: { health: SegmentHealth; severity: number }[] = [];
  const add = (dimension: SegmentRow['dim'], value: string, w: SegmentCounts, b: SegmentCounts, verdict: Verdict) =>
    judged.push({
      severity: verdict.severity,
      health: {
        dimension: dimension as SegmentHealth['dimension'],
        value,
        state: verdict.state,
        reason: verdict.reason,
        judged: verdict.judged,
        basis: verdict.basis,
        window: figures(w),
        baseline: figures(b),
      },
    });
  const spreads = dimensionDispersions(input.baselineSlices ?? []);
  const totals = { window: windowTotal, baseline: baselineTotal };
  const baselineRows = new Map<string, SegmentRow>();
  for (const b of input.baseline) {
    if (!isSegment(b)) continue;
    baselineRows.set(key(b), b);
    // A segment whose traffic stopped has no window row: only its baseline says it is missing.
    if (windowRows.has(key(b))) continue;
    const verdict = segmentVerdict(b.value, zero, b, totals, spreads.get(b.dim));
    if (verdict.cause === 'traffic') add(b.dim, b.value, zero, b, verdict);
  }
  for (const w of input.window) {
    if (!isSegment(w)) continue;
    const b = baselineRows.get(key(w)) ?? zero;
    add(w.dim, w.value, w, b, segmentVerdict(w.value, w, b, totals, spreads.get(w.dim)));
  }
  // Within a state the segment furthest from its own baseline first: the culprit before the
  // broader segments that hold some of its traffic (they moved less, on more attempts).
  judged.sort(
    (a, b) =>
      ORDER[a.health.state] - ORDER[b.health.state] ||
      b.severity - a.severity ||
      HEALTH_DIMENSIONS.indexOf(a.health.dimension) - HEALTH_DIMENSIONS.indexOf(b.health.dimension) ||
      b.health.window.attempts - a.health.window.attempts ||
      a.health.value.localeCompare(b.health.value),
  );
  const bases = new Set(judged.filter((j) => j.health.judged).map((j) => j.health.basis));
  return {
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    // With nothing judged, what it would be judged on: payments where the newest minutes count them.
    basis: bases.size > 1 ? 'mixed' : ([...bases][0] ?? (input.window.every((r) => r.payments !== null) ? 'per payment' : 'per attempt')),
    volumeFloor: HEALTH_VOLUME_FLOOR,
    segments: judged.map((j) => j.health),
  };
}
