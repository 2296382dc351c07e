/**
 * The part of `quarantined` that are copies of a stored source and id with another body, as the
 * end summaries of payops collect and replay name it (payops stats names them so too).
 */
export function conflicts(n: number): string {
  return `${n} conflicting duplicate(s): same source and id, another body`;
}
