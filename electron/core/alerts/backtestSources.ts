// Inputs for backtests: a stored time range of a database (events in event-time order and
// the polled queue depths), or a capture file (decoded as a replay would). Both read only:
// the database is never written, live state is never touched. Stored ranges are read in
// pages with a pause between them, so a backtest inside the engine worker does not hold
// ingest up for more than one page at a time.
import { setImmediate as yieldNow } from 'node:timers/promises';
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertSilence } from '../../../shared/alerts';
import { decodeMessage } from '../../../shared/events/decode';
import type { QueueDepth } from '../../../shared/metrics';
import { openCaptureReader } from '../capture/captureReader';
import { brokeOffAfter, CaptureReadError, cutLineError } from '../capture/captureErrors';
import type { CaptureRecord } from '../capture/captureLine';
import { firstEventTime } from '../capture/firstEventTime';
import type { ReadStore } from '../store/store';
import { Backtester, type BacktestOptions, type BacktestResult } from './backtest';
import type { AlertInputEvent } from './eventCounters';
import type { SilenceInForce } from './silenceSet';

export interface StoredRangeOptions extends Omit<BacktestOptions, 'queueSamples' | 'endMs'> {
  /** [from, to) in event time (epoch ms). */
  from: number;
  to: number;
  /** Stop after this many events (the result says so). Default: no limit. */
  maxEvents?: number;
  /** Events read per page. Default 5000. */
  pageSize?: number;
  /** Yield to the event loop between pages (inside the engine worker). Default true. */
  yieldBetweenPages?: boolean;
  /** The present (wall clock): a quiet tail is not evaluated past it. Default Date.now(). */
  nowMs?: number;
}

export interface RangeBacktestResult extends BacktestResult {
  /** Why the input stopped before the end of the range, or null. */
  truncated: string | null;
  /** The range evaluated (to = where a limit stopped it). */
  range: { from: number; to: number };
}

/**
 * Stored silences as they held over past time: from their creation (a live silence holds from
 * when it is made) to their end, or to when an operator ended them early.
 */
export function silencesInForce(stored: readonly AlertSilence[]): SilenceInForce[] {
  return stored.map((s) => ({ ...s, startsAt: s.createdAt, endsAt: Math.min(s.endsAt, s.expiredAt ?? Infinity), expiredAt: null }));
}

/** Whether the database has the tables a backtest reads. */
export function hasEventTables(store: ReadStore): boolean {
  return store.hasTables('events', 'queue_depth');
}

/**
 * Runs `rules` over the events stored in [from, to) (and the queue depths polled then), in
 * event-time order, and reports what would have fired and when. The database's silences hold
 * as they did (silencesInForce) unless `options.silences` gives others.
 */
export async function backtestStoredRange(store: ReadStore, rules: readonly AlertRule[], options: StoredRangeOptions): Promise<RangeBacktestResult> {
  const { from, to } = options;
  const pageSize = Math.max(100, options.pageSize ?? 5000);
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const pause = options.yieldBetweenPages ?? true;
  // Queue samples are few (a poll every few seconds per watched queue); bounded all the same.
  const samples: { at: number; depths: QueueDepth[] }[] = [];
  for (const r of store.queueSamples.inRange(from, to, 500_000)) {
    const depth: QueueDepth = { queue: r.queue, messages: r.messages, consumers: r.consumers, at: r.at, error: null, oldestMessageAgeSeconds: r.oldestMessageAgeSeconds };
    const last = samples[samples.length - 1];
    if (last && last.at === r.at) last.depths.push(depth);
    else samples.push({ at: r.at, depths: [depth] });
  }

  let truncated: string | null = null;
  let events = 0;
  // Keyset paging over (time, seq): the events_time index holds rowid (seq) in order.
  let cursor = { timeMs: from, seq: -1 };
  let lastTime: number | null = null;
  let nextSample = 0;
  // endMs is set once we know whether a limit stopped the input (the Backtester reads its
  // options when it finishes).
  const btOptions: BacktestOptions = { evaluationIntervalMs: options.evaluationIntervalMs, allowedLatenessMs: options.allowedLatenessMs, maxGroupsPerDimension: options.maxGroupsPerDimension, includeUnfired: options.includeUnfired, burnRates: options.burnRates, silences: options.silences ?? (store.hasTables('alert_silences') ? silencesInForce(store.silences.list()) : []) };
  const bt = new Backtester(rules, btOptions);
  for (;;) {
    const n = Math.min(pageSize, maxEvents - events);
    if (n <= 0) {
      truncated = `stopped after ${events.toLocaleString('en-US')} events (the limit) at ${new Date(lastTime ?? from).toISOString()}`;
      break;
    }
    const rows = store.events.forAlertsPage(cursor, to, n);
    if (rows.length === 0) break;
    const batch: AlertInputEvent[] = rows;
    const last = rows[rows.length - 1];
    // Queue samples go in where the event clock passes them, as they would have live.
    let start = 0;
    for (let i = 0; i < batch.length; i++) {
      const t = batch[i].timeMs!;
      if (nextSample < samples.length && samples[nextSample].at <= t) {
        if (i > start) bt.feedEvents(batch.slice(start, i));
        start = i;
        while (nextSample < samples.length && samples[nextSample].at <= t) bt.feedQueues(samples[nextSample].depths, samples[nextSample++].at);
      }
    }
    bt.feedEvents(start === 0 ? batch : batch.slice(start));
    events += rows.length;
    lastTime = last.timeMs;
    cursor = { timeMs: last.timeMs, seq: last.seq };
    if (rows.length < n) break;
    if (pause) await yieldNow();
  }
  // A range may end ahead of the present (the editor asks up to the engine's clock): the quiet
  // tail after the last event is evaluated up to now at most, so no firing lands in the future.
  const present = Math.max(options.nowMs ?? Date.now(), lastTime ?? from);
  const end = truncated ? (lastTime ?? from) : Math.min(to, present);
  while (nextSample < samples.length && samples[nextSample].at < end) bt.feedQueues(samples[nextSample].depths, samples[nextSample++].at);
  // Evaluate up to the end of the range: a quiet tail can resolve alerts or fire no-data.
  btOptions.endMs = end;
  return { ...bt.finish(), truncated, range: { from, to: end } };
}

export interface CaptureBacktestResult extends BacktestResult {
  lines: number;
  badLines: number;
  undecodable: number;
  duplicates: number;
  /**
   * The capture breaks off after lines were read (a cut or corrupt gzip, a last line cut mid-line,
   * a read failure), as `payops replay` says `truncated`: the backtest ran over what came before.
   */
  truncated: boolean;
  /** Why it breaks off (the reader's message, naming the line), or null. */
  error: string | null;
}

/** How many event ids a capture backtest remembers to drop duplicates (as the store would). */
const DEDUPE_WINDOW = 1_000_000;

/**
 * Runs `rules` over a capture file, decoded line by line as `payops replay` would (duplicates
 * by source and id are dropped, events without a time are placed at their recorded arrival, else
 * at the newest event time before them, else at the capture's first).
 * A capture that breaks off after its first lines (see CaptureBacktestResult.truncated) is
 * backtested up to the break; a CaptureReadError that leaves nothing read (missing, empty,
 * binary) propagates to the caller.
 */
export async function backtestCapture(file: string, rules: readonly AlertRule[], options: BacktestOptions = {}): Promise<CaptureBacktestResult> {
  const bt = new Backtester(rules, options);
  const seen = new Set<string>();
  let lines = 0;
  let badLines = 0;
  let undecodable = 0;
  let duplicates = 0;
  let batch: AlertInputEvent[] = [];
  // A line without an event time and without a recorded arrival (0) is placed as a replay places
  // it: at the newest event time before it, else at the capture's first (never in 1970).
  const first = await firstEventTime(file);
  let watermark: number | null = null;
  const take = (record: CaptureRecord): void => {
    lines++;
    if (!('raw' in record)) {
      badLines++;
      return;
    }
    const decoded = decodeMessage(record.raw);
    if (!decoded.ok) {
      undecodable++;
      return;
    }
    const e = decoded.event;
    if (e.timeMs !== null && (watermark === null || e.timeMs > watermark)) watermark = e.timeMs;
    const arrivalMs = record.raw.arrivalMs === 0 ? (e.timeMs ?? watermark ?? first ?? 0) : record.raw.arrivalMs;
    const id = `${e.source}\u0000${e.id}`;
    if (seen.has(id)) {
      duplicates++;
      return;
    }
    seen.add(id);
    if (seen.size > DEDUPE_WINDOW) {
      // Forget the oldest half: redeliveries come soon after the original.
      let drop = DEDUPE_WINDOW / 2;
      for (const k of seen) {
        seen.delete(k);
        if (--drop === 0) break;
      }
    }
    batch.push({
      type: e.type,
      timeMs: e.timeMs ?? arrivalMs,
      merchantId: e.merchantId,
      country: e.country,
      score: e.score,
      // What rules grouped by a segment read (the live engine passes the decoded event whole).
      cardBin: e.cardBin,
      method: e.method,
      dimensions: e.dimensions,
      arrivalMs,
    });
    if (batch.length >= 2000) {
      bt.feedEvents(batch);
      batch = [];
    }
  };
  let error: string | null = null;
  let truncated = false;
  let lastLine = 0;
  try {
    for await (const record of openCaptureReader(file)) {
      // Cut mid-line: the file breaks off inside its last line, which is no unreadable line.
      if ('error' in record && record.cut) throw cutLineError(file, record.line);
      lastLine = record.line;
      take(record);
    }
  } catch (err) {
    // Broken off after lines were read: backtest what came before, as a replay stores it.
    if (!(err instanceof CaptureReadError) || !brokeOffAfter(err, lastLine)) throw err;
    error = err.message;
    truncated = true;
  }
  if (batch.length) bt.feedEvents(batch);
  return { ...bt.finish(), lines, badLines, undecodable, duplicates, truncated, error };
}
