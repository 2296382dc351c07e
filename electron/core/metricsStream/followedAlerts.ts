// A follower's alerts: the collector evaluates, the follower shows. The list comes from the
// alert history the stream keeps up to date (store.alerts), and a transition to firing or
// resolved that arrives is pushed as a notification, as the collector's own console does.
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { AlertHistoryRecord, AlertNotification, AlertView } from '../../../shared/alerts';
import type { MetricsMessage } from '../../../shared/metricsStream';
import type { AlertingSession } from '../alerts/alertingSession';
import { AlertsService } from '../alerts/alertsService';
import type { Store } from '../store/store';

const ACTIVE = new Set(['pending', 'firing', 'nodata', 'error']);
const ORDER: Record<string, number> = { firing: 0, error: 1, nodata: 2, pending: 3, resolved: 4, normal: 5 };
/** A transition older than this when it arrives (catching up on history) is not notified. */
const NOTIFY_WITHIN_MS = 60_000;

function isActive(r: AlertHistoryRecord): boolean {
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
    runbookUrl: null,
    activeSince: r.activeSince,
    firedAt: r.firedAt,
    resolvedAt: r.resolvedAt,
    silenced: r.silenced,
    acknowledged: r.acknowledged,
    transitions: r.transitions,
  };
}

/** The `alerts` service of a follower: lists from history; silences stay local to this console. */
export class FollowedAlertsService extends AlertsService implements ApiService<'alerts'> {
  constructor(
    private readonly store: Pick<Store, 'alerts'>,
    session: AlertingSession,
  ) {
    super(session);
  }

  override list({ includeResolved, limit }: ApiParsedArgs<'alerts.list'>): ApiResults['alerts.list'] {
    const records = this.store.alerts.list({ limit: 500 });
    const active = records.filter(isActive);
    const resolved = includeResolved === false ? [] : records.filter((r) => !isActive(r) && r.firedAt !== null);
    const all = [...active, ...resolved].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || b.activeSince - a.activeSince);
    return { alerts: all.slice(0, limit ?? all.length).map(alertViewOf) };
  }

  override ack({ key, by, note }: ApiParsedArgs<'alerts.ack'>): ApiResults['alerts.ack'] {
    return { ok: this.store.alerts.acknowledge(key, by, note, Date.now()) };
  }

  override resolveNote({ key, by, note }: ApiParsedArgs<'alerts.resolveNote'>): ApiResults['alerts.resolveNote'] {
    return { ok: this.store.alerts.addResolveNote(key, by, note, Date.now()) };
  }
}

/** Notifications for the transitions to firing or resolved that the applied messages carry. */
export function followedNotifications(messages: readonly MetricsMessage[], now: number): AlertNotification[] {
  const out: AlertNotification[] = [];
  for (const m of messages) {
    for (const r of m.alerts) {
      const last = r.transitions[r.transitions.length - 1];
      if (!last || now - last.at > NOTIFY_WITHIN_MS) continue;
      if (last.state !== 'firing' && last.state !== 'resolved') continue;
      out.push({ kind: last.state, rule: r.rule, severity: r.severity, labels: r.labels, value: r.value, summary: r.summary, at: last.at, key: r.key, group: r.group || null, runbookUrl: null, ...(r.metric === undefined ? {} : { metric: r.metric }) });
    }
  }
  return out;
}
