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
