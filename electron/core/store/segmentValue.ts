// What a segment rollup cell is keyed by: the minute (and its ten-minute bucket), the total's name and each dimension's raw
// value. Its own file so that the rollup writer and the payments backfill share it without
// importing each other.
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { BIN_DIGITS, NONE_VALUE, type SegmentDimension } from '../../../shared/segments';

export const MINUTE_MS = 60_000;

/** Minutes per bucket of the ten-minute segment rollups (migration 200). */
export const BUCKET_MIN = 10;

/**
 * Dimension and value of the per-minute total of every attempt (migration 220). No row is
 * stored for the attempts that do not carry a dimension: `(none)` of a dimension is this total
 * less the dimension's values, derived when read. PaySim-like traffic carries 4 of the 11
 * dimensions, so this is one row per minute instead of seven.
 */
export const TOTAL = '(all)';

/** The raw value of each dimension an event carries (before the cardinality bound). */
export function rawSegmentValue(e: NormalizedEvent, dim: SegmentDimension): string {
  const d = e.dimensions;
  let v: string | null | undefined;
  switch (dim) {
    case 'cardBin':
      v = e.cardBin?.slice(0, BIN_DIGITS);
      break;
    case 'merchantId':
    case 'country':
    case 'method':
    case 'currency':
      v = e[dim];
      break;
    case 'attempt':
      v = d?.attempt == null ? null : d.attempt >= 3 ? '3+' : String(d.attempt);
      break;
    default:
      v = d?.[dim];
  }
  return v === null || v === undefined || v === '' ? NONE_VALUE : v;
}
