// A backtest also runs the routing: what each contact point would have received for the
// notifications the rules raised on past traffic, how long after each problem began the
// first page would have gone out, and what mute timings, inhibition and silences would have held
// back. Nothing is delivered: it is the router alone, on the backtest's event-time clock, fed the
// evaluator's notifications and silence changes in the order a live session passes them on.
import type { AlertHistoryRecord, AlertNotification, AlertSilenceChange } from '../../../shared/alerts';
import type { RoutingConfig } from '../../../shared/notificationConfig';
import { NotificationRouter, fingerprintOf, type Dispatch, type Suppression } from './router';

export interface RoutingBacktest {
  /** Messages per contact point, firing and resolved. */
  contactPoints: { name: string; type: string; messages: number; firing: number; resolved: number }[];
  wouldNotify: { at: string; contactPoint: string; status: 'firing' | 'resolved'; rules: string; alerts: number }[];
  suppressed: { at: string; contactPoint: string; reason: 'muted' | 'inhibited' | 'silenced'; rule: string; labels: Record<string, string> }[];
  /** Per alert that fired with severity critical: from its start (pending or firing) to the first message carrying it. */
  timeToFirstPage: { rule: string; labels: Record<string, string>; problemStart: string; firstPage: string | null; seconds: number | null }[];
}

/**
 * The end of a run on event time at `lastAt`: groups still in their groupWait go out as they
 * would have just after (`wait`), and changes waiting for a groupInterval up to `until`.
 * Shared by the backtest and a replay's end, so both list the same messages.
 */
export function routingEndHorizon(routing: RoutingConfig, lastAt: number): { wait: number; until: number } {
  const all = [routing.defaultPolicy, ...routing.policies];
  const wait = Math.max(0, ...all.map((p) => p.groupWaitMs));
  const interval = Math.max(0, ...all.map((p) => p.groupIntervalMs));
  return { wait: lastAt + wait, until: lastAt + wait + interval };
}

export function backtestRouting(
  routing: RoutingConfig,
  notifications: readonly AlertNotification[],
  alerts: readonly AlertHistoryRecord[],
  endMs: number | null,
  silenceChanges: readonly AlertSilenceChange[] = [],
): RoutingBacktest {
  const router = new NotificationRouter(routing);
  const dispatches: Dispatch[] = [];
  const suppressions: Suppression[] = [];
  const take = (r: { dispatches: Dispatch[]; suppressions: Suppression[] }) => {
    dispatches.push(...r.dispatches);
    suppressions.push(...r.suppressions);
  };
  const ordered = [...notifications].sort((a, b) => a.at - b.at);
  const changes = [...silenceChanges].sort((a, b) => a.at - b.at);
  // As AlertingSession.publish passes them on: a notification first at a tie (an alert fires before a silence can take it).
  let c = 0;
  for (const n of ordered) {
    while (c < changes.length && changes[c].at < n.at) take(router.silence(changes[c++]));
    take(router.observe(n));
  }
  while (c < changes.length) take(router.silence(changes[c++]));
  // Groups still waiting at the end are flushed as they would have been shortly after.
  const lastAt = Math.max(endMs ?? -Infinity, ordered.length ? ordered[ordered.length - 1].at : -Infinity, changes.length ? changes[changes.length - 1].at : -Infinity);
  // Then, as a replay does at its end, changes still waiting for their groupInterval (resolved
  // messages) go out at their scheduled time (routingEndHorizon).
  if (Number.isFinite(lastAt)) {
    const { wait, until } = routingEndHorizon(routing, lastAt);
    take(router.advanceTo(wait));
    take(router.drainChanges(until));
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  const contactPoints = routing.contactPoints.map((c) => {
    const mine = dispatches.filter((d) => d.contactPoint.name === c.name);
    return { name: c.name, type: c.type, messages: mine.length, firing: mine.filter((d) => d.status === 'firing').length, resolved: mine.filter((d) => d.status === 'resolved').length };
  });
  const firstPageOf = new Map<string, number>();
  for (const d of dispatches) {
    for (const a of d.alerts) if (a.status === 'firing' && !firstPageOf.has(`${a.fingerprint}/${a.startsAt}`)) firstPageOf.set(`${a.fingerprint}/${a.startsAt}`, d.at);
  }
  const pageOf = (rule: string, labels: Record<string, string>, problemStart: number, firedAt: number) => {
    const page = firstPageOf.get(`${fingerprintOf({ ...labels, alertname: rule, severity: 'critical' })}/${firedAt}`) ?? null;
    return { rule, labels, problemStart: iso(problemStart), firstPage: page === null ? null : iso(page), seconds: page === null ? null : (page - problemStart) / 1000 };
  };
  // Burn-rate (SLO) alerts have no pending phase and no history record: each critical one that
  // fired starts its problem when it fires.
  const burnRules = new Set(routing.burnRates.map((b) => b.name));
  const timeToFirstPage = [
    ...alerts.filter((a) => a.firedAt !== null && a.severity === 'critical').map((a) => pageOf(a.rule, a.labels, a.activeSince, a.firedAt!)),
    ...ordered.filter((n) => n.kind === 'firing' && n.severity === 'critical' && burnRules.has(n.rule) && n.labels.slo === n.rule).map((n) => pageOf(n.rule, n.labels, n.at, n.at)),
  ];
  return {
    contactPoints,
    wouldNotify: dispatches.map((d) => ({ at: iso(d.at), contactPoint: d.contactPoint.name, status: d.status, rules: [...new Set(d.alerts.map((a) => a.rule))].join(','), alerts: d.alerts.length })),
    suppressed: suppressions.map((s) => ({ at: iso(s.at), contactPoint: s.contactPoint.name, reason: s.reason, rule: s.alert.rule, labels: s.alert.labels })),
    timeToFirstPage,
  };
}
