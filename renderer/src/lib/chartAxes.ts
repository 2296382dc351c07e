// Axis ticks the live charts share: clock ticks on the time axis and "nice" value ticks.
import { fmtClock } from './format';

/** A tick every `stepSeconds` (3 minutes by default), aligned on the minute, within [start, end]. */
export function minuteTicks(start: number, end: number, stepSeconds = 180): number[] {
  const first = Math.ceil(start / stepSeconds) * stepSeconds;
  const out: number[] = [];
  for (let t = first; t <= end; t += stepSeconds) out.push(t);
  return out;
}

/** HH:MM of a time in seconds. */
export function clockTick(t: number): string {
  return fmtClock(t * 1000).slice(0, 5);
}

/**
 * Whole-number ticks from 0 covering `max`, about `count` of them, on steps of 1, 2, 2.5 or 5
 * times a power of ten (what recharts chose for this axis, so the chart reads as before).
 */
export function niceTicks(max: number, count = 5): number[] {
  const rough = Math.max(max, 1) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const out: number[] = [];
  for (let i = 0; i * step <= top + step / 2; i++) out.push(i * step);
  return out;
}
