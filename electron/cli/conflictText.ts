import { countText } from '../../shared/countText';

/**
 * The part of `quarantined` that are copies of a stored source and id with another body, as the
 * end summaries of payops collect and replay name it (payops stats names them so too).
 */
export function conflicts(n: number): string {
  return `${countText(n, 'conflicting duplicate')}: same source and id, another body`;
}
