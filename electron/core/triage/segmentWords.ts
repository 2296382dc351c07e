// How explain's headline names a segment and quotes its rates, so that the sentence reads aloud:
// "issuer tamarind-card", "other merchants (past the 200 named)", "attempts without an
// acquirer"; "approval 10.9 % (no attempts in the baseline)" rather than "10.9 % vs -".
import { groupValueText } from '../../../shared/alerts';
import { MAX_VALUES_PER_DIMENSION, NONE_VALUE, OTHER_VALUE, type SegmentDimension } from '../../../shared/segments';
import { percent } from './stats';

export const DIMENSION_WORD: Record<SegmentDimension, string> = {
  issuer: 'issuer',
  cardBin: 'BIN',
  scheme: 'scheme',
  acquirer: 'acquirer',
  merchantId: 'merchant',
  mcc: 'MCC',
  country: 'country',
  method: 'method',
  currency: 'currency',
  threeDS: '3-D Secure',
  attempt: 'attempt',
};

/** The folded tail of a dimension: the values past those it keeps by name. */
const TAIL_WORD: Record<SegmentDimension, string> = {
  issuer: 'issuers',
  cardBin: 'BINs',
  scheme: 'schemes',
  acquirer: 'acquirers',
  merchantId: 'merchants',
  mcc: 'MCCs',
  country: 'countries',
  method: 'methods',
  currency: 'currencies',
  threeDS: '3-D Secure results',
  attempt: 'attempt numbers',
};

/** Traffic that does not carry the dimension. */
const WITHOUT_WORD: Record<SegmentDimension, string> = {
  issuer: 'an issuer',
  cardBin: 'a BIN',
  scheme: 'a scheme',
  acquirer: 'an acquirer',
  merchantId: 'a merchant',
  mcc: 'an MCC',
  country: 'a country',
  method: 'a method',
  currency: 'a currency',
  threeDS: 'a 3-D Secure result',
  attempt: 'an attempt number',
};

/** Whether the value is a placeholder ('(other)', '(none)') rather than a value events carry. */
export const isPlaceholder = (value: string): boolean => value === OTHER_VALUE || value === NONE_VALUE;

/**
 * A segment as a sentence names it. The placeholders in words: "merchant (other)" read aloud
 * says nothing of which merchants, "acquirer (none)" sounds like an acquirer named "none". A value
 * that would not be seen as written (blank, white space at its ends) is quoted, as alerts name a group.
 */
export function segmentName(dimension: SegmentDimension, value: string): string {
  if (value === OTHER_VALUE) return `other ${TAIL_WORD[dimension]} (past the ${MAX_VALUES_PER_DIMENSION} named)`;
  if (value === NONE_VALUE) return `attempts without ${WITHOUT_WORD[dimension]}`;
  return `${DIMENSION_WORD[dimension]} ${groupValueText(value)}`;
}

/** "approval 12.0 % vs 93.0 %"; a side without attempts is said in words, not as "-". */
export function ratesText(word: string, window: number | null, baseline: number | null): string {
  if (window === null && baseline === null) return `${word}: no attempts`;
  if (baseline === null) return `${word} ${percent(window)} (no attempts in the baseline)`;
  if (window === null) return `${word} ${percent(baseline)} in the baseline (no attempts in the window)`;
  return `${word} ${percent(window)} vs ${percent(baseline)}`;
}

/**
 * A segment's rate in the window against the baseline, figures only ("12.0 % vs 93.0 %"); a side
 * without attempts is said in words ("10.9 % vs no attempts in the baseline"), not as "-".
 */
export function sidesText(window: { attempts: number; value: number | null }, baseline: { attempts: number; value: number | null }): string {
  const side = (s: { attempts: number; value: number | null }, where: string) => (s.attempts > 0 && s.value !== null ? percent(s.value) : `no attempts in the ${where}`);
  return `${side(window, 'window')} vs ${side(baseline, 'baseline')}`;
}
