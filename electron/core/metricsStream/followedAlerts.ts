// A follower's alerts: the collector evaluates, the follower shows. The list comes from the
// alert history the stream keeps up to date (store.alerts), and a transition to firing or
// resolved that arrives is pushed as a notification, as the collector's own console does.
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import { recordAnnotations, type AlertHistoryRecord, type AlertNotification } from '../../../shared/alerts';
import type { MetricsMessage } from '../../../shared/metricsStream';
import type { AlertingSession } from '../alerts/alertingSession';
import { AlertsService, listedFromHistory, sortAlertViews } from '../alerts/alertsService';
import type { AlertHistoryFilter } from '../store/alertHistoryRepository';
import type { Store } from '../store/store';

/** A transition older than this when it arrives (catching up on history) is not notified. */
const NOTIFY_WITHIN_MS = 60_000;

/** The `alerts` service of a follower: lists from history; silences stay local to this console. */
export class FollowedAlertsService extends AlertsService implements ApiService<'alerts'> {
  constructor(
    private readonly store: Pick<Store, 'alerts'>,
    session: AlertingSession,
  ) {
    super(session);
  }

  override list({ includeResolved, limit }: ApiParsedArgs<'alerts.list'>): ApiResults['alerts.list'] {
    const history = { openInstances: () => this.store.alerts.open(), list: (f: AlertHistoryFilter) => this.store.alerts.list(f) };
    const all = sortAlertViews(listedFromHistory(history, includeResolved !== false, () => true));
    return { alerts: all.slice(0, limit ?? all.length) };
  }

  override ack({ key, by, note }: ApiParsedArgs<'alerts.ack'>): ApiResults['alerts.ack'] {
    return { ok: this.store.alerts.acknowledge(key, by, note, Date.now()) };
  }

  override resolveNote({ key, by, note }: ApiParsedArgs<'alerts.resolveNote'>): ApiResults['alerts.resolveNote'] {
    return { ok: this.store.alerts.addResolveNote(key, by, note, Date.now()) };
  }
}

/** How many transitions of each alert instance were looked at: kept by the follower between batches (bounded). */
export type FollowedTransitions = Map<string, number>;
const MAX_FOLLOWED_INSTANCES = 10_000;

/**
 * The summary the collector's own notification gave (AlertEvaluator.notify, BurnRateSession):
 * "FIRING declines: decline rate 20 %, ...". A rule's history record keeps the bare summary; a
 * burn-rate record keeps its notification's, prefixed already (with the kind of its last change).
 */
function notifiedSummary(r: AlertHistoryRecord, kind: 'firing' | 'resolved'): string {
  const bare = [`FIRING ${r.rule}: `, `RESOLVED ${r.rule}: `].reduce((text, prefix) => (text.startsWith(prefix) ? text.slice(prefix.length) : text), r.summary);
  return `${kind === 'firing' ? 'FIRING' : 'RESOLVED'} ${r.rule}: ${bare}`;
}

/**
 * Notifications for the transitions to firing or resolved that the applied messages carry, as
 * the collector's console raised them: each once (the collector saves a firing instance at every
 * tick; `seen` holds how many transitions of each instance were looked at already), both of an
 * instance that fired and resolved between two saves, none for one that fired under a silence
 * (the collector announced it to no one), and none older than NOTIFY_WITHIN_MS (catching up).
 */
export function followedNotifications(messages: readonly MetricsMessage[], now: number, seen: FollowedTransitions = new Map()): AlertNotification[] {
  const out: AlertNotification[] = [];
  for (const m of messages) {
    for (const r of m.alerts) {
      const from = seen.get(r.key) ?? 0;
      seen.delete(r.key);
      seen.set(r.key, Math.max(from, r.transitions.length));
      if (seen.size > MAX_FOLLOWED_INSTANCES) seen.delete(seen.keys().next().value as string);
      for (const t of r.transitions.slice(from)) {
        if (now - t.at > NOTIFY_WITHIN_MS) continue;
        if (t.state !== 'firing' && t.state !== 'resolved') continue;
        if (t.state === 'firing' && r.silenced) continue;
        out.push({ kind: t.state, rule: r.rule, severity: r.severity, labels: r.labels, value: r.value, summary: notifiedSummary(r, t.state), at: t.at, key: r.key, group: r.group || null, runbookUrl: r.runbookUrl ?? null, ...recordAnnotations(r) });
      }
    }
  }
  return out;
}
