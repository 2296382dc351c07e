// Burn-rate (SLO) alerts, the Google SRE workbook's multi-window, multi-burn-rate kind: with
// an objective (97 % of attempts approved), the error budget is the 3 % allowed to fail; the
// burn rate over a window is the window's bad fraction divided by that budget. A window pair
// (14.4x over 1 h AND over 5 min) fires when both windows burn at least that fast: the long
// window proves it matters, the short one that it is still happening (and lets it resolve
// soon after it stops). Evaluated every minute of EVENT time, like the rule evaluator, so a
// replay gives the same alerts as the live traffic.
import { groupValueText, type AlertNotification } from '../../../shared/alerts';
import type { BurnRateRule, BurnWindow } from '../../../shared/notificationConfig';
import { BURN_RATE_METRIC } from '../../../shared/alertValueFormat';
import type { AlertInputEvent } from './eventCounters';
import { MAX_AHEAD_OF_WALL_CLOCK_MS } from './wrongClock';
import { groupValueOf } from './eventGroups';

const MINUTE = 60_000;
const HOUR = 3600_000;
/** A minute tick T is evaluated once the clock reaches T + this (events this late still count). */
export const BURN_RATE_LATENESS_MS = 3000;

interface Series {
  attempts: Uint32Array;
  bad: Uint32Array;
  /** Minute each ring slot currently holds (a slot is stale when it holds another minute). */
  minuteOf: Float64Array;
  /** Budget period totals per hour (ring). */
  hourAttempts: Float64Array;
  hourBad: Float64Array;
  hourOf: Float64Array;
  /** Which window pairs are firing now, by index in rule.windows, with when they fired. */
  firing: Map<number, number>;
}

interface PreparedRule {
  rule: BurnRateRule;
  ringMinutes: number;
  periodHours: number;
  groups: Map<string, Series>;
}

export interface BurnRateReading {
  rule: string;
  group: string;
  window: BurnWindow;
  longBurn: number | null;
  shortBurn: number | null;
  budgetRemaining: number | null;
}

export class BurnRateEvaluator {
  private prepared: PreparedRule[];
  private watermark: number | null = null;
  private nextTick: number | null = null;
  private notifications: AlertNotification[] = [];
  groupsRefused = 0;
  /** Events stamped past the wall clock by more than MAX_AHEAD_OF_WALL_CLOCK_MS (a wrong clock), not counted. */
  futureEventsIgnored = 0;

  /** `wallClock`: only to recognise a wrong event clock (see MAX_AHEAD_OF_WALL_CLOCK_MS). */
  constructor(
    rules: readonly BurnRateRule[],
    private readonly maxGroups = 1000,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.prepared = rules.map((rule) => ({
      rule,
      ringMinutes: Math.max(...rule.windows.map((w) => w.longMs / MINUTE)) + 1,
      periodHours: Math.max(1, Math.ceil(rule.periodMs / HOUR)),
      groups: new Map(),
    }));
  }

  /** The longest window of the rules: how far back a new evaluator must read to judge them at once. */
  get longestWindowMs(): number {
    return Math.max(0, ...this.prepared.flatMap((p) => p.rule.windows.map((w) => w.longMs)));
  }

  /**
   * A rules save: swaps in `rules`, at `now`. A rule whose definition is unchanged keeps its
   * counts and its firing state. New and changed rules start in an evaluator of their own that
   * `prime` feeds the stored events of their windows, so they are judged at once on full
   * windows. A window pair firing before and after under the same key is one alert (nothing
   * is said); one announced firing that no longer fires (its rule removed, or changed so it no
   * longer holds) is announced resolved; one firing only after is announced firing. Returns the
   * notifications, with any not yet taken.
   */
  replaceRules(rules: readonly BurnRateRule[], prime: (fresh: BurnRateEvaluator) => void, now: number): AlertNotification[] {
    const out = this.take();
    // Each rule of the new set takes an old one defined the same way, each old one at most once
    // (two rules may share a name: the validation does not refuse it).
    const unclaimed = [...this.prepared];
    const keptFor = rules.map((r) => {
      const i = unclaimed.findIndex((p) => JSON.stringify(p.rule) === JSON.stringify(r));
      return i < 0 ? null : unclaimed.splice(i, 1)[0];
    });
    const fresh = new BurnRateEvaluator(
      rules.filter((_, i) => keptFor[i] === null),
      this.maxGroups,
      this.wallClock,
    );
    if (fresh.prepared.length) prime(fresh);
    // What the rules leaving were announced firing (the firing state is what was announced:
    // every transition is notified); from here on only the rules kept are evaluated here.
    const before = new Map<string, { p: PreparedRule; group: string; w: BurnWindow }>();
    for (const p of unclaimed) {
      for (const [group, s] of p.groups) for (const i of s.firing.keys()) before.set(keyOf(p.rule, p.rule.windows[i], group), { p, group, w: p.rule.windows[i] });
    }
    this.prepared = keptFor.filter((p): p is PreparedRule => p !== null);
    // Both to the same time, so the minute ticks of the rules kept and of the new ones line up.
    const to = Math.max(now, this.watermark ?? -Infinity, fresh.watermark ?? -Infinity);
    out.push(...this.advanceTo(to));
    const primed = fresh.advanceTo(to);
    const after = new Set<string>();
    for (const p of fresh.prepared) for (const [group, s] of p.groups) for (const i of s.firing.keys()) after.add(keyOf(p.rule, p.rule.windows[i], group));
    for (const [key, { p, group, w }] of before) {
      if (!after.has(key)) out.push(this.notification(p, group, w, 'resolved', to, 'alert rules changed', null));
    }
    // What fired while reading back is announced once, if it still fires and did not before.
    const announce = new Map<string, AlertNotification>();
    for (const n of primed) if (n.kind === 'firing' && n.key && after.has(n.key) && !before.has(n.key)) announce.set(n.key, n);
    out.push(...announce.values());
    this.groupsRefused += fresh.groupsRefused;
    this.futureEventsIgnored += fresh.futureEventsIgnored;
    if (this.watermark === null) {
      this.watermark = fresh.watermark;
      this.nextTick = fresh.nextTick;
    }
    let f = 0;
    this.prepared = keptFor.map((p) => p ?? fresh.prepared[f++]);
    return out;
  }

  /**
   * A live engine started on its database: `carried` are the burn-rate alerts the last one
   * left firing (their keys). `prime` feeds this (still empty) evaluator the stored events of
   * the rules' windows; it is then judged at `now`, as a rules save judges a new rule, so the
   * windows are full from the start. A carried alert that still fires carries on (nothing is
   * said: it was announced before the restart), one that no longer does is announced resolved,
   * and one firing only now is announced firing. The notifications wait for the next take().
   * Returns the carried keys a rule still defines (still firing, or resolved by this call).
   */
  carryOn(carried: ReadonlySet<string>, prime: (self: BurnRateEvaluator) => void, now: number): Set<string> {
    const before = new Map<string, { p: PreparedRule; group: string; w: BurnWindow }>();
    for (const key of carried) {
      for (const p of this.prepared) {
        for (const w of p.rule.windows) {
          const head = keyOf(p.rule, w, '').slice(0, -1); // the key less its group ('*' for none)
          if (before.has(key) || !key.startsWith(head)) continue;
          const rest = key.slice(head.length);
          const group = rest === '*' ? '' : rest;
          if ((p.rule.groupBy || group === '') && keyOf(p.rule, w, group) === key) before.set(key, { p, group, w });
        }
      }
    }
    if (this.prepared.length === 0) return new Set();
    const queued = this.take();
    prime(this);
    const primed = this.advanceTo(Math.max(now, this.watermark ?? -Infinity));
    const after = new Set<string>();
    for (const p of this.prepared) for (const [group, s] of p.groups) for (const i of s.firing.keys()) after.add(keyOf(p.rule, p.rule.windows[i], group));
    const out = queued;
    const tick = this.nextTick === null ? now : this.nextTick - MINUTE;
    for (const [key, { p, group, w }] of before) {
      if (after.has(key)) continue;
      const s = p.groups.get(group);
      if (s) this.notify(p, group, w, 'resolved', tick, this.measure(p, s, w, tick));
      else this.notifications.push(this.notification(p, group, w, 'resolved', tick, 'no payment attempts since before the restart', null));
    }
    const resolved = this.take();
    // What fired while reading back and fires now, not carried: announced once.
    const announce = new Map<string, AlertNotification>();
    for (const n of primed) if (n.kind === 'firing' && n.key && after.has(n.key) && !before.has(n.key)) announce.set(n.key, n);
    this.notifications = [...out, ...resolved, ...announce.values()];
    return new Set(before.keys());
  }

  /** Counts payment attempts into their minute, in the order given; runs the minute ticks they pass. */
  observeEvents(events: readonly AlertInputEvent[]): void {
    if (this.prepared.length === 0) return;
    const latest = this.wallClock() + MAX_AHEAD_OF_WALL_CLOCK_MS;
    for (const e of events) {
      const t = e.timeMs;
      if (typeof t !== 'number' || !Number.isFinite(t)) continue;
      // Followed, an event a year ahead would run a year of minute ticks on the engine thread
      // and leave every correct event after it too old for the rings.
      if (t > latest) {
        this.futureEventsIgnored++;
        continue;
      }
      this.moveClock(t);
      const attempt = e.type === 'payment.authorized' || e.type === 'payment.declined' || e.type === 'payment.failed';
      if (!attempt) continue;
      for (const p of this.prepared) {
        const bad = e.type === 'payment.failed' || (p.rule.sli === 'approval' && e.type === 'payment.declined');
        const group = segmentOf(p.rule, e);
        if (group === null) continue;
        const s = this.series(p, group);
        if (!s) continue;
        const minute = Math.floor(t / MINUTE);
        const slot = minute % p.ringMinutes;
        if (s.minuteOf[slot] !== minute) {
          if (s.minuteOf[slot] > minute) continue; // older than the ring holds
          s.minuteOf[slot] = minute;
          s.attempts[slot] = 0;
          s.bad[slot] = 0;
        }
        s.attempts[slot]++;
        if (bad) s.bad[slot]++;
        const hour = Math.floor(t / HOUR);
        const h = hour % p.periodHours;
        if (s.hourOf[h] !== hour) {
          if (s.hourOf[h] > hour) continue;
          s.hourOf[h] = hour;
          s.hourAttempts[h] = 0;
          s.hourBad[h] = 0;
        }
        s.hourAttempts[h]++;
        if (bad) s.hourBad[h]++;
      }
    }
  }

  /** Moves the clock (wall time live, the replay clock in a replay); returns and clears the notifications raised. */
  advanceTo(t: number): AlertNotification[] {
    // A replay's clock is its newest event time: a wrong one is not followed.
    if (Number.isFinite(t) && t <= this.wallClock() + MAX_AHEAD_OF_WALL_CLOCK_MS) this.moveClock(t);
    return this.take();
  }

  take(): AlertNotification[] {
    const out = this.notifications;
    this.notifications = [];
    return out;
  }

  /** Burn rates and remaining budget of one group at the last tick (the alerts view, tests). */
  read(ruleName: string, group = ''): BurnRateReading[] {
    const p = this.prepared.find((x) => x.rule.name === ruleName);
    const s = p?.groups.get(group);
    if (!p || !s || this.nextTick === null) return [];
    const tick = this.nextTick - MINUTE;
    return p.rule.windows.map((w) => ({ rule: ruleName, group, window: w, ...this.measure(p, s, w, tick) }));
  }

  private series(p: PreparedRule, group: string): Series | null {
    let s = p.groups.get(group);
    if (s) return s;
    if (p.groups.size >= this.maxGroups) {
      this.groupsRefused++;
      return null;
    }
    s = {
      attempts: new Uint32Array(p.ringMinutes),
      bad: new Uint32Array(p.ringMinutes),
      minuteOf: new Float64Array(p.ringMinutes).fill(-1),
      hourAttempts: new Float64Array(p.periodHours),
      hourBad: new Float64Array(p.periodHours),
      hourOf: new Float64Array(p.periodHours).fill(-1),
      firing: new Map(),
    };
    p.groups.set(group, s);
    return s;
  }

  private moveClock(t: number): void {
    if (this.watermark === null) {
      this.watermark = t;
      this.nextTick = (Math.floor(t / MINUTE) + 1) * MINUTE;
    }
    if (t > this.watermark) this.watermark = t;
    while (this.nextTick! + BURN_RATE_LATENESS_MS <= this.watermark) {
      this.evaluate(this.nextTick!);
      this.nextTick! += MINUTE;
    }
  }

  private sum(p: PreparedRule, s: Series, fromMinute: number, toMinute: number): { attempts: number; bad: number } {
    let attempts = 0;
    let bad = 0;
    for (let m = Math.max(fromMinute, toMinute - p.ringMinutes); m < toMinute; m++) {
      const slot = m % p.ringMinutes;
      if (s.minuteOf[slot] !== m) continue;
      attempts += s.attempts[slot];
      bad += s.bad[slot];
    }
    return { attempts, bad };
  }

  private measure(p: PreparedRule, s: Series, w: BurnWindow, tick: number) {
    const budget = 1 - p.rule.objective;
    const to = tick / MINUTE;
    const long = this.sum(p, s, to - w.longMs / MINUTE, to);
    const short = this.sum(p, s, to - w.shortMs / MINUTE, to);
    const burn = (x: { attempts: number; bad: number }) => (x.attempts > 0 ? x.bad / x.attempts / budget : null);
    let attempts = 0;
    let bad = 0;
    const hourNow = Math.floor((tick - 1) / HOUR);
    for (let h = 0; h < p.periodHours; h++) {
      if (s.hourOf[h] < 0 || s.hourOf[h] <= hourNow - p.periodHours) continue;
      attempts += s.hourAttempts[h];
      bad += s.hourBad[h];
    }
    return {
      longBurn: burn(long),
      shortBurn: burn(short),
      shortAttempts: short.attempts,
      budgetRemaining: attempts > 0 ? 1 - bad / (budget * attempts) : null,
    };
  }

  private evaluate(tick: number): void {
    for (const p of this.prepared) {
      const { rule } = p;
      for (const [group, s] of p.groups) {
        rule.windows.forEach((w, i) => {
          const m = this.measure(p, s, w, tick);
          const met = m.longBurn !== null && m.shortBurn !== null && m.shortAttempts >= rule.minVolume && m.longBurn >= w.factor && m.shortBurn >= w.factor;
          const firedAt = s.firing.get(i);
          if (met && firedAt === undefined) {
            s.firing.set(i, tick);
            this.notify(p, group, w, 'firing', tick, m);
          } else if (!met && firedAt !== undefined) {
            s.firing.delete(i);
            this.notify(p, group, w, 'resolved', tick, m);
          }
        });
      }
    }
  }

  private notify(p: PreparedRule, group: string, w: BurnWindow, kind: 'firing' | 'resolved', at: number, m: { longBurn: number | null; shortBurn: number | null; budgetRemaining: number | null }): void {
    const { rule } = p;
    const who = rule.groupBy ? ` for ${rule.groupBy} ${groupValueText(group)}` : '';
    const x = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)}x`);
    const left = m.budgetRemaining === null ? '' : `, error budget remaining ${(m.budgetRemaining * 100).toFixed(1)} %`;
    const summary = `burn ${x(m.longBurn)} over ${fmtMs(w.longMs)} and ${x(m.shortBurn)} over ${fmtMs(w.shortMs)}${who} (alerting at ${w.factor}x of a ${pct(rule.objective)} objective)${left}`;
    this.notifications.push(this.notification(p, group, w, kind, at, summary, m.longBurn));
  }

  private notification(p: PreparedRule, group: string, w: BurnWindow, kind: 'firing' | 'resolved', at: number, summary: string, value: number | null): AlertNotification {
    const { rule } = p;
    const labels: Record<string, string> = { ...rule.labels, slo: rule.name, burn_window: `${fmtMs(w.longMs)}/${fmtMs(w.shortMs)}` };
    if (rule.groupBy) labels[rule.groupBy] = group;
    return {
      kind,
      rule: rule.name,
      severity: w.severity,
      labels,
      value,
      summary: `${kind === 'firing' ? 'FIRING' : 'RESOLVED'} ${rule.name}: ${summary}`,
      at,
      key: keyOf(rule, w, group),
      group: rule.groupBy ? `${rule.groupBy} ${groupValueText(group)}` : null,
      runbookUrl: null,
      description: burnDescription(rule, w),
      metric: BURN_RATE_METRIC,
    };
  }
}

/** The `description` annotation of a window pair's alert: what it judges, in words, then the rule's description. */
function burnDescription(rule: BurnRateRule, w: BurnWindow): string {
  const bad = rule.sli === 'approval' ? 'declined and failed' : 'failed';
  const per = rule.groupBy ? `, per ${rule.groupBy}` : '';
  const volume = rule.minVolume > 0 ? `, judged from ${rule.minVolume} attempts in the short window` : '';
  return `error budget of a ${pct(rule.objective)} ${rule.sli} objective per attempt (${bad} attempts spend it) burning at least ${w.factor}x over ${fmtMs(w.longMs)} and ${fmtMs(w.shortMs)}${per}${volume}. ${rule.description}`;
}

/** The alert a window pair of a rule raises for a group (AlertNotification.key). */
function keyOf(rule: BurnRateRule, w: BurnWindow, group: string): string {
  return `${rule.name}/${fmtMs(w.longMs)}/${fmtMs(w.shortMs)}/${group || '*'}`;
}

function fmtMs(ms: number): string {
  return ms % HOUR === 0 ? `${ms / HOUR}h` : `${ms / MINUTE}m`;
}

function pct(x: number): string {
  return `${Number((x * 100).toFixed(3))} %`;
}

/**
 * The segment an attempt counts in: '' without groupBy. An event without a merchant or country
 * counts under '' as before; one without a segment dimension (a bank transfer has no issuer or
 * acquirer) is in no segment of that rule (null), as the alert rules grouped by it treat it.
 */
function segmentOf(rule: BurnRateRule, e: AlertInputEvent): string | null {
  if (!rule.groupBy) return '';
  const value = groupValueOf(e, rule.groupBy);
  if (rule.groupBy === 'merchant' || rule.groupBy === 'country') return value ?? '';
  return value === undefined || value === null || value === '' ? null : value;
}
