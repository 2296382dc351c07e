// The axes of the range charts (minutes to days): local-time ticks at round steps, and value
// ticks from 0 at round steps, from d3-scale (DST and month edges included).
import { scaleLinear, scaleTime } from 'd3-scale';
import { formatHourMinute, formatNumber } from '../../../shared/format';

/** About `count` ticks at round local times within [fromMs, toMs]. */
export function timeTicks(fromMs: number, toMs: number, count = 6): number[] {
  if (!(toMs > fromMs)) return [];
  return scaleTime()
    .domain([new Date(fromMs), new Date(toMs)])
    .ticks(count)
    .map((d) => d.getTime());
}

/**
 * HH:MM; when the range is longer than a day, the date too, and the date alone at midnight
 * (seven days of "MM-DD 00:00" would not fit a panel).
 */
export function timeTickLabel(fromMs: number, toMs: number): (t: number) => string {
  if (toMs - fromMs <= 24 * 3600_000) return (t) => formatHourMinute(t);
  return (t) => {
    const label = formatHourMinute(t, undefined, true);
    return label.endsWith(' 00:00') ? label.slice(0, -6) : label;
  };
}

/**
 * Ticks from 0 at round steps whose last one covers `max` (about `count` of them); with a
 * fixed top (a rate's 1), ticks up to it.
 */
export function valueTicks(max: number, fixedTop?: number, count = 5): number[] {
  if (fixedTop !== undefined) return scaleLinear().domain([0, fixedTop]).ticks(count);
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const scale = scaleLinear().domain([0, top]).nice(count);
  const ticks = scale.ticks(count);
  const end = scale.domain()[1];
  return ticks[ticks.length - 1] === end ? ticks : [...ticks, end];
}

/**
 * The value axis's label: the chart's own `format` when it tells every tick apart, else one
 * with the decimals the ticks' spacing needs (d3's ticks step by 1, 2 or 5 x 10^k). A money
 * axis of a few fils of KWD read "0, 0, 0, 0.01" with a rate's two decimals.
 */
export function distinctTickLabel(ticks: readonly number[], format: (v: number) => string): (v: number) => string {
  if (new Set(ticks.map(format)).size === ticks.length) return format;
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0] ?? 1);
  const decimals = step > 0 ? Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
  return (v) => formatNumber(v, decimals, { grouping: true });
}
