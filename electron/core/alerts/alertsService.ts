// The API's `alerts` service: the session's alerts, operator actions on them, silences and
// the stored history. Silences run on the evaluator's clock: wall time live, event time in a replay.
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord, AlertView } from '../../../shared/alerts';
import { BURN_RATE_METRIC } from '../../../shared/alertValueFormat';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { AlertingSession } from './alertingSession';
import type { AlertHistoryStore } from './alertHistoryStore';
import { runbookUrlShared } from './ruleAnnotations';

export class AlertsService implements ApiService<'alerts'> {
  constructor(private readonly session: AlertingSession) {}

  /**
   * The evaluator's alerts, and the burn-rate (SLO) alerts (BurnRateHistory keeps them in the
   * history only): a page an SLO raised is listed while it fires, as on a follower console.
   */
  list({ includeResolved, limit }: ApiParsedArgs<'alerts.list'>): ApiResults['alerts.list'] {
    const burn = listedFromHistory(this.session.history, includeResolved !== false, (r) => r.metric === BURN_RATE_METRIC);
    if (burn.length === 0) return { alerts: this.session.evaluator.list({ includeResolved, limit }).map(withSharedRunbook) };
    const all = sortAlertViews([...this.session.evaluator.list({ includeResolved }).map(withSharedRunbook), ...burn]);
    return { alerts: all.slice(0, limit ?? all.length) };
  }

  ack({ key, by, note }: ApiParsedArgs<'alerts.ack'>): ApiResults['alerts.ack'] {
    return { ok: this.session.evaluator.acknowledge(key, by, note) };
  }

  resolveNote({ key, by, note }: ApiParsedArgs<'alerts.resolveNote'>): ApiResults['alerts.resolveNote'] {
    return { ok: this.session.evaluator.addResolveNote(key, by, note) };
  }

  silence({ matchers, durationMs, comment, by }: ApiParsedArgs<'alerts.silence'>): ApiResults['alerts.silence'] {
    const silence = this.session.evaluator.silence(matchers, this.session.now() + durationMs, comment, by);
    this.session.afterSilenceEdit();
    return silence;
  }

  expireSilence({ id }: ApiParsedArgs<'alerts.expireSilence'>): ApiResults['alerts.expireSilence'] {
    const ok = this.session.evaluator.expireSilence(id);
    this.session.afterSilenceEdit();
    return { ok };
  }

  silences(): ApiResults['alerts.silences'] {
    return this.session.evaluator.listSilences();
  }

  history(filter: ApiParsedArgs<'alerts.history'>): ApiResults['alerts.history'] {
    return withRuleMetrics(this.session.history.list(filter), this.session.evaluator.rules);
  }
}

/** Runbook URLs as shared, by the rule's URL: a rules file names a few, listed every 2 s. */
const sharedRunbooks = new Map<string, string | null>();

/**
 * An evaluator's alert with its runbook as its records, followers and webhooks have it (a login
 * or a token in it hidden, runbookUrlShared): the collector's own console showed and linked the
 * rule's URL whole, where every other console and receiver got it hidden.
 */
function withSharedRunbook(v: AlertView): AlertView {
  if (!v.runbookUrl) return v;
  let shared = sharedRunbooks.get(v.runbookUrl);
  if (shared === undefined) {
    if (sharedRunbooks.size >= 256) sharedRunbooks.clear();
    shared = runbookUrlShared(v.runbookUrl);
    sharedRunbooks.set(v.runbookUrl, shared);
  }
  return shared === v.runbookUrl ? v : { ...v, runbookUrl: shared };
}

/**
 * History records with their rule's metric, so that a peak reads in its unit ("23.0 %" for a
 * rate, as the live list shows it) rather than as the stored fraction 0.230. The metric stored
 * with the record (migration 374: the evaluator's, a burn-rate alert's, or the one a followed
 * collector sent) comes first; a row stored before it takes its loaded rule's, and a rule since
 * removed or disabled leaves it absent (a bare number).
 */
export function withRuleMetrics(records: AlertHistoryRecord[], rules: readonly Pick<AlertRule, 'name' | 'metric'>[]): AlertHistoryRecord[] {
  const metricOf = new Map(rules.map((r) => [r.name, r.metric]));
  return records.map((r) => {
    if (r.metric !== undefined) return r;
    const metric = metricOf.get(r.rule);
    return metric === undefined ? r : { ...r, metric };
  });
}

const ACTIVE = new Set(['pending', 'firing', 'nodata', 'error']);
const STATE_ORDER: Record<string, number> = { firing: 0, error: 1, nodata: 2, pending: 3, resolved: 4, normal: 5 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };
/** Resolved alerts listed from history: as many as an evaluator keeps (AlertEvaluatorOptions.maxResolvedKept). */
const RESOLVED_LISTED = 200;

/** Whether a history instance is an alert still active (neither resolved nor ended). */
export function isActiveRecord(r: AlertHistoryRecord): boolean {
  return ACTIVE.has(r.state) && r.resolvedAt === null && r.endedAt === null;
}

export function alertViewOf(r: AlertHistoryRecord): AlertView {
  return {
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    labels: r.labels,
    state: r.state,
    ...(r.metric === undefined ? {} : { metric: r.metric }),
    value: r.value,
    peakValue: r.peakValue,
    summary: r.summary,
    runbookUrl: r.runbookUrl ?? null,
    ...(r.description === undefined ? {} : { description: r.description }),
    activeSince: r.activeSince,
    firedAt: r.firedAt,
    resolvedAt: r.resolvedAt,
    silenced: r.silenced,
    acknowledged: r.acknowledged,
    transitions: r.transitions,
  };
}

/** In the evaluator's list order: by state (firing first), severity, newest first. */
export function sortAlertViews(views: AlertView[]): AlertView[] {
  return views.sort(
    (a, b) =>
      (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) ||
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      (b.activeSince ?? 0) - (a.activeSince ?? 0) ||
      (a.key < b.key ? -1 : 1),
  );
}

/**
 * Alerts as the history holds them (`keep` chooses which): every open instance, however many
 * newer episodes there are, and the newest resolved ones that fired.
 */
export function listedFromHistory(history: Pick<AlertHistoryStore, 'openInstances' | 'list'>, includeResolved: boolean, keep: (r: AlertHistoryRecord) => boolean): AlertView[] {
  const active = history.openInstances().filter((r) => isActiveRecord(r) && keep(r));
  const resolved = includeResolved ? history.list({ firedOnly: true, limit: RESOLVED_LISTED }).filter((r) => !isActiveRecord(r) && keep(r)) : [];
  return [...active, ...resolved].map(alertViewOf);
}
