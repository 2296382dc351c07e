// Burn-rate rules in an engine session, beside the rule evaluator: fed the same committed
// events, on event time in a replay and also on the wall clock when live.
import type { AlertHistoryRecord, AlertNotification } from '../../../shared/alerts';
import type { BurnRateRule } from '../../../shared/notificationConfig';
import type { AlertInputEvent } from './eventCounters';
import { BurnRateEvaluator } from './burnRateEvaluator';
import { LiveClock } from './liveClock';

/** Stored events a rules save reads back for the burn-rate rules it adds or changes (the newest, at high rates). */
export const BURN_PRIME_MAX_EVENTS = 1_000_000;

/** The stored events in [from, until], in time order (the store's event log). */
export type StoredEvents = (fromMs: number, untilMs: number, maxEvents: number) => Iterable<AlertInputEvent>;

export class BurnRateSession {
  private readonly evaluator: BurnRateEvaluator;
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: LiveClock;

  constructor(
    rules: readonly BurnRateRule[],
    private readonly replay: boolean,
    private readonly notify: (n: AlertNotification) => void,
    /** Shared with the rule evaluator's session in an engine, so both follow the wall clock alike. */
    clock: LiveClock = new LiveClock(),
  ) {
    this.evaluator = new BurnRateEvaluator(rules);
    this.clock = clock;
  }

  observeCommitted(events: readonly AlertInputEvent[], watermark: number | null): void {
    if (events.length === 0) return;
    // The batch's own times (see AlertingSession.observeCommitted): not a wrong clock's watermark.
    if (!this.replay) this.clock.observeEvents(events);
    this.evaluator.observeEvents(events);
    this.publish(this.replay && watermark !== null ? this.evaluator.advanceTo(watermark) : this.evaluator.take());
  }

  start(): void {
    if (this.replay || this.timer) return;
    this.timer = setInterval(() => this.onWallTick(), 1000);
    this.timer.unref?.();
  }

  /** A live session's second: wall time unless a draining backlog's own times drive the clock (liveClock.ts). */
  onWallTick(): void {
    const target = this.clock.wallTarget();
    this.publish(target === null ? this.evaluator.take() : this.evaluator.advanceTo(target));
  }

  /**
   * A rules save, live: the saved burn-rate rules apply now. Unchanged ones keep their state;
   * new and changed ones are judged at once over the stored events of their longest window
   * (`stored`, bounded to the newest BURN_PRIME_MAX_EVENTS); a removed one's firing alert is
   * announced resolved (BurnRateEvaluator.replaceRules).
   */
  reload(rules: readonly BurnRateRule[], stored: StoredEvents, now = Date.now()): void {
    this.publish(this.evaluator.replaceRules(rules, (fresh) => primeFrom(fresh, stored, now), now));
  }

  /**
   * A live engine started on its database: the rules are judged at once over the stored events
   * of their windows, and the burn-rate alerts a previous engine left open (`open`, the
   * history's open instances) carry on (BurnRateEvaluator.carryOn); what that announces goes
   * out with the next evaluation.
   * Returns the instances carried on: they stay open in the history until their resolve.
   */
  carryOn(open: readonly AlertHistoryRecord[], stored: StoredEvents, now = Date.now()): AlertHistoryRecord[] {
    if (this.replay) return [];
    const byKey = new Map<string, AlertHistoryRecord>();
    for (const r of open) {
      const id = burnRateAlertKey(r);
      if (id !== null) byKey.set(id, r);
    }
    const carried = this.evaluator.carryOn(new Set(byKey.keys()), (self) => primeFrom(self, stored, now), now);
    return [...carried].map((k) => byKey.get(k)!);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private publish(notifications: AlertNotification[]): void {
    for (const n of notifications) this.notify(n);
  }
}

/** The stored events of an evaluator's longest window before `now`, in chunks (the newest BURN_PRIME_MAX_EVENTS at most). */
function primeFrom(fresh: BurnRateEvaluator, stored: StoredEvents, now: number): void {
  const from = now - fresh.longestWindowMs - 2 * 60_000;
  let chunk: AlertInputEvent[] = [];
  for (const e of stored(from, now, BURN_PRIME_MAX_EVENTS)) {
    chunk.push(e);
    if (chunk.length >= 2000) {
      fresh.observeEvents(chunk);
      chunk = [];
    }
  }
  fresh.observeEvents(chunk);
}

/** The burn-rate alert key of a history instance (BurnRateHistory keys them `<key>/<firedAt>`), or null. */
export function burnRateAlertKey(r: Pick<AlertHistoryRecord, 'key' | 'firedAt'>): string | null {
  if (r.firedAt === null) return null;
  const suffix = `/${r.firedAt}`;
  return r.key.endsWith(suffix) ? r.key.slice(0, -suffix.length) : null;
}
