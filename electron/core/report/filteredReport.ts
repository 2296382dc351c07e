// A filtered report's event figures (`payops report --merchant-id m_1`): the rollups count every
// event, so the figures, top lists, series and sample of the events an explorer filter matches
// come from one walk over them, through the explorer's own pages (the same plan, indexes and
// matching rules as the console's filter and the filtered CSV).
import type { EventFilter, EventRow, ReportData, ReportFigures, ReportSeriesPoint } from '../../../shared/explorer';
import { AUTHORIZATION_ATTEMPT_TYPES } from '../store/eventTypeSql';
import { PAYMENT_LOOKUP_MS } from '../store/reportQueries';
import type { ReadStore } from '../store/store';
import type { Masker } from './masking';
import { addCell, emptyFigures, settleFigures } from './figureCells';
import { bucketFor, rankTopLists, type TopCounts, type TopLists } from './topListRanking';

const AUTHORIZATION_ATTEMPTS: ReadonlySet<string> = new Set(AUTHORIZATION_ATTEMPT_TYPES);

/** Rows per explorer page, and the scan budget of a page whose filter no index serves. */
const PAGE_ROWS = 1000;
const PAGE_SCAN_MS = 500;

/** Every event of [from, to) that matches `filter`, oldest first. */
export function* matchingEvents(store: ReadStore, filter: EventFilter, from: number, to: number): Generator<EventRow> {
  if (!(to > from)) return;
  let cursor = null;
  for (;;) {
    const page = store.eventPages.page({ filter: { ...filter, from, to }, order: 'asc', limit: PAGE_ROWS, cursor, scanBudgetMs: PAGE_SCAN_MS });
    yield* page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** The event's cell of the figures, as the rollups and figureGroups count it. */
function countEvent(f: ReportFigures, r: EventRow): void {
  addCell(f, 'type', r.type, 1, 0);
  if (r.type === 'payment.authorized') addCell(f, 'authorized', r.currency ?? '', 1, r.amount ?? 0);
  else if (r.type === 'payment.declined') addCell(f, 'decline', r.declineCode ?? 'unknown', 1, 0);
  else if (r.type === 'payment.failed') addCell(f, 'failed', r.currency ?? '', 1, r.amount ?? 0);
  else if (r.type === 'risk.scored') addCell(f, 'decision', r.decision ?? 'unknown', 1, 0);
}

/**
 * Payments among the matching attempts: a payment is the attempts of one paymentId (an attempt
 * without one is its own), counted when it started in the window (no attempt of it in the
 * earlier) and approved if any of its attempts was, matching or not, as the
 * rollups judge a payment.
 */
function countPayments(store: ReadStore, f: ReportFigures, attempts: EventRow[], from: number, to: number): void {
  const ids = new Set<string>();
  for (const r of attempts) {
    if (r.paymentId !== null) ids.add(r.paymentId);
    else {
      f.payments += 1;
      if (r.type === 'payment.authorized') f.approvedPayments += 1;
    }
  }
  if (ids.size === 0) return;
  const list = [...ids];
  for (const [id] of store.reports.attemptsOfPayments(list, from - PAYMENT_LOOKUP_MS, from)) if (id !== null) ids.delete(id);
  const approved = new Set<string>();
  for (const [id, , ok] of store.reports.attemptsOfPayments([...ids], from, to + PAYMENT_LOOKUP_MS)) if (ok === 1 && id !== null) approved.add(id);
  f.payments += ids.size;
  f.approvedPayments += approved.size;
}

export interface FilteredWindow {
  figures: ReportFigures;
  tops: TopLists;
  series: Omit<ReportData['series'], 'queueDepth'>;
  /** The sample's events, in time order: the newest problems and the newest events, as the unfiltered sample picks them. */
  sampleSeqs: number[];
}

/** Figures only (the window before a filtered report's). */
export function filteredFigures(store: ReadStore, filter: EventFilter, from: number, to: number): ReportFigures {
  return walk(store, filter, from, to, null).figures;
}

/** Figures, top lists, series and sample of the matching events of [from, to), in one walk. */
export function filteredWindow(store: ReadStore, filter: EventFilter, from: number, to: number, masker: Masker, topN = 10, sampleSize = 40): FilteredWindow {
  return walk(store, filter, from, to, { masker, topN, sampleSize }) as FilteredWindow;
}

const PROBLEMS = new Set(['payment.declined', 'payment.failed', 'risk.blocked']);

function walk(
  store: ReadStore,
  filter: EventFilter,
  from: number,
  to: number,
  more: { masker: Masker; topN: number; sampleSize: number } | null,
): Partial<FilteredWindow> & { figures: ReportFigures } {
  const f = emptyFigures();
  const attempts: EventRow[] = [];
  const counts: TopCounts = { merchants: new Map(), countries: new Map(), bins: new Map(), codes: new Map() };
  const bucketMs = bucketFor(to - from);
  const start = Math.floor(from / bucketMs) * bucketMs;
  const nBuckets = Math.max(1, Math.ceil((to - start) / bucketMs));
  const mk = (): ReportSeriesPoint[] => Array.from({ length: nBuckets }, (_, i) => ({ t: start + i * bucketMs, values: {} }));
  const perType = mk();
  const decisions = mk();
  const outcome = Array.from({ length: nBuckets }, () => ({ attempts: 0, declined: 0 }));
  const half = Math.ceil((more?.sampleSize ?? 0) / 2);
  const size = more?.sampleSize ?? 0;
  let newest: EventRow[] = [];
  let problems: EventRow[] = [];
  const tally = (m: Map<string, [number, number]>, key: string | null, declined: boolean) => {
    if (key === null) return;
    const e = m.get(key) ?? m.set(key, [0, 0]).get(key)!;
    e[0] += 1;
    if (declined) e[1] += 1;
  };
  for (const r of matchingEvents(store, filter, from, to)) {
    countEvent(f, r);
    if (AUTHORIZATION_ATTEMPTS.has(r.type)) attempts.push(r);
    if (!more) continue;
    const declined = r.type === 'payment.declined';
    tally(counts.merchants, r.merchantId, declined);
    tally(counts.countries, r.country, declined);
    tally(counts.bins, r.cardBin, declined);
    if (declined) counts.codes.set(r.declineCode ?? 'unknown', (counts.codes.get(r.declineCode ?? 'unknown') ?? 0) + 1);
    const b = Math.floor((r.timeMs - start) / bucketMs);
    perType[b].values[r.type] = (perType[b].values[r.type] ?? 0) + 1;
    if (AUTHORIZATION_ATTEMPTS.has(r.type)) {
      outcome[b].attempts += 1;
      if (declined) outcome[b].declined += 1;
    }
    if (r.type === 'risk.scored') decisions[b].values[r.decision ?? 'unknown'] = (decisions[b].values[r.decision ?? 'unknown'] ?? 0) + 1;
    // Oldest first: the last ones seen are the newest (kept bounded).
    newest.push(r);
    if (PROBLEMS.has(r.type)) problems.push(r);
    if (newest.length > 4 * size) newest = newest.slice(-size);
    if (problems.length > 4 * half) problems = problems.slice(-half);
  }
  if (store.hasTables('rollup_minute')) countPayments(store, f, attempts, from, to);
  settleFigures(f, from, to);
  if (!more) return { figures: f };
  // Per second of the bucket inside the window, as the unfiltered series.
  const throughput = perType.map((p) => {
    const seconds = (Math.min(to, p.t + bucketMs) - Math.max(from, p.t)) / 1000;
    return { t: p.t, values: Object.fromEntries(Object.entries(p.values).map(([k, n]) => [k, n / seconds])) };
  });
  const declineRate = outcome.map((o, i): ReportSeriesPoint => ({ t: perType[i].t, values: o.attempts > 0 ? { declineRate: o.declined / o.attempts } : {} }));
  const seen = new Set<number>();
  const newestFirst = (rows: EventRow[], n: number) => (n > 0 ? rows.slice(-n).reverse() : []);
  const picked = [...newestFirst(problems, half), ...newestFirst(newest, size)].filter((r) => (seen.has(r.seq) ? false : (seen.add(r.seq), true))).slice(0, size);
  picked.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
  return {
    figures: f,
    tops: rankTopLists(counts, more.masker, more.topN),
    series: { bucketMs, throughput, declineRate, riskDecisions: decisions },
    sampleSeqs: picked.map((r) => r.seq),
  };
}
