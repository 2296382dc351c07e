// The dimensions payops slices acceptance by, and the bound on how many values of each it keeps.
// Pure data: shared/ imports nothing. Named as the event field (EVENTS.md), so that a
// dimension read in an explanation is the field an operator filters the explorer by.

export const SEGMENT_DIMENSIONS = [
  'issuer',
  'cardBin',
  'scheme',
  'acquirer',
  'merchantId',
  'mcc',
  'country',
  'method',
  'currency',
  'threeDS',
  'attempt',
] as const;

export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/**
 * Distinct values kept exactly per dimension at a time. Values are admitted as they come while
 * there is room; past it a new value is counted under OTHER_VALUE until its recent attempts
 * are twice those of the weakest admitted value (and at least 20), which it then replaces
 * (electron/core/store/segmentAdmission.ts). Bounds the rollups at ~11 x 200 rows per minute
 * whatever the traffic (a card-testing attack on 100 000 BINs cannot grow them).
 */
export const MAX_VALUES_PER_DIMENSION = 200;
/** The folded tail of a dimension past MAX_VALUES_PER_DIMENSION. */
export const OTHER_VALUE = '(other)';
/** An event that does not carry the dimension (a bank transfer has no issuer). */
export const NONE_VALUE = '(none)';
/** BINs are kept at 6 digits (an 8-digit BIN folds into its 6-digit range). */
export const BIN_DIGITS = 6;
