// Segment health: each issuer, BIN range, acquirer, scheme, country, method and merchant judged
// against its own learned baseline (the minutes before the window), only above a volume floor.
// Reads the segment rollups only (migration 130).
import type { HealthBoard, SegmentHealth, SegmentState } from '../../../shared/triage';
import { HEALTH_DIMENSIONS } from '../../../shared/triage';
import { NONE_VALUE } from '../../../shared/segments';
import type { SegmentCounts, SegmentRow } from '../store/segmentRollupRepository';
import { percent, rate, twoProportionZ } from './stats';

/** Attempts a segment needs in the window and in its baseline to be judged at all. */
export const HEALTH_VOLUME_FLOOR = 20;
/** Down: approval below this fraction of its own baseline (or failures above DOWN_FAILURE), significantly. */
export const DOWN_APPROVAL_FRACTION = 0.3;
export const DOWN_FAILURE = 0.5;
/** Degraded: approval down (or failures up) by at least this many points, significantly. */
export const DEGRADED_POINTS = 0.1;
/** Significance of a segment's change against its own baseline (|z|, two proportions). */
export const HEALTH_Z = 3;

const ORDER: Record<SegmentState, number> = { down: 0, degraded: 1, ok: 2 };

export interface HealthInput {
  fromMs: number;
  toMs: number;
  window: SegmentRow[];
  baseline: SegmentRow[];
}

export function judgeSegment(w: SegmentCounts, b: SegmentCounts): { state: SegmentState; reason: string; judged: boolean } {
  const wa = rate(w.approvals, w.attempts);
  const ba = rate(b.approvals, b.attempts);
  const wf = rate(w.failures, w.attempts);
  const bf = rate(b.failures, b.attempts);
  const approvalText = `approval ${percent(wa)} vs ${percent(ba)} (own baseline), ${w.attempts} attempts`;
  if (w.attempts < HEALTH_VOLUME_FLOOR) return { state: 'ok', judged: false, reason: `${w.attempts} attempts: below the volume floor of ${HEALTH_VOLUME_FLOOR}, not judged` };
  if (b.attempts < HEALTH_VOLUME_FLOOR) return { state: 'ok', judged: false, reason: `${b.attempts} attempts in its baseline: no baseline learned yet, not judged` };
  const zApproval = twoProportionZ(w.approvals, w.attempts, b.approvals, b.attempts);
  const zFailure = twoProportionZ(w.failures, w.attempts, b.failures, b.attempts);
  const failureText = `failures ${percent(wf)} vs ${percent(bf)} (own baseline), ${w.attempts} attempts`;
  if (wf! >= DOWN_FAILURE && zFailure >= HEALTH_Z) return { state: 'down', judged: true, reason: failureText };
  if (wa! <= DOWN_APPROVAL_FRACTION * ba! && zApproval <= -HEALTH_Z) return { state: 'down', judged: true, reason: approvalText };
  if (wf! - bf! >= DEGRADED_POINTS && zFailure >= HEALTH_Z) return { state: 'degraded', judged: true, reason: failureText };
  if (ba! - wa! >= DEGRADED_POINTS && zApproval <= -HEALTH_Z) return { state: 'degraded', judged: true, reason: approvalText };
  return { state: 'ok', judged: true, reason: approvalText };
}

export function computeHealthBoard(input: HealthInput): HealthBoard {
  const key = (r: SegmentRow) => `${r.dim}\u0000${r.value}`;
  const dims = new Set<string>(HEALTH_DIMENSIONS);
  const baseline = new Map(input.baseline.filter((r) => dims.has(r.dim)).map((r) => [key(r), r]));
  const zero: SegmentCounts = { attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0 };
  const segments: SegmentHealth[] = [];
  for (const w of input.window) {
    // Traffic that does not carry a dimension (a bank transfer has no issuer) is no issuer of
    // its own: a board row "issuer (none)" would judge every other dimension's traffic again.
    if (!dims.has(w.dim) || w.value === NONE_VALUE) continue;
    const b = baseline.get(key(w)) ?? zero;
    const verdict = judgeSegment(w, b);
    segments.push({
      dimension: w.dim,
      value: w.value,
      ...verdict,
      window: { attempts: w.attempts, approval: rate(w.approvals, w.attempts), failure: rate(w.failures, w.attempts) },
      baseline: { attempts: b.attempts, approval: rate(b.approvals, b.attempts), failure: rate(b.failures, b.attempts) },
    });
  }
  segments.sort(
    (a, b) =>
      ORDER[a.state] - ORDER[b.state] ||
      HEALTH_DIMENSIONS.indexOf(a.dimension) - HEALTH_DIMENSIONS.indexOf(b.dimension) ||
      b.window.attempts - a.window.attempts ||
      a.value.localeCompare(b.value),
  );
  return {
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    basis: 'per attempt',
    volumeFloor: HEALTH_VOLUME_FLOOR,
    segments,
  };
}
