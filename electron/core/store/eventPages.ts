// Thread: read worker (read-only connection): explorer pages over millions of rows.
// Explorer queries over stored events: filters, time order, keyset pages over the existing
// indexes (never OFFSET). Every index of event_log ends with the rowid (seq), so (time_ms) and
// (type, time_ms) deliver rows already ordered by (time_ms, seq): the cursor is that pair and a
// page is one index range scan. The merchant index (merchantIndex.ts) is keyed (merchant_id,
// time_ms, seq) the same way, and its newest events (its tail) are a second, scanned source
// merged in. While a replay defers the type and merchant indexes (explorerIndexes.ts), those
// filters are checked per row along the time index instead, within the scan budget.
import type { Database } from 'better-sqlite3';
import { PAYMENT_TYPES, RISK_TYPES } from '../../../shared/events/eventTypes';
import type { EventCursor, EventFilter, EventPage, EventRow } from '../../../shared/explorer';
import { EVENT_ROW_SELECT, EventRepository, toEventRows } from './eventRepository';
import { ExplorerIndexPresence } from './explorerIndexes';
import { MERCHANT_TAIL_FROM } from './merchantIndex';
import { paymentSeqs } from './paymentIndex';
import { StatementCache } from './statementCache';

export interface EventPageOptions {
  filter?: EventFilter;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: EventCursor | null;
  /**
   * A filter that no index serves (country, decline code, decision, amount) is checked while
   * the index range is walked in time slices; after `scanBudgetMs` (or `scanBudgetRows`
   * slices) the page is returned partial, its cursor continuing where the scan stopped.
   */
  scanBudgetRows?: number;
  scanBudgetMs?: number;
  /** Width of the first time slice (ms of event time); later slices adapt to the budget. */
  initialSliceMs?: number;
}

const DEFAULT_SCAN_ROWS = 1000;
const DEFAULT_SCAN_MS = 35;

type Access =
  | { kind: 'time' }
  | { kind: 'merchant'; merchantId: string }
  | { kind: 'types'; types: string[] }
  | { kind: 'none' };

interface Plan {
  access: Access;
  /** Conditions checked per row (SQL text + args), beyond the index's own. */
  residual: { sql: string; args: unknown[] }[];
  /** True when the residual needs rows the index does not select (a scan budget applies). */
  unindexed: boolean;
}

/** Which of the deferrable explorer indexes a plan may use. */
export interface AvailableIndexes {
  typeTime: boolean;
  merchantTime: boolean;
}

const ALL_INDEXES: AvailableIndexes = { typeTime: true, merchantTime: true };

/** Chooses the index for a filter; the other conditions become residual checks. */
export function planQuery(filter: EventFilter, available: AvailableIndexes = ALL_INDEXES): Plan {
  const residual: Plan['residual'] = [];
  let types = filter.types && filter.types.length > 0 ? [...new Set(filter.types)] : null;
  // A decline code only appears on payment.declined; a risk decision only on risk events.
  if (filter.declineCode !== undefined) types = intersect(types, ['payment.declined']);
  if (filter.decision !== undefined) types = intersect(types, [...RISK_TYPES]);
  let unindexed = false;
  if (filter.country !== undefined) { residual.push({ sql: 'country = ?', args: [filter.country] }); unindexed = true; }
  if (filter.declineCode !== undefined) { residual.push({ sql: 'decline_code = ?', args: [filter.declineCode] }); unindexed = true; }
  if (filter.decision !== undefined) { residual.push({ sql: 'decision = ?', args: [filter.decision] }); unindexed = true; }
  if (filter.currency !== undefined) { residual.push({ sql: 'currency = ?', args: [filter.currency] }); unindexed = true; }
  if (filter.amountMin !== undefined) { residual.push({ sql: 'amount >= ?', args: [filter.amountMin] }); unindexed = true; }
  if (filter.amountMax !== undefined) { residual.push({ sql: 'amount <= ?', args: [filter.amountMax] }); unindexed = true; }
  // Payment dimensions live in the CloudEvent text only (migration 120): read per row along the
  // time index, within the scan budget. A triage click-through always carries its window, so
  // the walk is bounded by it (see eventPages.test: the plan stays on event_log_time).
  for (const { key, path } of PAYMENT_DIMENSION_PATHS) {
    const value = filter[key];
    if (value !== undefined) { residual.push({ sql: `json ->> '${path}' = ?`, args: [value] }); unindexed = true; }
  }
  if (filter.cardBin !== undefined) {
    // A prefix: a 6-digit BIN range (how triage keeps BINs) matches its 8-digit BINs.
    residual.push({ sql: 'substr(card_bin, 1, ?) = ?', args: [filter.cardBin.length, filter.cardBin] });
    unindexed = true;
  }
  if (filter.attemptMin !== undefined) { residual.push({ sql: "json ->> '$.data.attempt' >= ?", args: [filter.attemptMin] }); unindexed = true; }
  if (filter.attemptMax !== undefined) { residual.push({ sql: "json ->> '$.data.attempt' <= ?", args: [filter.attemptMax] }); unindexed = true; }
  // Only payment events carry these (EVENTS.md); the explorer shows them only there too.
  if (PAYMENT_DIMENSION_PATHS.some(({ key }) => filter[key] !== undefined) || filter.attemptMin !== undefined || filter.attemptMax !== undefined) {
    residual.push({ sql: `type IN (${PAYMENT_TYPES.map(() => '?').join(', ')})`, args: [...PAYMENT_TYPES] });
  }

  let access: Access;
  if (types !== null && types.length === 0) access = { kind: 'none' };
  else if (filter.merchantId !== undefined && !available.merchantTime) {
    access = { kind: 'time' };
    residual.push({ sql: 'merchant_id = ?', args: [filter.merchantId] });
    if (types) residual.push({ sql: `type IN (${types.map(() => '?').join(', ')})`, args: types });
    unindexed = true;
  } else if (filter.merchantId !== undefined) {
    access = { kind: 'merchant', merchantId: filter.merchantId };
    if (types) {
      residual.push({ sql: `type IN (${types.map(() => '?').join(', ')})`, args: types });
      unindexed = true;
    }
  } else if (types && !available.typeTime) {
    access = { kind: 'time' };
    residual.push({ sql: `type IN (${types.map(() => '?').join(', ')})`, args: types });
    unindexed = true;
  } else if (types) access = { kind: 'types', types };
  else access = { kind: 'time' };
  return { access, residual, unindexed };
}

/** The filter fields read from the CloudEvent's data (JSON path into event_log.json). */
const PAYMENT_DIMENSION_PATHS = (['issuer', 'scheme', 'acquirer', 'mcc', 'threeDS', 'method'] as const satisfies readonly (keyof EventFilter)[]).map(
  (key) => ({ key, path: `$.data.${key}` }),
);

function intersect(a: string[] | null, b: string[]): string[] {
  return a === null ? b : a.filter((t) => b.includes(t));
}

/** Keyset + window conditions on (time_ms, seq), written so the index range is used. */
function rangeConditions(filter: EventFilter, order: 'asc' | 'desc', cursor: EventCursor | null | undefined) {
  const conds: string[] = [];
  const args: unknown[] = [];
  if (filter.from !== undefined) { conds.push('time_ms >= ?'); args.push(filter.from); }
  if (filter.to !== undefined) { conds.push('time_ms < ?'); args.push(filter.to); }
  if (cursor) {
    if (order === 'desc') {
      conds.push('time_ms <= ?', '(time_ms < ? OR seq < ?)');
    } else {
      conds.push('time_ms >= ?', '(time_ms > ? OR seq > ?)');
    }
    args.push(cursor.timeMs, cursor.timeMs, cursor.seq);
  }
  return { conds, args };
}

/** Where a page's rows come from: an index of event_log, or the merchant index's two parts. */
type Source =
  | { kind: 'index'; index: string; conds: string[]; args: unknown[] }
  | { kind: 'merchantSealed'; merchantId: string }
  | { kind: 'merchantTail'; merchantId: string };

interface Conditions {
  conds: string[];
  args: unknown[];
}

/**
 * One source's rows within `range` (time and cursor conditions) that meet `residual`, in page
 * order; the statement ends with `LIMIT ?`, its value bound after `args`. The merchant index's
 * range conditions are its own columns (time_ms, seq), read in a subquery that is limited
 * itself when no residual condition needs the event's row.
 */
function sourceQuery(s: Source, range: Conditions, residual: Conditions, dir: 'ASC' | 'DESC'): { sql: string; args: unknown[] } {
  const order = `ORDER BY time_ms ${dir}, seq ${dir}`;
  const where = (conds: string[]) => (conds.length ? `WHERE ${conds.join(' AND ')}` : '');
  if (s.kind === 'index') {
    return {
      sql: `SELECT ${EVENT_ROW_SELECT} FROM event_log INDEXED BY ${s.index} ${where([...s.conds, ...range.conds, ...residual.conds])} ${order} LIMIT ?`,
      args: [...s.args, ...range.args, ...residual.args],
    };
  }
  if (s.kind === 'merchantTail') {
    return {
      sql: `SELECT ${EVENT_ROW_SELECT} FROM event_log NOT INDEXED
        ${where([`seq > ${MERCHANT_TAIL_FROM}`, 'merchant_id = ?', ...range.conds, ...residual.conds])} ${order} LIMIT ?`,
      args: [s.merchantId, ...range.args, ...residual.args],
    };
  }
  const sealed = `SELECT seq FROM event_merchant_index ${where(['merchant_id = ?', ...range.conds])}`;
  if (residual.conds.length === 0) {
    return { sql: `SELECT ${EVENT_ROW_SELECT} FROM event_log NOT INDEXED WHERE seq IN (${sealed} ${order} LIMIT ?) ${order}`, args: [s.merchantId, ...range.args] };
  }
  return {
    sql: `SELECT ${EVENT_ROW_SELECT} FROM event_log NOT INDEXED WHERE seq IN (${sealed}) AND ${residual.conds.join(' AND ')} ${order} LIMIT ?`,
    args: [s.merchantId, ...range.args, ...residual.args],
  };
}

function keyOf(r: EventRow): EventCursor {
  return { timeMs: r.timeMs, seq: r.seq };
}

function compareKeys(a: EventRow, b: EventRow, order: 'asc' | 'desc'): number {
  const d = a.timeMs - b.timeMs || a.seq - b.seq;
  return order === 'asc' ? d : -d;
}

/**
 * The explorer's query runner. Statements are prepared once per shape and reused.
 */
export class EventPages {
  private readonly sql: StatementCache;
  private readonly indexes: ExplorerIndexPresence;
  private readonly events: EventRepository;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    this.indexes = new ExplorerIndexPresence(db);
    this.events = new EventRepository(db);
  }

  private available(): AvailableIndexes {
    return { typeTime: this.indexes.has('event_log_type_time'), merchantTime: this.indexes.merchantIndexUsable() };
  }

  page(options: EventPageOptions): EventPage {
    const started = performance.now();
    const filter = options.filter ?? {};
    const order = options.order ?? 'desc';
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
    const cursor = options.cursor ?? null;
    const result =
      filter.search !== undefined
        ? this.searchPage(filter, order, limit, cursor)
        : this.indexedPage(filter, order, limit, cursor, options);
    return { ...result, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  private indexedPage(
    filter: EventFilter,
    order: 'asc' | 'desc',
    limit: number,
    cursor: EventCursor | null,
    options: EventPageOptions,
  ): Omit<EventPage, 'tookMs'> {
    const plan = planQuery(filter, this.available());
    if (plan.access.kind === 'none') return { rows: [], nextCursor: null, partial: false };
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const range = rangeConditions(filter, order, cursor);

    const sources: Source[] = [];
    if (plan.access.kind === 'time') sources.push({ kind: 'index', conds: [], args: [], index: 'event_log_time' });
    else if (plan.access.kind === 'merchant') sources.push({ kind: 'merchantSealed', merchantId: plan.access.merchantId }, { kind: 'merchantTail', merchantId: plan.access.merchantId });
    else for (const t of plan.access.types) sources.push({ kind: 'index', conds: ['type = ?'], args: [t], index: 'event_log_type_time' });

    if (!plan.unindexed) {
      // Every condition is served by the index: one LIMIT per index range, merged.
      const residual = { conds: plan.residual.map((r) => r.sql), args: plan.residual.flatMap((r) => r.args) };
      const lists = sources.map((s) => {
        const q = sourceQuery(s, range, residual, dir);
        return this.sql.prepare(q.sql).all(...q.args, limit + 1) as EventRow[];
      });
      const merged = mergeSorted(lists, order, limit + 1);
      const more = merged.length > limit;
      const rows = toEventRows(merged.slice(0, limit), this.events.sourceNames.sourceOf);
      return { rows, nextCursor: more ? keyOf(rows[rows.length - 1]) : null, partial: false };
    }

    // Residual conditions no index serves (country, decline code, decision, amount): SQLite
    // checks them while walking the index range, one time slice at a time, newest slice first
    // (oldest first for asc). A slice widens while the budget allows; when the budget runs out
    // the page is partial and its cursor points at the slice boundary, so the next request
    // continues exactly there.
    const budgetRows = options.scanBudgetRows ?? DEFAULT_SCAN_ROWS;
    const budgetMs = options.scanBudgetMs ?? DEFAULT_SCAN_MS;
    const residual = { conds: plan.residual.map((r) => r.sql), args: plan.residual.flatMap((r) => r.args) };
    const bounds = this.timeBounds(filter, order, cursor);
    if (!bounds) return { rows: [], nextCursor: null, partial: false };
    const started = performance.now();
    const rows: EventRow[] = [];
    // Slices are [lo, hi) in event time; the first one also carries the cursor condition.
    let span = options.initialSliceMs ?? 60_000;
    let edge = order === 'desc' ? bounds.hi : bounds.lo; // exclusive hi (desc) / inclusive lo (asc)
    let first = true;
    let scannedRows = 0;
    for (;;) {
      const lo = order === 'desc' ? Math.max(bounds.lo, edge - span) : edge;
      const hi = order === 'desc' ? edge : Math.min(bounds.hi, edge + span);
      const need = limit + 1 - rows.length;
      const t0 = performance.now();
      const slice = { conds: ['time_ms >= ?', 'time_ms < ?', ...(first ? range.conds : [])], args: [lo, hi, ...(first ? range.args : [])] };
      const lists = sources.map((s) => {
        const q = sourceQuery(s, slice, residual, dir);
        return this.sql.prepare(q.sql).all(...q.args, need) as EventRow[];
      });
      const sliceMs = performance.now() - t0;
      first = false;
      rows.push(...mergeSorted(lists, order, need));
      scannedRows += 1;
      if (rows.length === limit + 1) {
        rows.pop();
        return { rows: toEventRows(rows, this.events.sourceNames.sourceOf), nextCursor: keyOf(rows[rows.length - 1]), partial: false };
      }
      const done = order === 'desc' ? lo <= bounds.lo : hi >= bounds.hi;
      if (done) return { rows: toEventRows(rows, this.events.sourceNames.sourceOf), nextCursor: null, partial: false };
      edge = order === 'desc' ? lo : hi;
      const elapsed = performance.now() - started;
      const remaining = budgetMs - elapsed;
      if (remaining <= 0 || scannedRows >= budgetRows) {
        // Continue strictly before lo (desc) or from hi on (asc): seq 0 and MAX bound no row.
        const nextCursor = order === 'desc' ? { timeMs: lo, seq: 0 } : { timeMs: hi - 1, seq: Number.MAX_SAFE_INTEGER };
        return { rows: toEventRows(rows, this.events.sourceNames.sourceOf), nextCursor, partial: true };
      }
      // Next slice: as wide as the remaining budget allows at the measured cost, at most 8x.
      const costPerMs = sliceMs / Math.max(1, hi - lo);
      const affordable = costPerMs > 0 ? (remaining * 0.7) / costPerMs : span * 8;
      span = Math.max(1, Math.min(span * 8, Math.floor(affordable)));
    }
  }

  /** The event-time range still to scan: [lo, hi), narrowed by the window and the cursor. */
  private timeBounds(filter: EventFilter, order: 'asc' | 'desc', cursor: EventCursor | null): { lo: number; hi: number } | null {
    const ends = this.sql.prepare('SELECT (SELECT time_ms FROM event_log INDEXED BY event_log_time ORDER BY time_ms LIMIT 1) AS lo, (SELECT time_ms FROM event_log INDEXED BY event_log_time ORDER BY time_ms DESC LIMIT 1) AS hi').get() as {
      lo: number | null;
      hi: number | null;
    };
    if (ends.lo === null || ends.hi === null) return null;
    let lo = Math.max(ends.lo, filter.from ?? -Infinity);
    let hi = Math.min(ends.hi + 1, filter.to ?? Infinity);
    if (cursor) {
      if (order === 'desc') hi = Math.min(hi, cursor.timeMs + 1);
      else lo = Math.max(lo, cursor.timeMs);
    }
    return hi > lo ? { lo, hi } : null;
  }

  /** Payment id or event id: a handful of rows through the payment index and (source, id). */
  private searchPage(filter: EventFilter, order: 'asc' | 'desc', limit: number, cursor: EventCursor | null): Omit<EventPage, 'tookMs'> {
    const term = filter.search!;
    const { search: _search, ...rest } = filter;
    const plan = planQuery(rest);
    if (plan.access.kind === 'none') return { rows: [], nextCursor: null, partial: false };
    const extra: { sql: string; args: unknown[] }[] = [...plan.residual];
    if (plan.access.kind === 'merchant') extra.push({ sql: 'merchant_id = ?', args: [plan.access.merchantId] });
    if (plan.access.kind === 'types') extra.push({ sql: `type IN (${plan.access.types.map(() => '?').join(', ')})`, args: plan.access.types });
    const range = rangeConditions(rest, order, cursor);
    const where = [...range.conds, ...extra.map((e) => e.sql)];
    const args = [...range.args, ...extra.flatMap((e) => e.args)];
    const tail = where.length ? ` AND ${where.join(' AND ')}` : '';
    // Each list is the page's next rows in page order (a payment may have thousands of events:
    // any other cut of them would skip some between pages).
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const pageOrder = `ORDER BY time_ms ${dir}, seq ${dir} LIMIT ?`;
    const seqs = paymentSeqs(this.sql, term);
    const byPayment = this.sql.prepare(
      `SELECT ${EVENT_ROW_SELECT} FROM event_log NOT INDEXED WHERE seq IN (${seqs.sql})${tail} ${pageOrder}`,
    ).all(...seqs.args, ...args, limit + 1) as EventRow[];
    const idSeqs = this.events.seqsOfId(this.knownSources(), term);
    const byId = idSeqs.length
      ? (this.sql.prepare(
          `SELECT ${EVENT_ROW_SELECT} FROM event_log WHERE seq IN (${idSeqs.map(() => '?').join(', ')})${tail} ${pageOrder}`,
        ).all(...idSeqs, ...args, limit + 1) as EventRow[])
      : [];
    const seen = new Set<number>();
    const all = [...byPayment, ...byId].filter((r) => (seen.has(r.seq) ? false : (seen.add(r.seq), true)));
    all.sort((a, b) => compareKeys(a, b, order));
    const more = all.length > limit;
    const rows = toEventRows(all.slice(0, limit), this.events.sourceNames.sourceOf);
    return { rows, nextCursor: more ? keyOf(rows[rows.length - 1]) : null, partial: false };
  }

  /**
   * The distinct sources (event_sources, kept by the ingest transaction), read at every search:
   * a handful of rows, and an event from a source first seen a moment ago must be found by its id.
   */
  knownSources(): string[] {
    return this.sql.pluck('SELECT source FROM event_sources ORDER BY source').all() as string[];
  }
}

function mergeSorted(lists: EventRow[][], order: 'asc' | 'desc', max: number): EventRow[] {
  if (lists.length === 1) return lists[0].slice(0, max);
  const all = lists.flat();
  all.sort((a, b) => compareKeys(a, b, order));
  return all.slice(0, max);
}
