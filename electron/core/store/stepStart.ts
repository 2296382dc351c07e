/**
 * SQL for the first value of the step of `column` (an integer time: second, minute, bucket)
 * in steps of a bound positive integer, with its arguments: floor division, so a time before
 * 1970 (negative) falls in the step that holds it. `CAST(x / step AS INTEGER) * step` rounds
 * toward zero, and put minute -5 in the hour that starts at minute 0.
 */
export function stepStartSql(column: string): string {
  return `(${column} - ((${column} % ?) + ?) % ?)`;
}

/** The arguments of `stepStartSql` for a step of `step`. */
export const stepStartArgs = (step: number): [number, number, number] => [step, step, step];

/**
 * SQL for `x` divided by the positive integer `divisor`, rounded down (floor): the step number
 * of an integer time (second of a millisecond, minute of a second, bucket of a minute) that the
 * writer computes with Math.floor. SQLite's `x / divisor` rounds toward zero: second -270 fell
 * in minute -4, not -5.
 */
export function floorDivSql(x: string, divisor: number): string {
  if (!Number.isInteger(divisor) || divisor <= 0) throw new RangeError(`floorDivSql: divisor must be a positive integer, got ${divisor}`);
  return `((${x} - (((${x}) % ${divisor}) + ${divisor}) % ${divisor}) / ${divisor})`;
}
