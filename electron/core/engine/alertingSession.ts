import type { AlertNotification } from '../../../shared/alerts';
import { AlertEvaluator, AlertHistoryStore, type AlertRule } from '../alerts';
import type { Engine } from './engine';

const LIVE_TICK_MS = 1000;

/**
 * Alert evaluation for one engine session. Events feed it as they commit and queue samples
 * as they are polled. Live, the clock advances with wall time (so "no data" can fire when
 * nothing arrives); in a replay it advances only with event time, after each committed
 * batch, so a capture gives the same alerts at any speed.
 */
export class AlertingSession {
  readonly evaluator: AlertEvaluator;
  readonly history: AlertHistoryStore;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly engine: Engine,
    readonly rules: readonly AlertRule[],
    private readonly notify: (n: AlertNotification) => void,
  ) {
    this.history = new AlertHistoryStore(engine.db);
    const replay = engine.config.session === 'replay';
    if (!replay) this.history.closeOpenInstances(Date.now());
    this.evaluator = new AlertEvaluator(rules, this.history);

    engine.onCommitted((outcome) => {
      if (outcome.inserted.length === 0) return;
      this.evaluator.observeEvents(outcome.inserted);
      if (replay && engine.liveMetrics.watermark !== null) this.publish(this.evaluator.advanceTo(engine.liveMetrics.watermark));
    });
    engine.onQueueSamples((samples) => this.evaluator.observeQueues(samples, samples[0]?.at ?? Date.now()));
    if (!replay) {
      this.timer = setInterval(() => this.publish(this.evaluator.advanceTo(Date.now())), LIVE_TICK_MS);
      this.timer.unref?.();
    }
    engine.onStop(() => {
      if (this.timer) clearInterval(this.timer);
      if (replay) this.publish(this.evaluator.finish());
    });
    this.registerRequests();
  }

  private publish(notifications: AlertNotification[]): void {
    for (const n of notifications) this.notify(n);
  }

  private registerRequests(): void {
    const e = this.evaluator;
    this.engine.handle('alerts.list', (args) => e.list(args as { includeResolved?: boolean; limit?: number }));
    this.engine.handle('alerts.ack', (args) => {
      const a = args as { key: string; by: string; note: string };
      return { ok: e.acknowledge(a.key, a.by, a.note) };
    });
    this.engine.handle('alerts.resolveNote', (args) => {
      const a = args as { key: string; by: string; note: string };
      return { ok: e.addResolveNote(a.key, a.by, a.note) };
    });
    this.engine.handle('alerts.silence', (args) => {
      const a = args as { matchers: Parameters<AlertEvaluator['silence']>[0]; durationMs: number; comment: string; by?: string };
      return e.silence(a.matchers, Date.now() + a.durationMs, a.comment, a.by ?? 'operator');
    });
    this.engine.handle('alerts.expireSilence', (args) => ({ ok: e.expireSilence((args as { id: string }).id) }));
    this.engine.handle('alerts.silences', () => e.listSilences());
    this.engine.handle('alerts.history', (args) => this.history.list((args ?? {}) as Parameters<AlertHistoryStore['list']>[0]));
    this.engine.handle('rules.current', () => this.rules);
  }
}
