// Backtesting: runs rules over past events (and queue samples) and reports what would have
// fired and when, without touching live state or any database. The same evaluator as live
// does the work, so a backtest and the live console cannot disagree.
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord, AlertNotification, AlertSilenceChange } from '../../../shared/alerts';
import type { QueueDepth } from '../../../shared/metrics';
import type { BurnRateRule } from '../../../shared/notificationConfig';
import { AlertEvaluator, type AlertEvaluatorOptions } from './alertEvaluator';
import type { AlertHistorySink } from './alertHistoryStore';
import { BURN_RATE_LATENESS_MS, BurnRateEvaluator } from './burnRateEvaluator';
import type { AlertInputEvent } from './eventCounters';
import type { SilenceInForce } from './silenceSet';

export interface QueueSampleBatch {
  /** When the depths were polled, on the same clock as event time. */
  at: number;
  depths: readonly QueueDepth[];
}

export interface BacktestOptions extends Pick<AlertEvaluatorOptions, 'evaluationIntervalMs' | 'allowedLatenessMs' | 'maxGroupsPerDimension'> {
  queueSamples?: readonly QueueSampleBatch[];
  /** Keep evaluating up to this time after the last input (e.g. the end of a stored range). */
  endMs?: number;
  /** Also report episodes that went pending, nodata or error but never fired. */
  includeUnfired?: boolean;
  /**
   * The rules file's burn-rate (SLO) rules: run beside the rules on the same events, as a
   * replay or the live console runs them, so their pages are among the notifications.
   */
  burnRates?: readonly BurnRateRule[];
  /**
   * Silences, each holding over the times it was in force (its `startsAt`, when set, to its end
   * or expiry): the evaluator judges them as live, so an alert a silence held is announced to no
   * one, and the routing reports it held back (BacktestResult.silenceChanges).
   */
  silences?: readonly SilenceInForce[];
}

export interface BacktestResult {
  /** Alert instances, oldest first (only those that fired unless includeUnfired). */
  alerts: AlertHistoryRecord[];
  notifications: AlertNotification[];
  /** What silences held back or let go, in time order, as the live router hears it (NotificationRouter.silence). */
  silenceChanges: AlertSilenceChange[];
  events: number;
  /** Event time of the first and last input. */
  from: number | null;
  to: number | null;
  evaluations: number;
  stats: ReturnType<AlertEvaluator['stats']>;
}

/** Collects what the evaluator would have written to history; holds the silences it judges with. */
class MemoryHistory implements AlertHistorySink {
  readonly records = new Map<string, AlertHistoryRecord>();
  constructor(private readonly silences: readonly SilenceInForce[]) {}
  saveInstances(records: readonly AlertHistoryRecord[]): void {
    for (const r of records) this.records.set(r.key, r);
  }
  acknowledge(): boolean {
    return false;
  }
  addResolveNote(): boolean {
    return false;
  }
  saveSilence(): void {}
  listSilences(): SilenceInForce[] {
    return this.silences.map((s) => ({ ...s, matchers: s.matchers.map((m) => ({ ...m })) }));
  }
}

/** Incremental form, for inputs that arrive in pieces (a capture read line by line, pages of a stored range). */
export class Backtester {
  private readonly history: MemoryHistory;
  private readonly evaluator: AlertEvaluator;
  private readonly burn: BurnRateEvaluator | null;
  private readonly notifications: AlertNotification[] = [];
  private readonly silenceChanges: AlertSilenceChange[] = [];
  private events = 0;
  private from: number | null = null;
  private to: number | null = null;

  constructor(rules: readonly AlertRule[], private readonly options: BacktestOptions = {}) {
    this.history = new MemoryHistory(options.silences ?? []);
    // A notification must not be lost to the live bound: keep every one a backtest raises.
    this.evaluator = new AlertEvaluator(rules, this.history, { ...options, maxPendingNotifications: Number.MAX_SAFE_INTEGER, now: () => 0 });
    this.burn = options.burnRates?.length ? new BurnRateEvaluator(options.burnRates) : null;
  }

  feedEvents(events: readonly AlertInputEvent[]): void {
    for (const e of events) {
      if (typeof e.timeMs !== 'number' || !Number.isFinite(e.timeMs)) continue;
      this.events++;
      this.see(e.timeMs);
    }
    this.evaluator.observeEvents(events);
    this.takeFromEvaluator(this.evaluator.takeNotifications());
    if (this.burn) {
      // Its clock is the events' own time, as in a replay (it evaluates each minute it passes).
      this.burn.observeEvents(events);
      this.notifications.push(...this.burn.take());
    }
  }

  feedQueues(depths: readonly QueueDepth[], at: number): void {
    this.see(at);
    this.evaluator.observeQueues(depths, at);
    this.takeFromEvaluator(this.evaluator.takeNotifications());
  }

  private takeFromEvaluator(notifications: AlertNotification[]): void {
    this.notifications.push(...notifications);
    this.silenceChanges.push(...this.evaluator.takeSilenceChanges());
  }

  finish(): BacktestResult {
    this.takeFromEvaluator(this.evaluator.finish());
    if (this.options.endMs !== undefined) this.takeFromEvaluator(this.evaluator.advanceTo(this.options.endMs + (this.options.allowedLatenessMs ?? 3000)));
    // A stored range evaluates its quiet tail up to its end; a capture ends with its last event, as a replay does.
    if (this.burn && this.options.endMs !== undefined) this.notifications.push(...this.burn.advanceTo(this.options.endMs + BURN_RATE_LATENESS_MS));
    // The two evaluators' notifications interleave in event time (the routing reads them so).
    if (this.burn) this.notifications.sort((a, b) => a.at - b.at);
    const alerts = [...this.history.records.values()]
      .filter((r) => this.options.includeUnfired || r.firedAt !== null)
      .sort((a, b) => a.activeSince - b.activeSince || (a.key < b.key ? -1 : 1));
    return {
      alerts,
      notifications: this.notifications,
      silenceChanges: this.silenceChanges,
      events: this.events,
      from: this.from,
      to: this.to,
      evaluations: this.evaluator.stats().ticks,
      stats: this.evaluator.stats(),
    };
  }

  private see(t: number): void {
    if (this.from === null || t < this.from) this.from = t;
    if (this.to === null || t > this.to) this.to = t;
  }
}

/**
 * Runs `rules` over `events` in the order given (queue samples interleaved by time) and
 * returns what would have fired and when. Pure: no live state, no database, no wall clock.
 */
export function backtest(rules: readonly AlertRule[], events: Iterable<AlertInputEvent>, options: BacktestOptions = {}): BacktestResult {
  const bt = new Backtester(rules, options);
  const samples = [...(options.queueSamples ?? [])].sort((a, b) => a.at - b.at);
  let next = 0;
  let watermark = -Infinity;
  let batch: AlertInputEvent[] = [];
  const flush = () => {
    if (batch.length) bt.feedEvents(batch);
    batch = [];
  };
  for (const e of events) {
    if (typeof e.timeMs === 'number' && e.timeMs > watermark) watermark = e.timeMs;
    // Queue samples go in where the event clock passes them, as they would have live.
    if (next < samples.length && samples[next].at <= watermark) {
      flush();
      while (next < samples.length && samples[next].at <= watermark) bt.feedQueues(samples[next].depths, samples[next++].at);
    }
    batch.push(e);
    if (batch.length >= 1000) flush();
  }
  flush();
  while (next < samples.length) bt.feedQueues(samples[next].depths, samples[next++].at);
  return bt.finish();
}
