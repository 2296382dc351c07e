import { formatDurationMs, formatNumber } from './format';

/**
 * The longest jump in event time a paced replay (x1, x10, ...) waits through. A longer one
 * (an event dated years ahead, two captures of different days end to end) is skipped, as a
 * session-replay tool skips inactivity and a video player resyncs on a timestamp
 * discontinuity: the replay clock moves to the line's time and pacing goes on from there.
 * A day is longer than any quiet stretch of payment traffic (the demo capture's longest is a
 * 6.4 h night), so a real capture is paced as recorded. Only wall time is saved: what is
 * stored, and the alerts, are the same as without the skip.
 */
export const MAX_PACED_GAP_MS = 24 * 3_600_000;

const YEAR_MS = 365.25 * 86_400_000;

/** A jump in event time, as the log says it: "3 y", "1.5 d", "26.0 h". */
export function gapText(ms: number): string {
  const a = Math.abs(ms);
  return a >= YEAR_MS ? `${formatNumber(a / YEAR_MS, 1)} y` : formatDurationMs(a);
}

/** A skipped jump: the log line and `replay.status` `skippedGaps`. */
export interface SkippedGap {
  /** The line whose event time was too far from the replay clock. */
  line: number;
  /** The replay clock before the jump, and the line's event time (epoch ms). */
  fromMs: number;
  toMs: number;
}

export function skippedGapText(file: string, gap: SkippedGap): string {
  const back = gap.toMs < gap.fromMs ? ' back' : '';
  return `${file}: skipped a ${gapText(gap.toMs - gap.fromMs)} gap${back} at line ${gap.line} (event time jumps more than ${MAX_PACED_GAP_MS / 3_600_000} h; a paced replay does not wait for it)`;
}
