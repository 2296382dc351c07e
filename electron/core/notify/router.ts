// Routes alert notifications to contact points the way Alertmanager does, deterministically
// over the clock it is advanced on (event time in a replay or backtest, the wall clock live):
// policies matched in order (first match, unless `continue`), alerts grouped by `groupBy`
// labels, a group's first message `groupWait` after it was created, later changes every
// `groupInterval`, an unchanged firing group again after `repeatInterval`. Mute timings hold
// a policy's messages back (what is still firing goes out once the mute ends); a firing source
// alert (silenced or not, as in Alertmanager) inhibits matching targets; a silenced alert is not repeated (its resolve still goes out) and
// what a silence holds back is reported. Nothing is dropped silently: every alert held back is
// reported as a decision, once per alert and reason.
//
// Pure: no I/O and no wall clock. `advanceTo(t)` runs every flush due up to t, each at its
// own scheduled time, so the result does not depend on how often the caller advances.
import { createHash } from 'node:crypto';
import type { AlertNotification, AlertSilenceChange } from '../../../shared/alerts';
import type { NotifiedAlert } from '../../../shared/notifications';
import type { ContactPoint, NotificationPolicy, RoutingConfig } from '../../../shared/notificationConfig';
import { compileAll, type CompiledMatcher } from './matchers';
import { muteTimingActive } from './muteTimings';

/** A message for one contact point about one group of alerts. */
export interface Dispatch {
  contactPoint: ContactPoint;
  groupKey: string;
  groupLabels: Record<string, string>;
  status: 'firing' | 'resolved';
  alerts: NotifiedAlert[];
  /** The router's time of the flush that produced it (event time in a replay, wall time live). */
  at: number;
}

/** What a group's receiver was told last (the notification log's last "sent" for the group). */
export interface DeliveredMessage {
  contactPoint: string;
  groupKey: string;
  /** The router's time of that message. */
  at: number;
  /** The alerts it carried (firing and resolved), as logged. */
  alerts: NotifiedAlert[];
}

/** An alert held back: by a mute timing, inhibited by a firing source alert, or by a silence. */
export interface Suppression {
  contactPoint: ContactPoint;
  groupKey: string;
  groupLabels: Record<string, string>;
  reason: 'muted' | 'inhibited' | 'silenced';
  alert: NotifiedAlert;
  at: number;
}

export interface RouteResult {
  dispatches: Dispatch[];
  suppressions: Suppression[];
}

interface CompiledPolicy {
  policy: NotificationPolicy;
  matches: CompiledMatcher;
  contactPoint: ContactPoint;
  index: number;
}

interface Group {
  key: string;
  route: CompiledPolicy;
  labels: Record<string, string>;
  alerts: Map<string, NotifiedAlert>;
  nextFlushAt: number;
  lastSentAt: number | null;
  /** Fingerprints of the firing alerts the last message carried. */
  sentFiring: Set<string>;
  /** lastSentAt and sentFiring before the last message: what its receiver knew if it was not delivered. */
  before: { lastSentAt: number | null; sentFiring: Set<string> };
  /**
   * Fingerprints of an undelivered message's alerts, said again at the next flush: not a change
   * the end of a run waits for or flushes at once (that message's failure was said already).
   */
  resend: Set<string>;
  /** "reason/fingerprint/startsAt": suppressions already reported. */
  reported: Set<string>;
}

export class NotificationRouter {
  private routes: CompiledPolicy[] = [];
  private defaultRoute!: CompiledPolicy;
  private inhibitions: { source: CompiledMatcher; target: CompiledMatcher; equal: string[] }[] = [];
  private config!: RoutingConfig;
  private groups = new Map<string, Group>();
  /** Every alert firing now (for inhibition), by fingerprint. */
  private readonly firing = new Map<string, NotifiedAlert>();
  private clock = -Infinity;
  /** Alerts resumed after a restart, by their instance key (see observe). */
  private readonly carried = new Map<string, NotifiedAlert>();
  /**
   * Fingerprints of firing alerts silenced after receivers were told they fire: left out of
   * messages (so never repeated) while silenced, as Alertmanager's mute stage leaves them out,
   * but still counted as told, so their resolve goes out and their silence ending pages no one
   * before their repeatInterval.
   */
  private readonly silenced = new Set<string>();
  /**
   * Firing alerts announced to no one because a silence held them when they fired: they page no
   * one, but inhibit their targets, as Alertmanager's inhibitor takes every firing alert that
   * matches a source, silenced or not. Let go when announced (its silence ended) and when the
   * evaluator says its silence no longer holds it ('unsilenced': it resolved, or was closed).
   */
  private readonly heldSilenced = new Map<string, NotifiedAlert>();
  /**
   * Per inhibition rule, the `equal` values of the firing sources (of those that are not targets
   * too): built when first needed after the firing alerts or the rules changed. Checking each
   * alert of a flush against every firing alert took 2.3 s for 3,000 alerts.
   */
  private sourceIndex: { all: Set<string>; pure: Set<string> }[] | null = null;

  constructor(config: RoutingConfig) {
    this.compile(config);
  }

  private compile(config: RoutingConfig): void {
    const byName = new Map(config.contactPoints.map((c) => [c.name, c]));
    const compile = (policy: NotificationPolicy, index: number): CompiledPolicy => {
      const contactPoint = byName.get(policy.contactPoint);
      if (!contactPoint) throw new Error(`policy ${index}: no contact point named "${policy.contactPoint}"`);
      return { policy, matches: compileAll(policy.matchers), contactPoint, index };
    };
    // All or nothing: a config that does not compile leaves the routing as it was.
    const routes = config.policies.map(compile);
    const defaultRoute = compile(config.defaultPolicy, -1);
    const inhibitions = config.inhibitRules.map((r) => ({ source: compileAll(r.sourceMatchers), target: compileAll(r.targetMatchers), equal: r.equal }));
    this.routes = routes;
    this.defaultRoute = defaultRoute;
    this.inhibitions = inhibitions;
    this.sourceIndex = null;
    this.config = config;
  }

  /**
   * The rules were saved while the session runs: routes every alert on `config` from now on,
   * without losing what the old routing held. The alerts firing now are grouped again under the
   * new policies; a contact point told an alert fires is not told again (a repeat waits for its
   * repeatInterval from that message), one that was not gets it after its groupWait (no later
   * than a group of the same key was due before), and a resolved message waiting for its
   * groupInterval still goes to the contact point that was told, if the new routing still sends
   * the alert there. Alertmanager's config reload does the same through its notification log.
   * Throws (and keeps the old routing) if `config` names a contact point it does not define.
   */
  reconfigure(now: number, config: RoutingConfig): RouteResult {
    new NotificationRouter(config); // throws before anything changes if it does not compile
    const out = this.advanceTo(now);
    const old = this.groups;
    // What each contact point was told, by fingerprint (as resume: not by group key, which
    // carries the policy's index), and the resolved messages still owed.
    const told = new Map<string, Map<string, number>>();
    const owed: { contactPoint: string; alert: NotifiedAlert }[] = [];
    for (const g of old.values()) {
      const cp = g.route.contactPoint.name;
      if (g.lastSentAt !== null) {
        const byFingerprint = told.get(cp) ?? new Map<string, number>();
        for (const fp of g.sentFiring) byFingerprint.set(fp, Math.max(byFingerprint.get(fp) ?? -Infinity, g.lastSentAt));
        told.set(cp, byFingerprint);
      }
      for (const a of g.alerts.values()) if (a.status === 'resolved' && g.sentFiring.has(a.fingerprint)) owed.push({ contactPoint: cp, alert: a });
    }
    this.compile(config);
    this.groups = new Map();
    const place = (alert: NotifiedAlert, route: CompiledPolicy): Group => {
      const { key, groupLabels } = groupKeyOf(route, matchLabels(alert));
      let group = this.groups.get(key);
      if (!group) {
        const before = old.get(key);
        group = this.addGroup(key, route, groupLabels);
        if (before) {
          group.nextFlushAt = Math.min(before.nextFlushAt, group.nextFlushAt);
          group.reported = new Set(before.reported);
        }
      }
      return group;
    };
    for (const alert of this.firing.values()) for (const route of this.routesFor(matchLabels(alert))) place(alert, route).alerts.set(alert.fingerprint, alert);
    for (const { contactPoint, alert } of owed) {
      for (const route of this.routesFor(matchLabels(alert))) {
        if (route.contactPoint.name !== contactPoint) continue;
        const group = place(alert, route);
        if (!group.alerts.has(alert.fingerprint)) group.alerts.set(alert.fingerprint, alert);
      }
    }
    for (const g of this.groups.values()) {
      const byFingerprint = told.get(g.route.contactPoint.name);
      if (!byFingerprint) continue;
      for (const fp of g.alerts.keys()) {
        const at = byFingerprint.get(fp);
        if (at === undefined) continue;
        g.sentFiring.add(fp);
        g.lastSentAt = Math.max(g.lastSentAt ?? -Infinity, at);
      }
    }
    for (const g of [...this.groups.values()]) if (g.alerts.size === 0) this.groups.delete(g.key);
    const due = this.advanceTo(this.clock);
    return { dispatches: [...out.dispatches, ...due.dispatches], suppressions: [...out.suppressions, ...due.suppressions] };
  }

  get now(): number {
    return this.clock;
  }

  /**
   * A new, empty group of `route`. Alertmanager counts groupWait from when the group is created,
   * on its own clock. Live, this clock is the wall clock while a notification's `at` is the
   * evaluator's tick, which runs behind it by the lateness allowance: waiting from `at` would
   * flush the group before the next tick could add the alerts that cross the threshold one tick
   * later.
   */
  private addGroup(key: string, route: CompiledPolicy, labels: Record<string, string>): Group {
    const group: Group = { key, route, labels, alerts: new Map(), nextFlushAt: this.clock + route.policy.groupWaitMs, lastSentAt: null, sentFiring: new Set(), before: { lastSentAt: null, sentFiring: new Set() }, resend: new Set(), reported: new Set() };
    this.groups.set(key, group);
    return group;
  }

  /** Feeds one notification from the evaluator (firing or resolved), after running what is due before it. */
  observe(n: AlertNotification): RouteResult {
    const out = this.advanceTo(n.at);
    const alert = this.asTold(n);
    if (alert.status === 'resolved' && n.key !== undefined) this.carried.delete(n.key);
    // Announced firing again (its silence ended before it was announced) or resolved: not silenced.
    this.silenced.delete(alert.fingerprint);
    this.heldSilenced.delete(alert.fingerprint);
    if (alert.status === 'firing') this.firing.set(alert.fingerprint, alert);
    else this.firing.delete(alert.fingerprint);
    this.sourceIndex = null;
    const labels = matchLabels(alert);
    for (const route of this.routesFor(labels)) {
      const { key, groupLabels } = groupKeyOf(route, labels);
      let group = this.groups.get(key);
      if (!group) {
        if (alert.status === 'resolved') continue; // nothing was said about it in this group
        group = this.addGroup(key, route, groupLabels);
      }
      // groupInterval 0: a change goes out at once rather than waiting for a next flush.
      if (route.policy.groupIntervalMs === 0 && group.lastSentAt !== null) group.nextFlushAt = Math.min(group.nextFlushAt, n.at);
      const previous = group.alerts.get(alert.fingerprint);
      group.alerts.set(alert.fingerprint, previous && alert.status === 'resolved' ? { ...alert, startsAt: previous.startsAt } : alert);
    }
    const due = this.advanceTo(this.clock);
    return { dispatches: [...out.dispatches, ...due.dispatches], suppressions: [...out.suppressions, ...due.suppressions] };
  }

  /**
   * An announced alert's silence began (its repeats are held back; its resolve still goes out)
   * or ended (it is repeated again, a repeatInterval after the last message that carried it).
   * An alert that fired while a silence held it was announced to no one: it is only reported,
   * as what the silence held back from each contact point it would have gone to. A contact point
   * never told the alert fires (routing started, or changed, while it was silenced) gets it when
   * its silence ends, after its group's groupWait, as for any alert whose silence ends.
   */
  silence(change: AlertSilenceChange): RouteResult {
    const out = this.advanceTo(change.at);
    const told = this.asTold({ ...change, kind: 'firing', value: null, summary: change.summary ?? '' });
    const held: Suppression[] = [];
    if (change.kind === 'unsilenced') {
      this.silenced.delete(told.fingerprint);
      this.heldSilenced.delete(told.fingerprint);
      this.sourceIndex = null;
      const firing = this.firing.get(told.fingerprint);
      if (firing) this.placeWhereUntold(firing);
    } else {
      const firing = this.firing.get(told.fingerprint);
      if (firing) this.silenced.add(told.fingerprint);
      else this.heldSilenced.set(told.fingerprint, told);
      this.sourceIndex = null;
      held.push(...this.heldBySilence(firing ?? told, change.at));
    }
    const due = this.advanceTo(this.clock);
    return { dispatches: [...out.dispatches, ...due.dispatches], suppressions: [...out.suppressions, ...held, ...due.suppressions] };
  }

  /** Puts a firing alert in each of its routes' groups that does not hold it (a new group waits its groupWait). */
  private placeWhereUntold(alert: NotifiedAlert): void {
    for (const route of this.routesFor(matchLabels(alert))) {
      const { key, groupLabels } = groupKeyOf(route, alert.labels);
      const group = this.groups.get(key) ?? this.addGroup(key, route, groupLabels);
      if (!group.alerts.has(alert.fingerprint)) group.alerts.set(alert.fingerprint, alert);
    }
  }

  /** What a silence beginning at `at` holds back of `alert`: one report per contact point, once per alert. */
  private heldBySilence(alert: NotifiedAlert, at: number): Suppression[] {
    const held: Suppression[] = [];
    for (const route of this.routesFor(matchLabels(alert))) {
      const { key, groupLabels } = groupKeyOf(route, alert.labels);
      const group = this.groups.get(key);
      const mark = `silenced/${alert.fingerprint}/${alert.startsAt}`;
      if (group?.reported.has(mark)) continue;
      group?.reported.add(mark);
      held.push({ contactPoint: route.contactPoint, groupKey: key, groupLabels, reason: 'silenced', alert, at });
    }
    return held;
  }

  /**
   * `n` as receivers know it: an alert carried on over a restart keeps the labels its receiver
   * was told (its rule's severity may have changed in between), so its resolve finds it.
   */
  private asTold(n: AlertNotification): NotifiedAlert {
    const alert = toNotifiedAlert(n);
    const carried = n.key === undefined ? undefined : this.carried.get(n.key);
    return carried && carried.fingerprint !== alert.fingerprint ? { ...alert, severity: carried.severity, labels: carried.labels, fingerprint: carried.fingerprint } : alert;
  }

  /**
   * A live session restarted on its database carries on (call before any `observe`): `alerts`
   * are the alerts the engine carried on, still firing (it will not announce them again);
   * `delivered` the last message each group's receiver got, from the notification log. A group
   * whose receiver was told of an alert does not page it again (a repeat waits for its
   * repeatInterval from that message), one that was not (a group in its groupWait at the
   * crash, a delivery that failed) gets it after groupWait, and a carried-on alert that
   * resolves gets its resolved message: Alertmanager's notification log does the same.
   */
  resume(now: number, alerts: readonly AlertNotification[], delivered: readonly DeliveredMessage[], silenced: readonly AlertNotification[] = []): RouteResult {
    const out = this.advanceTo(now);
    // Told by contact point and fingerprint, not by group key: a policy added above the others
    // (the keys carry the policy's index) does not make every open alert page again.
    const told = new Map<string, Map<string, number>>();
    for (const d of delivered) {
      const byFingerprint = told.get(d.contactPoint) ?? new Map<string, number>();
      for (const a of d.alerts) if (a.status === 'firing') byFingerprint.set(a.fingerprint, Math.max(byFingerprint.get(a.fingerprint) ?? -Infinity, d.at));
      told.set(d.contactPoint, byFingerprint);
    }
    const resumed = new Set<Group>();
    // `silenced`: carried on, still firing, silenced: kept where its receiver was told it fires
    // (so its resolve goes there, and it is not told resolved now), never paged where it was not.
    const quiet = new Set(silenced.map((n) => toNotifiedAlert({ ...n, kind: 'firing' }).fingerprint));
    for (const fp of quiet) this.silenced.add(fp);
    for (const n of [...alerts, ...silenced]) {
      const alert = toNotifiedAlert({ ...n, kind: 'firing' });
      this.firing.set(alert.fingerprint, alert);
      this.sourceIndex = null;
      if (n.key !== undefined) this.carried.set(n.key, alert);
      const labels = matchLabels(alert);
      for (const route of this.routesFor(labels)) {
        const { key, groupLabels } = groupKeyOf(route, labels);
        let group = this.groups.get(key);
        if (!group) resumed.add((group = this.addGroup(key, route, groupLabels)));
        group.alerts.set(alert.fingerprint, alert);
      }
    }
    // Alerts a receiver was last told fire that the engine no longer has open resolved while
    // their resolved message waited (a kill during the groupInterval), or were closed at the
    // restart: the receiver gets their resolved message (not the console's own desktop one).
    const open = new Set([...alerts, ...silenced].map((n) => toNotifiedAlert({ ...n, kind: 'firing' }).fingerprint));
    for (const d of delivered) {
      for (const a of d.alerts) {
        if (open.has(a.fingerprint) || a.status !== 'firing') continue;
        const resolved: NotifiedAlert = { ...a, status: 'resolved', endsAt: this.clock, summary: a.summary.replace(/^FIRING /, 'RESOLVED ') };
        for (const route of this.routesFor(matchLabels(resolved))) {
          if (route.contactPoint.name !== d.contactPoint || route.contactPoint.type === 'desktop') continue;
          const { key, groupLabels } = groupKeyOf(route, resolved.labels);
          let group = this.groups.get(key);
          if (!group) resumed.add((group = this.addGroup(key, route, groupLabels)));
          if (!resumed.has(group) || group.alerts.has(a.fingerprint)) continue;
          group.alerts.set(a.fingerprint, resolved);
        }
      }
    }
    for (const g of resumed) {
      const byFingerprint = told.get(g.route.contactPoint.name);
      for (const fp of [...g.alerts.keys()]) {
        const at = byFingerprint?.get(fp);
        if (at === undefined) {
          if (quiet.has(fp)) g.alerts.delete(fp);
          continue;
        }
        g.sentFiring.add(fp);
        g.lastSentAt = Math.max(g.lastSentAt ?? -Infinity, at);
      }
      if (g.alerts.size === 0) this.groups.delete(g.key);
    }
    const due = this.advanceTo(this.clock);
    return { dispatches: [...out.dispatches, ...due.dispatches], suppressions: [...out.suppressions, ...due.suppressions] };
  }

  /** Runs every group flush due up to `t`, in time order, each at its scheduled time. */
  advanceTo(t: number): RouteResult {
    const result: RouteResult = { dispatches: [], suppressions: [] };
    if (t > this.clock) this.clock = t;
    for (;;) {
      let next: Group | null = null;
      for (const g of this.groups.values()) if (g.nextFlushAt <= t && (!next || g.nextFlushAt < next.nextFlushAt)) next = g;
      if (!next) break;
      this.flush(next, next.nextFlushAt, result);
    }
    return result;
  }

  /**
   * The end of a run on event time (a replay, a backtest): runs the flushes, up to `until`, of
   * the groups that still hold a change to announce (a new firing alert, a resolved one), each
   * at its own scheduled time, so a resolved message due a groupInterval after the last alert is
   * not lost. Flushes of groups with nothing new (repeats) are not waited for beyond what falls
   * before those; an alert held back by inhibition is not a change that will ever go out.
   */
  drainChanges(until: number): RouteResult {
    const result: RouteResult = { dispatches: [], suppressions: [] };
    for (;;) {
      let next = Infinity;
      for (const g of this.groups.values()) if (g.nextFlushAt < next && this.hasChange(g)) next = g.nextFlushAt;
      if (!Number.isFinite(next) || next > until) break;
      const r = this.advanceTo(next);
      result.dispatches.push(...r.dispatches);
      result.suppressions.push(...r.suppressions);
    }
    return result;
  }

  /**
   * A live session stops: every group holding a change to announce is flushed now rather than
   * at its scheduled groupInterval (which the session will not live to see).
   */
  flushChangesNow(t: number): RouteResult {
    const result = this.advanceTo(t);
    for (const g of [...this.groups.values()]) if (this.groups.get(g.key) === g && this.hasChange(g)) this.flush(g, Math.max(t, this.clock), result);
    return result;
  }

  /**
   * `d` failed for good (every attempt refused, or never sent): its receiver was not told. As
   * Alertmanager's notification log records a notification only once it is delivered, the
   * group's next flush (a groupInterval after `d`) says it again: its new firing alerts as new,
   * its resolved ones resolved, an unchanged group as a repeat due since the message before.
   * Nothing changes when a later message of the group went out since (it said the group whole).
   */
  undelivered(d: Dispatch): void {
    let g = this.groups.get(d.groupKey);
    if (g && g.lastSentAt !== d.at) return;
    const resolved = d.alerts.filter((a) => a.status === 'resolved');
    if (!g) {
      // Its alerts all resolved and announced, the group went: back, to announce them again.
      if (resolved.length === 0) return;
      const route = [...this.routes, this.defaultRoute].find((r) => groupKeyOf(r, resolved[0].labels).key === d.groupKey);
      if (!route) return; // routed otherwise since (a rules save)
      g = this.addGroup(d.groupKey, route, { ...d.groupLabels });
      g.nextFlushAt = route.policy.groupIntervalMs > 0 ? Math.max(this.clock, d.at + route.policy.groupIntervalMs) : Infinity;
      g.lastSentAt = d.at;
      g.before = { lastSentAt: d.at, sentFiring: new Set(resolved.map((a) => a.fingerprint)) };
    }
    g.lastSentAt = g.before.lastSentAt;
    g.sentFiring = new Set(g.before.sentFiring);
    for (const a of d.alerts) g.resend.add(a.fingerprint);
    for (const a of resolved) {
      // Still told it fires, unless it fires again (then it is simply still firing).
      if (g.alerts.get(a.fingerprint)?.status === 'firing' || !g.sentFiring.has(a.fingerprint)) continue;
      g.alerts.set(a.fingerprint, a);
    }
  }

  /** Whether a group's next flush would send something new (not a repeat). */
  private hasChange(g: Group): boolean {
    for (const a of g.alerts.values()) {
      if (g.resend.has(a.fingerprint)) continue;
      if (a.status === 'resolved') {
        if (g.sentFiring.has(a.fingerprint) && g.route.contactPoint.sendResolved) return true;
      } else if (!g.sentFiring.has(a.fingerprint) && !this.silenced.has(a.fingerprint) && !this.inhibited(a)) return true;
    }
    return false;
  }

  /** Which routes an alert with these labels takes (Alertmanager: first match unless continue; else the default). */
  routesFor(labels: Readonly<Record<string, string>>): CompiledPolicy[] {
    const out: CompiledPolicy[] = [];
    for (const r of this.routes) {
      if (!r.matches(labels)) continue;
      out.push(r);
      if (!r.policy.continue) break;
    }
    return out.length ? out : [this.defaultRoute];
  }

  /** Groups waiting for a flush (tests and the alerts view). */
  get groupCount(): number {
    return this.groups.size;
  }

  private flush(g: Group, at: number, result: RouteResult): void {
    const p = g.route.policy;
    // groupInterval 0 (send at once): flush again only when something new arrives.
    g.nextFlushAt = p.groupIntervalMs > 0 ? at + p.groupIntervalMs : Infinity;
    const muted = p.muteTimings.some((name) => {
      const timing = this.config.muteTimings.find((m) => m.name === name);
      return timing ? muteTimingActive(timing, at) : false;
    });
    const firing: NotifiedAlert[] = [];
    const resolved: NotifiedAlert[] = [];
    /** Silenced alerts this group's receiver was told fire: still told (see `silenced`). */
    const toldSilenced: string[] = [];
    for (const a of g.alerts.values()) {
      if (a.status === 'resolved') {
        if (g.sentFiring.has(a.fingerprint) && g.route.contactPoint.sendResolved) resolved.push(a);
        continue;
      }
      if (this.silenced.has(a.fingerprint)) {
        if (g.sentFiring.has(a.fingerprint)) toldSilenced.push(a.fingerprint);
        continue;
      }
      const reason = muted ? 'muted' : this.inhibited(a) ? 'inhibited' : null;
      if (reason) {
        const mark = `${reason}/${a.fingerprint}/${a.startsAt}`;
        if (!g.reported.has(mark)) {
          g.reported.add(mark);
          result.suppressions.push({ contactPoint: g.route.contactPoint, groupKey: g.key, groupLabels: { ...g.labels }, reason, alert: a, at });
        }
        continue;
      }
      firing.push(a);
    }
    if (muted) {
      // Alertmanager: nothing leaves during a mute; what still fires goes out at the next flush after it.
      this.settle(g, false);
      return;
    }
    const changed = firing.some((a) => !g.sentFiring.has(a.fingerprint)) || resolved.length > 0;
    const repeat = firing.length > 0 && g.lastSentAt !== null && p.repeatIntervalMs > 0 && at - g.lastSentAt >= p.repeatIntervalMs;
    if (changed || repeat) {
      const alerts = [...firing, ...resolved].sort((a, b) => a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
      result.dispatches.push({
        contactPoint: g.route.contactPoint,
        groupKey: g.key,
        groupLabels: { ...g.labels },
        status: firing.length > 0 ? 'firing' : 'resolved',
        alerts,
        at,
      });
      g.before = { lastSentAt: g.lastSentAt, sentFiring: g.sentFiring };
      g.resend.clear();
      g.lastSentAt = at;
      g.sentFiring = new Set([...firing.map((a) => a.fingerprint), ...toldSilenced]);
      // An unchanged firing group must come back for its repeat even with groupInterval 0.
      if (p.groupIntervalMs === 0 && firing.length > 0 && p.repeatIntervalMs > 0) g.nextFlushAt = at + p.repeatIntervalMs;
    }
    this.settle(g, true);
  }

  /** Resolved alerts leave the group once announced (or once they cannot be); an empty group goes. */
  private settle(g: Group, announced: boolean): void {
    for (const [fp, a] of g.alerts) {
      if (a.status !== 'resolved') continue;
      if (announced || !g.sentFiring.has(fp)) {
        g.alerts.delete(fp);
        g.sentFiring.delete(fp);
      }
    }
    if (g.alerts.size === 0) this.groups.delete(g.key);
  }

  private inhibited(target: NotifiedAlert): boolean {
    if (this.inhibitions.length === 0) return false;
    const t = matchLabels(target);
    const index = (this.sourceIndex ??= this.indexSources());
    for (const [i, rule] of this.inhibitions.entries()) {
      if (!rule.target(t)) continue;
      // Alertmanager: an alert on both sides of a rule is inhibited only by sources that are not
      // targets too; otherwise two such alerts (two criticals of one merchant under "a critical
      // holds back the rest") would silence each other and nothing would page. (An alert never
      // inhibits itself: one that is a source too counts only the sources that are not targets.)
      if ((rule.source(t) ? index[i].pure : index[i].all).has(equalKey(rule.equal, t))) return true;
    }
    return false;
  }

  /** The firing sources of each inhibition rule (silenced or not, as in Alertmanager), by their `equal` values. */
  private indexSources(): { all: Set<string>; pure: Set<string> }[] {
    return this.inhibitions.map((rule) => {
      const all = new Set<string>();
      const pure = new Set<string>();
      for (const sources of [this.firing, this.heldSilenced]) {
        for (const source of sources.values()) {
          const s = matchLabels(source);
          if (!rule.source(s)) continue;
          const key = equalKey(rule.equal, s);
          all.add(key);
          if (!rule.target(s)) pure.add(key);
        }
      }
      return { all, pure };
    });
  }
}

export function toNotifiedAlert(n: AlertNotification): NotifiedAlert {
  const labels = { ...n.labels, alertname: n.rule, severity: n.severity };
  return {
    rule: n.rule,
    severity: n.severity,
    status: n.kind,
    labels,
    fingerprint: fingerprintOf(labels),
    startsAt: n.at,
    endsAt: n.kind === 'resolved' ? n.at : null,
    summary: n.summary,
    ...(n.description === undefined ? {} : { description: n.description }),
    ...(n.runbookUrl ? { runbookUrl: n.runbookUrl } : {}),
    ...(n.metric === undefined ? {} : { metric: n.metric }),
    value: n.value,
  };
}

/** Alertmanager-style: a hash of the sorted label set, 16 hex digits. */
export function fingerprintOf(labels: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(labelText(labels)).digest('hex').slice(0, 16);
}

function matchLabels(a: NotifiedAlert): Record<string, string> {
  return a.labels;
}

/** The key of `route`'s group for an alert of `labels` (policy, contact point, grouped labels), and those labels. */
function groupKeyOf(route: CompiledPolicy, labels: Readonly<Record<string, string>>): { key: string; groupLabels: Record<string, string> } {
  const groupLabels = pickGroupLabels(route.policy.groupBy, labels);
  return { key: `${route.index}:${route.contactPoint.name}:${labelText(groupLabels)}`, groupLabels };
}

function pickGroupLabels(groupBy: readonly string[], labels: Readonly<Record<string, string>>): Record<string, string> {
  if (groupBy.includes('...')) return { ...labels };
  const out: Record<string, string> = {};
  for (const name of groupBy) if (labels[name] !== undefined) out[name] = labels[name];
  return out;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
}

/** The values of an inhibition rule's `equal` labels (a missing label is the empty value). */
function equalKey(equal: readonly string[], labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(equal.map((l) => labels[l] ?? ''));
}
