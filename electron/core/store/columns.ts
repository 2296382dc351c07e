// The column <-> field mapping of a table, declared once beside its SQL. Select lists alias
// each column to its field name, so rows come back already in the shape the rest of the
// code uses (no per-row copying).

/** Field name -> column (or SQL expression), for every field of T. */
export type Columns<T> = { readonly [K in keyof T]-?: string };

/** `time_ms AS timeMs, ...`: a select list whose rows are T. */
export function selectList<T>(columns: Columns<T>): string {
  return Object.entries(columns as Record<string, string>)
    .map(([field, column]) => (field === column ? column : `${column} AS ${field}`))
    .join(', ');
}

/** The mapping of `fields` only, in that order (a narrower select). */
export function pickColumns<T, K extends keyof T>(columns: Columns<T>, fields: readonly K[]): Columns<Pick<T, K>> {
  return Object.fromEntries(fields.map((f) => [f, columns[f]])) as unknown as Columns<Pick<T, K>>;
}

/** The columns of `fields`, in that order (an insert's column list). */
export function columnList<T>(columns: Columns<T>, fields: readonly (keyof T)[]): string {
  return fields.map((f) => columns[f]).join(', ');
}
