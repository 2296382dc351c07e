// Backtests of a rule set over the session's stored range, for the rule editor. Served by the
// read worker on its read-only connection: it cannot write live state, and ingest commits
// while it reads.
import type { ReadStore } from '../store/store';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import { BACKTEST_LIMITS } from '../../../shared/alertsApi';
import { validateRulesText } from '../../../shared/rulesText';
import type { BacktestService as BacktestServiceApi } from '../engine/engineServices';
import { backtestStoredRange } from './backtestSources';
import { burnRateAlertRecords } from './burnRateHistory';

export class BacktestService implements BacktestServiceApi {
  constructor(private readonly store: ReadStore) {}

  async run(args: ApiParsedArgs<'rules.backtest'>): Promise<ApiResults['rules.backtest']> {
    const started = Date.now();
    const v = validateRulesText(args.text, args.format);
    const empty = { alerts: [], firedCount: 0, notifications: [], events: 0, from: args.from, to: args.to, truncated: null, evaluations: 0, elapsedMs: 0 };
    if (!v.ok) return { ok: false, issues: v.issues, ...empty };
    let from = args.from;
    let cut: string | null = null;
    if (args.to - from > BACKTEST_LIMITS.maxRangeMs) {
      from = args.to - BACKTEST_LIMITS.maxRangeMs;
      cut = `range limited to the last ${BACKTEST_LIMITS.maxRangeMs / 86_400_000} days before ${new Date(args.to).toISOString()}`;
    }
    // The text's burn-rate (SLO) rules page too, as they do live and in `payops backtest`.
    const r = await backtestStoredRange(this.store, v.rules, { from, to: args.to, maxEvents: BACKTEST_LIMITS.maxEvents, burnRates: v.routing.burnRates });
    const burnRateAlerts = burnRateAlertRecords(r.notifications, new Set(v.routing.burnRates.map((b) => b.name)));
    const fired = [...r.alerts.filter((a) => a.firedAt !== null), ...burnRateAlerts].sort((a, b) => (a.firedAt ?? 0) - (b.firedAt ?? 0));
    return {
      ok: true,
      issues: [],
      alerts: fired.slice(0, BACKTEST_LIMITS.maxAlertsShown),
      firedCount: fired.length,
      notifications: r.notifications.slice(0, BACKTEST_LIMITS.maxAlertsShown),
      events: r.events,
      from: r.range.from,
      to: r.range.to,
      truncated: [cut, r.truncated].filter(Boolean).join('; ') || null,
      evaluations: r.evaluations,
      elapsedMs: Date.now() - started,
    };
  }
}
