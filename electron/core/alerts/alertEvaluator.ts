// Evaluates alert rules on a fixed cadence of EVENT time. Everything it decides is a
// function of the sequence of inputs (events, queue samples, advanceTo calls up to the
// watermark), never of wall-clock time or batch sizes, so a replay at any speed and in any
// chunking gives the same alerts as the live traffic did.
import { randomUUID } from 'node:crypto';
import { METRIC_INFO, type AlertRule } from '../../../shared/alertRules';
import { groupValueText, type AlertHistoryRecord, type AlertNotification, type AlertSilence, type AlertSilenceChange, type AlertState, type AlertView, type SilenceMatcher } from '../../../shared/alerts';
import type { QueueDepth } from '../../../shared/metrics';
import { AlertInstance } from './alertInstance';
import type { AlertHistorySink } from './alertHistoryStore';
import { EwmaBaseline } from './baseline';
import { WindowAggregate, type AlertInputEvent } from './eventCounters';
import { UNKNOWN_INDEX } from '../metrics/secondBuckets';
import { EventGroups, eventDimensionOf, type EventDimension, type GroupSeries, type HistogramNeeds } from './eventGroups';
import { readEventMetric, readQueueMetric, typeIndicesOf, type MetricReading } from './metricValues';
import { QueueSamples } from './queueSamples';
import { Judgement, SILENCE_HALF_LIFE_MS, isMoreExtreme, judge, type JudgeContext, type Outcome } from './ruleCondition';
import { ruleAnnotations } from './ruleAnnotations';
import { SilenceSet } from './silenceSet';
import { withHysteresis } from './hysteresis';
import { MAX_AHEAD_OF_WALL_CLOCK_MS, MAX_LATE_COUNTED_MS } from './wrongClock';

export interface AlertEvaluatorOptions {
  /** Evaluation cadence over event time (ms, a whole number of seconds). Default 10 s. */
  evaluationIntervalMs?: number;
  /**
   * A tick T is evaluated once the watermark reaches T + this, so events that arrive a little
   * out of order still count in their window. Default 3 s.
   */
  allowedLatenessMs?: number;
  /** Groups kept per dimension (merchant, country); the least recently seen go first. Default 1000. */
  maxGroupsPerDimension?: number;
  /** Resolved alerts kept for list(). Default 200. */
  maxResolvedKept?: number;
  /** Queues tracked. Default 256. */
  maxQueues?: number;
  /** Notifications kept until taken. Default 1000. */
  maxPendingNotifications?: number;
  /**
   * Ticks evaluated in one catch-up after a long gap; beyond it the middle of the gap is
   * skipped (every window is empty there, so nothing could change). Default 100 000.
   */
  maxCatchUpTicks?: number;
  /** Wall clock for operator actions (acknowledge, notes, silence creation). */
  now?: () => number;
  /**
   * A replay's silences are made, expired and read back on the evaluator's clock (event time),
   * like their end: on the wall clock their start would lie after every event they are meant
   * to hold, and a backtest of the replay's database (silencesInForce) would hold them nowhere.
   */
  silencesOnEventClock?: boolean;
  /**
   * The real clock, only to recognise a wrong one: an event time (or clock) more than
   * MAX_AHEAD_OF_WALL_CLOCK_MS past it is ignored. Default Date.now, also in replays and
   * backtests (a capture holds no event from the future). Tests of long gaps set it.
   */
  wallClock?: () => number;
}


interface RuleSlot {
  /** slotKey of its dimension and value ("merchant=m_1"); the rule's `slots` are keyed by the value alone. */
  group: string;
  groupText: string | null;
  labels: Record<string, string>;
  active: AlertInstance | null;
  baseline: EwmaBaseline | null;
  /** When this group's last alert ended (resolved or back to normal): its incident may still be in the window. */
  lastEndedAt: number | null;
}

interface PreparedRule {
  rule: AlertRule;
  /** What the rule groups by: an event dimension, 'queue' for a queue metric. */
  dimension: EventDimension | 'queue';
  types: number[] | null;
  typesMask: number;
  /** The queues a queue rule watches; null: every queue polled. */
  watchedQueues: ReadonlySet<string> | null;
  /** By group value (the merchant id, the queue name; '' for a whole-stream rule). */
  slots: Map<string, RuleSlot>;
  /**
   * An empty window can neither start an alert nor teach the baseline anything (the reading
   * is "no data", or its volume is below the rule's minimum): a group without events in the
   * window and without an active alert needs no evaluation. PaySim has thousands of merchants
   * that each pay once in a while; evaluating all of them every tick was most of a replay's CPU.
   */
  emptyIsQuiet: boolean;
  /** An event metric judged on volume (not no_data): a window too thin to judge is no evidence either way. */
  needsEvidence: boolean;
}

/**
 * The slot of a group seen but never judged (every window too thin): no alert, no baseline,
 * nothing learned. Shared and frozen: only a slot of its own is written to (evaluateSlot).
 */
const UNJUDGED_SLOT: RuleSlot = Object.freeze({ group: '', groupText: null, labels: Object.freeze({}), active: null, baseline: null, lastEndedAt: null }) as RuleSlot;

const STATE_ORDER: Record<AlertState, number> = { firing: 0, pending: 1, error: 2, nodata: 3, resolved: 4, normal: 5 };
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;
const SWEEP_EVERY_TICKS = 6;

/**
 * A reading that judge() finds unjudged and that can start no alert: no value where a missing
 * value is clear (grouped rules, noDataState normal), or a value whose volume is below the
 * rule's minimum (neither met nor learned from). Only for event metrics judged on volume.
 */
function tooThinToJudge(rule: AlertRule, reading: MetricReading): boolean {
  if (reading.error !== null) return false;
  if (reading.value === null) return rule.groupBy !== null || rule.noDataState === 'normal';
  return reading.volume < rule.minVolume;
}

/** The group value of a stored group key for a rule grouped by `dimension`; null when the key is not of that dimension. */
function groupValueOf(dimension: EventDimension | 'queue', group: string): string | null {
  if (dimension === 'all') return group === '' ? '' : null;
  const prefix = `${dimension}=`;
  return group.startsWith(prefix) ? group.slice(prefix.length) : null;
}

/** A rule's slot of one group: "merchant=m_1", "queue=payments"; '' for a whole-stream rule (alert keys and labels). */
function slotKey(dimension: EventDimension | 'queue', value: string): string {
  return dimension === 'all' ? '' : `${dimension}=${value}`;
}
const FLUSH_RETRY_MS = 5000;
/**
 * How long a firing alert of an event rule keeps firing while its windows hold too little to
 * judge (no attempts, or fewer than minVolume): a broker outage or a quiet night is no evidence
 * that the incident ended, and resolving in the gap paged again when traffic came back with the
 * incident still on. Past this without evidence it counts as clear (keepFiringFor then applies
 * from the start of the gap), so an alert whose traffic never comes back does not fire forever.
 */
export const NO_EVIDENCE_HOLD_MS = 10 * 60_000;
/**
 * Prometheus's `for` state restore (--rules.alert.for-outage-tolerance, --rules.alert.for-grace-period):
 * a pending alert left longer ago than the tolerance is not carried over a restart, and one
 * carried on waits at least the grace period before it fires (its `for` shorter than that starts again).
 */
export const FOR_OUTAGE_TOLERANCE_MS = 3_600_000;
export const FOR_GRACE_PERIOD_MS = 10 * 60_000;

/**
 * When a pending alert carried over a restart counts as pending from, as Prometheus restores
 * its `for` state: the time pending before the restart counts, the time down (`downAt` to
 * `now`) does not, at least the grace period is left, and a `for` shorter than the grace
 * period starts again. Null: down longer than the outage tolerance, not carried on.
 */
export function restoredPendingSince(pendingSince: number, forMs: number, downAt: number, now: number): number | null {
  if (now - downAt > FOR_OUTAGE_TOLERANCE_MS) return null;
  if (forMs < FOR_GRACE_PERIOD_MS) return now;
  const remaining = forMs - (downAt - pendingSince);
  if (remaining <= 0) return pendingSince;
  if (remaining < FOR_GRACE_PERIOD_MS) return now + FOR_GRACE_PERIOD_MS - forMs;
  return pendingSince + (now - downAt);
}

/** The windows of one series summed in one evaluation, by window length. */
interface SummedWindows {
  /** The evaluation (its ordinal, `ticks`) they were summed in: their aggregates are that evaluation's pool's. */
  evaluation: number;
  /** How many of `windows` and `aggregates` belong to `evaluation`. */
  count: number;
  windows: number[];
  aggregates: WindowAggregate[];
}
// Every known payment and risk type (not "unknown"): what no_data watches by default.
const ALL_KNOWN_MASK = (1 << UNKNOWN_INDEX) - 1;

export class AlertEvaluator {
  readonly rules: readonly AlertRule[];
  private readonly prepared: PreparedRule[];
  private readonly intervalMs: number;
  private readonly latenessMs: number;
  private readonly maxResolved: number;
  private readonly maxNotifications: number;
  private readonly maxCatchUp: number;
  private readonly now: () => number;
  private readonly silencesOnEventClock: boolean;
  private readonly wallClock: () => number;
  private futureEventsIgnored = 0;
  private readonly events: EventGroups;
  private readonly queues: QueueSamples;
  private readonly silences = new SilenceSet();
  private readonly byKey = new Map<string, AlertInstance>();
  private readonly resolved: AlertInstance[] = [];
  private notifications: AlertNotification[] = [];
  /** Silences that began or ended on alerts receivers were told fire (see AlertSilenceChange). */
  private silenceChanges: AlertSilenceChange[] = [];
  private readonly dirty = new Set<AlertInstance>();
  /** After the store refused a save, the next try is not before this (wall time). */
  private flushRetryAt = 0;
  private watermark: number | null = null;
  private nextTick: number | null = null;
  private lastTick: number | null = null;
  private ticks = 0;
  /** Window aggregates reused from tick to tick (see evaluate), and how many this tick has taken. */
  private readonly aggregatePool: WindowAggregate[] = [];
  private pooled = 0;
  /** Per series, the windows summed in the evaluation under way (several rules read the same ones). */
  private readonly summed = new WeakMap<GroupSeries, SummedWindows>();
  // One reading, judgement, judge context and set of seen queues, reused by every judgement:
  // a tick judges every group of every rule, and a replay of a month makes ~250,000 ticks.
  private readonly reading: MetricReading = { value: null, volume: 0, error: null };
  private readonly judgement = new Judgement();
  private readonly judgeContext: JudgeContext = { groupText: null, trafficSeen: false, baseline: null, stepMs: 0, protectBaseline: false, firedAgainst: null };
  private readonly seenQueues = new Set<string>();
  private skippedTicks = 0;
  private droppedNotifications = 0;
  /** Whether some active alert was silenced at the last refresh (to unsilence it when silences go). */
  private anySilenced = false;

  constructor(
    rules: readonly AlertRule[],
    private readonly store: AlertHistorySink | null,
    options: AlertEvaluatorOptions = {},
  ) {
    this.intervalMs = options.evaluationIntervalMs ?? 10_000;
    if (!Number.isInteger(this.intervalMs / 1000) || this.intervalMs < 1000) throw new Error('evaluationIntervalMs must be a whole number of seconds (>= 1000)');
    this.latenessMs = Math.max(0, options.allowedLatenessMs ?? 3000);
    this.maxResolved = options.maxResolvedKept ?? 200;
    this.maxNotifications = options.maxPendingNotifications ?? 1000;
    this.maxCatchUp = Math.max(2, options.maxCatchUpTicks ?? 100_000);
    this.now = options.now ?? Date.now;
    this.silencesOnEventClock = options.silencesOnEventClock ?? false;
    this.wallClock = options.wallClock ?? Date.now;
    this.rules = rules.filter((r) => r.enabled);
    this.prepared = this.rules.map((rule) => {
      const types = typeIndicesOf(rule);
      const typesMask = types === null ? ALL_KNOWN_MASK : types.reduce((m, i) => m | (1 << i), 0);
      const empty = METRIC_INFO[rule.metric].source === 'events' ? readEventMetric(rule, new WindowAggregate(), rule.windowMs / 1000, types) : null;
      const emptyIsQuiet = empty !== null && rule.metric !== 'no_data' && empty.error === null && (empty.value === null || rule.minVolume > 0);
      const dimension = METRIC_INFO[rule.metric].source === 'queues' ? 'queue' : eventDimensionOf(rule.groupBy);
      const watchedQueues = rule.queues ? new Set(rule.queues) : null;
      const needsEvidence = METRIC_INFO[rule.metric].source === 'events' && rule.metric !== 'no_data';
      return { rule, dimension, types, typesMask, watchedQueues, slots: new Map(), emptyIsQuiet, needsEvidence };
    });

    const eventRules = this.rules.filter((r) => METRIC_INFO[r.metric].source === 'events');
    const queueRules = this.rules.filter((r) => METRIC_INFO[r.metric].source === 'queues');
    const dimensions = new Map<EventDimension, HistogramNeeds>([['all', { scores: false, lags: false }]]);
    for (const r of eventRules) {
      const d: EventDimension = eventDimensionOf(r.groupBy);
      const needs = dimensions.get(d) ?? { scores: false, lags: false };
      needs.scores ||= r.metric === 'risk_score_p95';
      needs.lags ||= r.metric === 'arrival_lag_p95';
      dimensions.set(d, needs);
    }
    // Each dimension's ring must still hold the oldest second of its oldest window not yet
    // evaluated; per dimension, so an hour-long whole-stream rule does not give every merchant an hour.
    const ringSeconds = new Map<EventDimension, number>();
    for (const d of dimensions.keys()) {
      const longest = Math.max(1000, ...eventRules.filter((r) => eventDimensionOf(r.groupBy) === d).map((r) => r.windowMs));
      ringSeconds.set(d, Math.ceil((longest + this.latenessMs + this.intervalMs) / 1000) + 2);
    }
    this.events = new EventGroups(dimensions, ringSeconds, options.maxGroupsPerDimension ?? 1000, (d, g) => this.groupIsActive(d, g));
    const longestQueueWindow = Math.max(1000, ...queueRules.map((r) => r.windowMs));
    this.queues = new QueueSamples(longestQueueWindow + this.latenessMs + this.intervalMs, options.maxQueues ?? 256);

    // On event time the clock is not known yet: every stored silence is read, and holds only
    // where its end and expiry say (SilenceSet.isActive).
    for (const s of store?.listSilences(this.silencesOnEventClock ? undefined : this.now()) ?? []) {
      try {
        this.silences.add(s);
      } catch {
        // A silence row that no longer validates (edited by hand) is skipped, not fatal.
      }
    }
  }

  /** When a silence is made or expired: event time in a replay (before any event, the wall clock). */
  private silenceNow(): number {
    return this.silencesOnEventClock ? (this.watermark ?? this.now()) : this.now();
  }

  /** The evaluator's "now": the latest event time (or advanceTo time) seen; null before any. */
  get clock(): number | null {
    return this.watermark;
  }

  /** The last evaluation tick run (event time, ms). */
  get lastEvaluatedAt(): number | null {
    return this.lastTick;
  }

  stats() {
    return {
      ticks: this.ticks,
      skippedTicks: this.skippedTicks,
      lateEventsDropped: this.events.lateDropped,
      futureEventsIgnored: this.futureEventsIgnored,
      groupsEvicted: this.events.groupsEvicted,
      queueSamplesDropped: this.queues.dropped,
      notificationsDropped: this.droppedNotifications,
    };
  }

  /**
   * Counts events into their per-second buckets, in the order given. Ticks that the events
   * carry the watermark past are evaluated as they are passed, so how the stream is cut into
   * batches does not matter. Events without an event time are ignored, and so are events
   * stamped more than MAX_AHEAD_OF_WALL_CLOCK_MS past the wall clock (counted in stats()).
   */
  observeEvents(events: readonly AlertInputEvent[]): void {
    const latest = this.latestPlausibleTime();
    for (const e of events) {
      const t = e.timeMs;
      if (typeof t !== 'number' || !Number.isFinite(t)) continue;
      if (t > latest) {
        this.futureEventsIgnored++;
        continue;
      }
      this.moveClock(t);
      this.events.add(e, this.countedSecond(t));
    }
    this.flush();
  }

  /**
   * The second an event at `t` is counted in. An event whose second a tick has already judged
   * (a producer whose clock is behind the others', or that the newest clock runs ahead of; a
   * batch delivered late) is counted in the oldest second no tick has judged yet, as of its
   * arrival: at its own second it would be in no window judged from now on once it is further
   * behind than the rule's window, and the incident it holds would never be seen. Further
   * behind than MAX_LATE_COUNTED_MS it is an old batch, not this minute's traffic: it is
   * dropped (and counted in stats) as before.
   */
  private countedSecond(t: number): number {
    const second = Math.floor(t / 1000);
    if (this.lastTick === null) return second;
    const open = this.lastTick / 1000;
    return second < open && this.lastTick - t <= MAX_LATE_COUNTED_MS ? open : second;
  }

  /** Records one poll of queue depths, taken at `atMs` on the evaluator's clock. */
  observeQueues(depths: readonly QueueDepth[], atMs: number): void {
    if (!Number.isFinite(atMs) || atMs > this.latestPlausibleTime()) return;
    this.moveClock(atMs);
    this.queues.add(depths, atMs);
    this.flush();
  }

  /**
   * Queue samples stored before this evaluator started (a live session restarted on its
   * database): they fill the queue rules' windows without moving the clock, so the first tick
   * judges the queues as they were polled, not as "no data", and ticks before it are not run.
   */
  seedQueues(depths: readonly QueueDepth[], atMs: number): void {
    if (!Number.isFinite(atMs) || atMs > this.latestPlausibleTime()) return;
    this.queues.add(depths, atMs);
  }

  /**
   * Moves the clock to `timeMs` (never back) and runs every evaluation tick due. Live, call it
   * with wall time about once a second so "no data" fires when nothing arrives; in a replay,
   * call it with the replay clock. Returns (and clears) the notifications raised so far.
   */
  advanceTo(timeMs: number): AlertNotification[] {
    // A replay's clock is its newest event time: a wrong one is not followed (see observeEvents).
    if (Number.isFinite(timeMs) && timeMs <= this.latestPlausibleTime()) this.moveClock(timeMs);
    this.flush();
    return this.takeNotifications();
  }

  /** End of input (a finished replay or backtest): evaluates the ticks the lateness allowance held back. */
  finish(): AlertNotification[] {
    if (this.watermark !== null) this.runTicks(this.watermark);
    this.flush(true);
    return this.takeNotifications();
  }

  takeNotifications(): AlertNotification[] {
    const out = this.notifications;
    this.notifications = [];
    return out;
  }

  /** What changed in the silencing of announced alerts since the last call (for the router). */
  takeSilenceChanges(): AlertSilenceChange[] {
    const out = this.silenceChanges;
    this.silenceChanges = [];
    return out;
  }

  /** Active alerts (firing first), then recently resolved ones. */
  list(options: { includeResolved?: boolean; limit?: number } = {}): AlertView[] {
    const active: AlertInstance[] = [];
    for (const p of this.prepared) for (const slot of p.slots.values()) if (slot.active) active.push(slot.active);
    const all = options.includeResolved === false ? active : [...active, ...this.resolved];
    all.sort(
      (a, b) =>
        STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
        SEVERITY_ORDER[a.rule.severity] - SEVERITY_ORDER[b.rule.severity] ||
        b.activeSince - a.activeSince ||
        (a.key < b.key ? -1 : 1),
    );
    return all.slice(0, options.limit ?? all.length).map((i) => i.view());
  }

  /** Marks an alert as seen by an operator. False when the key is unknown (here and in the store). */
  acknowledge(key: string, by: string, note: string): boolean {
    const at = this.now();
    const instance = this.byKey.get(key);
    if (instance) {
      instance.acknowledged = { by, note, at };
      this.dirty.add(instance);
      this.flush();
      return true;
    }
    return this.store?.acknowledge(key, by, note, at) ?? false;
  }

  /** A note on how an alert was resolved (a postmortem line); any instance, live or in history. */
  addResolveNote(key: string, by: string, note: string): boolean {
    const at = this.now();
    const instance = this.byKey.get(key);
    if (instance) {
      instance.resolveNote = { by, note, at };
      this.dirty.add(instance);
      this.flush();
      return true;
    }
    return this.store?.addResolveNote(key, by, note, at) ?? false;
  }

  /**
   * Mutes notifications for alerts whose labels match every matcher until `untilMs` (on the
   * evaluator's clock). Matchers may also name `alertname` (the rule) and `severity`.
   * Silenced alerts keep evaluating and show as silenced. Throws on invalid matchers.
   */
  silence(matchers: SilenceMatcher[], untilMs: number, comment: string, createdBy = 'operator'): AlertSilence {
    const s: AlertSilence = {
      id: randomUUID(),
      matchers: matchers.map((m) => ({ label: m.label, op: m.op, value: m.value })),
      endsAt: untilMs,
      comment,
      createdBy,
      createdAt: this.silenceNow(),
      expiredAt: null,
    };
    this.silences.add(s);
    this.store?.saveSilence(s);
    if (this.watermark !== null) this.refreshSilenced(this.watermark);
    this.flush();
    return { ...s };
  }

  expireSilence(id: string): boolean {
    const s = this.silences.expire(id, this.silenceNow());
    if (!s) return false;
    this.store?.saveSilence(s);
    if (this.watermark !== null) this.refreshSilenced(this.watermark);
    this.flush();
    return true;
  }

  /**
   * Whether receivers may have been told the alert `key` fires: it was announced firing, or it
   * was carried over a restart firing and silenced (AlertInstance.carriedSilenced). Such an
   * alert is announced resolved when it ends, silenced or not; null when there is no such alert.
   */
  announcement(key: string): { notifiedFiring: boolean; carriedSilenced: boolean } | null {
    const inst = this.byKey.get(key);
    return inst ? { notifiedFiring: inst.notifiedFiring, carriedSilenced: inst.carriedSilenced } : null;
  }

  /**
   * A rules reload: the firing alert `key` carries on one the old evaluator had announced (same
   * rule and group), so it is announced as that one was: its resolve is announced, silenced or
   * not, and its silence ending pages nobody again.
   */
  inheritAnnouncement(key: string, from: { notifiedFiring: boolean; carriedSilenced: boolean }): void {
    const inst = this.byKey.get(key);
    if (!inst || inst.state !== 'firing') return;
    inst.notifiedFiring ||= from.notifiedFiring;
    inst.carriedSilenced ||= from.carriedSilenced;
  }

  listSilences(): AlertSilence[] {
    return this.silences.list().map((s) => ({ ...s, matchers: s.matchers.map((m) => ({ ...m })) }));
  }

  /**
   * Carries on the alerts a previous engine left open on this database (a restart, a crash):
   * each becomes the active instance of its rule and group again, under its key, with its
   * history, so an incident that outlives a restart stays one alert: no "resolved" for the
   * restart and no second page (Prometheus restores its alerts' `for` state the same way).
   * From the next tick on it is judged as usual, so an alert whose condition no longer holds
   * resolves (and says so). Returns the keys carried on; records of rules no longer loaded
   * (or of a group this rule does not have) are left to the caller. Call before any input.
   * `restart`: the wall time now and when the previous engine was last seen alive; with it a
   * pending alert's `for` is restored as Prometheus does (restoredPendingSince), without it
   * (a rules reload, nothing was down) it counts from when it became pending.
   */
  restore(records: readonly AlertHistoryRecord[], restart?: { now: number; downAt: number }): Set<string> {
    const restored = new Set<string>();
    for (const r of records) {
      const p = this.prepared.find((x) => x.rule.name === r.rule);
      if (!p || r.resolvedAt !== null || r.endedAt !== null) continue;
      const value = groupValueOf(p.dimension, r.group);
      if (value === null || p.slots.get(value)?.active) continue;
      const since = r.state === 'pending' ? ([...r.transitions].reverse().find((t) => t.state === 'pending')?.at ?? r.activeSince) : null;
      const pendingSince = since !== null && restart ? restoredPendingSince(since, p.rule.forMs, restart.downAt, restart.now) : since;
      if (since !== null && pendingSince === null) continue;
      const inst = new AlertInstance(r.key, p.rule, r.group, p.dimension === 'all' ? null : `${p.dimension} ${value}`, { ...r.labels }, r.activeSince, r.transitions[0]?.state ?? r.state);
      inst.transitions.splice(0, inst.transitions.length, ...r.transitions.map((t) => ({ ...t })));
      inst.state = r.state;
      inst.pendingSince = pendingSince;
      if (since !== null && restart) inst.awaitingEvidenceSince = restart.now;
      inst.firedAt = r.firedAt;
      // A firing alert was announced (or, silenced, is announced when its silence ends).
      inst.notifiedFiring = r.firedAt !== null && !r.silenced;
      inst.carriedSilenced = r.firedAt !== null && r.silenced;
      inst.silenced = r.silenced;
      inst.value = r.value;
      inst.peakValue = r.peakValue;
      inst.summary = r.summary;
      inst.acknowledged = r.acknowledged ? { ...r.acknowledged } : null;
      inst.resolveNote = r.resolveNote ? { ...r.resolveNote } : null;
      p.slots.set(value, {
        group: r.group,
        groupText: inst.groupText,
        labels: { ...r.labels },
        active: inst,
        baseline: this.newBaseline(p.rule),
        lastEndedAt: null,
      });
      this.byKey.set(inst.key, inst);
      this.anySilenced ||= inst.silenced;
      restored.add(r.key);
    }
    return restored;
  }

  // --- clock and ticks ---

  /** Past this, a time comes from a wrong clock (see MAX_AHEAD_OF_WALL_CLOCK_MS). */
  private latestPlausibleTime(): number {
    return this.wallClock() + MAX_AHEAD_OF_WALL_CLOCK_MS;
  }

  private moveClock(t: number): void {
    if (this.watermark === null) {
      this.watermark = t;
      this.nextTick = Math.floor(t / this.intervalMs) * this.intervalMs + this.intervalMs;
    }
    if (t > this.watermark) this.watermark = t;
    this.runTicks(this.watermark - this.latenessMs);
  }

  /** Evaluates every tick <= `limit` not yet evaluated. */
  private runTicks(limit: number): void {
    if (this.nextTick === null) return;
    let due = Math.floor((limit - this.nextTick) / this.intervalMs) + 1;
    let skipAt = due > this.maxCatchUp ? Math.floor(this.maxCatchUp / 2) : -1;
    while (due > 0) {
      if (skipAt === 0) {
        // Long gap: jump to the last half of the allowance (see maxCatchUpTicks).
        const skip = due - Math.ceil(this.maxCatchUp / 2);
        this.nextTick += skip * this.intervalMs;
        this.skippedTicks += skip;
        due -= skip;
      }
      skipAt--;
      this.evaluate(this.nextTick);
      this.nextTick += this.intervalMs;
      due--;
    }
  }

  private evaluate(tick: number): void {
    this.ticks++;
    this.lastTick = tick;
    const toSecond = tick / 1000;
    // Aggregates live for this tick only (readings copy numbers out of them), so they are
    // taken from a pool and reused at the next tick.
    this.pooled = 0;

    for (const p of this.prepared) {
      const { rule, dimension } = p;
      const windowSeconds = rule.windowMs / 1000;
      if (dimension === 'queue') {
        if (p.slots.size === 0 && this.queues.size === 0) continue;
        const queues = this.queues.queues();
        const seen = this.seenQueues;
        seen.clear();
        for (const queue of queues) {
          if (p.watchedQueues && !p.watchedQueues.has(queue)) continue;
          seen.add(queue);
          const reading = readQueueMetric(rule, this.queues.window(queue, tick - rule.windowMs, tick), rule.windowMs);
          this.evaluateSlot(p, queue, reading, false, tick);
        }
        // A queue that stopped being polled has no reading: its alert can resolve.
        for (const [queue, slot] of p.slots) {
          if (seen.has(queue)) continue;
          if (slot.active) this.evaluateSlot(p, queue, { value: null, volume: 0, error: null }, false, tick);
          else p.slots.delete(queue);
        }
        continue;
      }
      if (dimension === 'all') {
        this.readGroup(p, windowSeconds, toSecond, tick, '', this.events.get('all', ''));
        continue;
      }
      const groups = this.events.groups(dimension);
      const windowFrom = toSecond - windowSeconds;
      // By key, then get: for-of over the entries made a [key, value] pair per group per tick.
      for (const value of groups.keys()) {
        const series = groups.get(value)!;
        if (p.emptyIsQuiet && series.lastSecond < windowFrom && !p.slots.get(value)?.active) continue;
        this.readGroup(p, windowSeconds, toSecond, tick, value, series);
      }
      for (const value of p.slots.keys()) {
        if (groups.has(value)) continue;
        if (p.slots.get(value)!.active) this.readGroup(p, windowSeconds, toSecond, tick, value, undefined);
        else p.slots.delete(value);
      }
    }

    this.refreshSilenced(tick);
    if (this.ticks % SWEEP_EVERY_TICKS === 0) this.sweep(tick);
  }

  private readGroup(p: PreparedRule, windowSeconds: number, toSecond: number, tick: number, value: string, series: GroupSeries | undefined): void {
    const covered = series ? Math.min(windowSeconds, Math.max(1, toSecond - series.firstSecond)) : windowSeconds;
    const reading = readEventMetric(p.rule, this.aggregateOf(series, windowSeconds, toSecond), covered, p.types, this.reading);
    const trafficSeen = series !== undefined && (series.typesSeen & p.typesMask) !== 0;
    this.evaluateSlot(p, value, reading, trafficSeen, tick);
  }

  /** The sum of `series`'s last `windowSeconds` up to `toSecond`, once per tick whatever the rules reading it. */
  private aggregateOf(series: GroupSeries | undefined, windowSeconds: number, toSecond: number): WindowAggregate {
    if (!series) return this.fromPool().reset();
    const evaluation = this.ticks;
    let memo = this.summed.get(series);
    if (!memo) this.summed.set(series, (memo = { evaluation, count: 0, windows: [], aggregates: [] }));
    else if (memo.evaluation !== evaluation) {
      // Counted, not emptied: an emptied array gives up its storage and the next push allocates it again.
      memo.evaluation = evaluation;
      memo.count = 0;
    }
    for (let i = 0; i < memo.count; i++) if (memo.windows[i] === windowSeconds) return memo.aggregates[i];
    const agg = series.window(toSecond - windowSeconds, toSecond, this.fromPool());
    memo.windows[memo.count] = windowSeconds;
    memo.aggregates[memo.count] = agg;
    memo.count++;
    return agg;
  }

  /** The next pooled aggregate, not emptied: GroupSeries.window empties the one it fills. */
  private fromPool(): WindowAggregate {
    return (this.aggregatePool[this.pooled++] ??= new WindowAggregate());
  }

  private evaluateSlot(p: PreparedRule, value: string, reading: MetricReading, trafficSeen: boolean, tick: number): void {
    const { rule, dimension } = p;
    let slot = p.slots.get(value);
    // Most of PaySim's merchants hold a few events in their window, too few to judge: such a
    // judgement is 'clear' (or 'no data', clear for a group) and unjudged, teaches the baseline
    // nothing, and without an alert active changes nothing. The group still takes its place in
    // the slots (they keep the order they were first seen in), held by UNJUDGED_SLOT until it is
    // first judged: a slot of its own (its labels, group text and baseline) for every merchant
    // that came back after being swept was most of what a PaySim replay's ticks allocated.
    if ((slot === undefined || slot.active === null) && p.needsEvidence && tooThinToJudge(rule, reading)) {
      if (slot === undefined) p.slots.set(value, UNJUDGED_SLOT);
      return;
    }
    if (slot === undefined || slot === UNJUDGED_SLOT) {
      slot = {
        group: slotKey(dimension, value),
        groupText: dimension === 'all' ? null : `${dimension} ${groupValueText(value)}`,
        labels: dimension === 'all' ? { ...rule.labels } : { ...rule.labels, [dimension]: value },
        active: null,
        baseline: this.newBaseline(rule),
        lastEndedAt: null,
      };
      // Set over the placeholder, the group keeps its place.
      p.slots.set(value, slot);
    }
    const ctx = this.judgeContext;
    ctx.groupText = slot.groupText;
    ctx.trafficSeen = trafficSeen;
    ctx.baseline = slot.baseline;
    ctx.stepMs = this.intervalMs;
    ctx.protectBaseline = slot.active !== null || (slot.lastEndedAt !== null && tick - slot.lastEndedAt < rule.windowMs);
    ctx.firedAgainst = slot.active?.state === 'firing' ? slot.active.firedAgainst : null;
    const j = judge(rule, reading, ctx, this.judgement);
    let outcome: Outcome = j.outcome;
    if (outcome === 'nodata') {
      // Grouped rules: a quiet group is simply not alerting (else every idle merchant would show "no data").
      if (rule.groupBy !== null || rule.noDataState === 'normal') outcome = 'clear';
      else if (rule.noDataState === 'alerting') outcome = 'met';
    }
    // Nothing (or too little) to judge: a gap in traffic, not a recovery.
    const unjudged = p.needsEvidence && (j.outcome === 'nodata' || j.lowVolume);
    if (!unjudged) outcome = withHysteresis(rule, slot.active?.state === 'firing', outcome, j);
    this.step(p, slot, outcome, j, tick, unjudged);
  }

  private newBaseline(rule: AlertRule): EwmaBaseline | null {
    const c = rule.condition;
    if (c?.kind === 'baseline') return new EwmaBaseline(c.halfLifeMs, c.prior && { ...c.prior, weightMs: c.warmupMs }, this.intervalMs);
    // no_data learns how many events a window usually holds, to tell a stop from a sparse stream.
    if (rule.metric === 'no_data') return new EwmaBaseline(SILENCE_HALF_LIFE_MS);
    return null;
  }

  /** The state machine: normal -> pending -> firing -> resolved, with nodata and error beside it. */
  /** `j`: the judgement `outcome` came from (its value, volume and summary). */
  /** `unjudged`: the window held too little to judge (see NO_EVIDENCE_HOLD_MS). */
  private step(p: PreparedRule, slot: RuleSlot, outcome: Outcome, j: Judgement, tick: number, unjudged: boolean): void {
    const { rule } = p;
    const { value, lowVolume } = j;
    let inst = slot.active;
    if (!inst) {
      if (outcome === 'clear') return;
      const first: AlertState = outcome === 'met' ? (rule.forMs === 0 ? 'firing' : 'pending') : outcome;
      inst = new AlertInstance(`${rule.name}/${slot.group || '*'}/${tick}`, rule, slot.group, slot.groupText, slot.labels, tick, first);
      slot.active = inst;
      this.byKey.set(inst.key, inst);
      if (first === 'pending') inst.pendingSince = tick;
      inst.silenced = this.silences.size > 0 && this.silences.matching(inst.matchLabels(), tick).length > 0;
      this.anySilenced ||= inst.silenced;
      inst.value = value;
      inst.setSummaryFrom(j.keepSummary());
      if (first === 'firing') this.fire(inst, tick, j);
      this.updatePeak(inst, slot);
      this.dirty.add(inst);
      return;
    }

    // The latest reading is recorded first, so a notification carries this tick's value. A
    // firing alert keeps the evidence it fired on while the volume is too low to judge: its
    // summary must not say "below the minimum" beside "firing".
    if (!((lowVolume || unjudged) && (inst.state === 'firing' || inst.awaitingEvidenceSince !== null))) {
      inst.value = value;
      inst.setSummaryFrom(j.keepSummary());
    }
    this.dirty.add(inst);
    switch (inst.state) {
      case 'pending':
        // Carried over a restart: its windows start empty, which is no evidence it ended.
        if (inst.awaitingEvidenceSince !== null) {
          if (unjudged && tick - inst.awaitingEvidenceSince < NO_EVIDENCE_HOLD_MS) break;
          inst.awaitingEvidenceSince = null;
        }
        if (outcome === 'met') {
          if (tick - inst.pendingSince! >= rule.forMs) {
            inst.moveTo('firing', tick);
            this.fire(inst, tick, j);
          }
        } else if (outcome === 'clear') this.end(slot, inst, tick);
        else inst.moveTo(outcome, tick);
        break;
      case 'firing':
        if (outcome === 'met') {
          inst.clearSince = null;
          inst.unjudgedSince = null;
        } else if (outcome === 'clear' || outcome === 'nodata') {
          if (unjudged && inst.clearSince === null) {
            // No evidence of recovery (a broker outage, a night's lull): keep firing, as
            // Grafana's "keep last state", for a while; then it counts as clear from its start.
            inst.unjudgedSince ??= tick;
            if (tick - inst.unjudgedSince < NO_EVIDENCE_HOLD_MS) break;
            inst.clearSince = inst.unjudgedSince;
            // It resolves for want of traffic: its summary says so, not the evidence it fired on.
            inst.setSummaryFrom(j.keepSummary());
          }
          if (!unjudged) inst.unjudgedSince = null;
          inst.clearSince ??= tick;
          if (tick - inst.clearSince >= rule.keepFiringForMs) this.resolve(slot, inst, tick);
        }
        // An error while firing keeps the alert firing: a failed poll is no evidence of recovery.
        break;
      default: // nodata, error
        if (outcome === 'met') {
          if (rule.forMs === 0) {
            inst.moveTo('firing', tick);
            this.fire(inst, tick, j);
          } else {
            inst.pendingSince = tick;
            inst.moveTo('pending', tick);
          }
        } else if (outcome === 'clear') this.end(slot, inst, tick);
        else inst.moveTo(outcome, tick);
    }
    this.updatePeak(inst, slot);
  }

  /** peakValue: the worst value while pending or firing, "worst" in the rule's direction. */
  private updatePeak(inst: AlertInstance, slot: RuleSlot): void {
    const v = inst.value;
    if (v === null || (inst.state !== 'pending' && inst.state !== 'firing')) return;
    if (inst.peakValue === null || isMoreExtreme(inst.rule, v, inst.peakValue, slot.baseline?.mean ?? null)) inst.peakValue = v;
  }

  private fire(inst: AlertInstance, tick: number, j: Judgement): void {
    inst.firedAt = tick;
    // A baseline alert recovers against the level it fired on, not the mean as it drifts (ruleCondition.ts).
    inst.firedAgainst = j.level.band > 0 ? { ...j.level } : null;
    inst.clearSince = null;
    inst.unjudgedSince = null;
    if (!inst.silenced) this.notify(inst, 'firing', tick);
    // Held by a silence: announced to no one, but the router reports what the silence held back.
    else this.silenceChanged(inst, true, tick);
  }

  private resolve(slot: RuleSlot, inst: AlertInstance, tick: number): void {
    inst.moveTo('resolved', tick);
    inst.resolvedAt = tick;
    slot.active = null;
    slot.lastEndedAt = tick;
    this.dirty.add(inst);
    // Announced firing: announced resolved, silenced since or not. The router does not see
    // silences; without this it would keep the alert firing and page it every repeatInterval.
    // (Alertmanager mutes it instead, alertmanager#226; a receiver never told hears nothing here
    // either: the router sends a resolve only where it delivered the firing.)
    if (inst.notifiedFiring || inst.carriedSilenced) this.notify(inst, 'resolved', tick);
    // Fired while silenced, announced to no one: the router held it as an inhibition source
    // (as Alertmanager does); its silence no longer holds anything.
    else if (inst.silenced) this.silenceChanged(inst, false, tick);
    this.resolved.unshift(inst);
    while (this.resolved.length > this.maxResolved) this.byKey.delete(this.resolved.pop()!.key);
  }

  /** An episode that never fired is over: back to normal, kept only in history. */
  private end(slot: RuleSlot, inst: AlertInstance, tick: number): void {
    inst.moveTo('normal', tick);
    inst.endedAt = tick;
    slot.active = null;
    slot.lastEndedAt = tick;
    this.dirty.add(inst);
    this.byKey.delete(inst.key);
  }

  private notify(inst: AlertInstance, kind: 'firing' | 'resolved', at: number): void {
    if (kind === 'firing') inst.notifiedFiring = true;
    this.droppedNotifications += boundBacklog(this.notifications, this.maxNotifications, at);
    this.notifications.push({
      kind,
      rule: inst.rule.name,
      severity: inst.rule.severity,
      labels: { ...inst.labels },
      value: inst.value,
      summary: `${kind === 'firing' ? 'FIRING' : 'RESOLVED'} ${inst.rule.name}: ${inst.summary}`,
      at,
      key: inst.key,
      group: inst.groupText,
      runbookUrl: ruleAnnotations(inst.rule).runbookUrl,
      description: ruleAnnotations(inst.rule).description,
      metric: inst.rule.metric,
    });
  }

  private silenceChanged(inst: AlertInstance, silenced: boolean, at: number): void {
    this.droppedNotifications += boundBacklog(this.silenceChanges, this.maxNotifications, at);
    this.silenceChanges.push({ kind: silenced ? 'silenced' : 'unsilenced', rule: inst.rule.name, severity: inst.rule.severity, labels: { ...inst.labels }, key: inst.key, at, summary: `FIRING ${inst.rule.name}: ${inst.summary}` });
  }

  private refreshSilenced(at: number): void {
    if (this.silences.size === 0 && !this.anySilenced) return;
    this.anySilenced = false;
    for (const p of this.prepared) {
      for (const slot of p.slots.values()) {
        const inst = slot.active;
        if (!inst) continue;
        const silenced = this.silences.matching(inst.matchLabels(), at).length > 0;
        this.anySilenced ||= silenced;
        if (silenced === inst.silenced) continue;
        inst.silenced = silenced;
        this.dirty.add(inst);
        // Receivers told it fires stop hearing it again while it is silenced, and hear it again
        // after; a firing alert never announced is announced when its silence ends, as
        // Alertmanager would.
        if (inst.state === 'firing' && inst.notifiedFiring) this.silenceChanged(inst, silenced, at);
        else if (!silenced && inst.state === 'firing') this.notify(inst, 'firing', at);
        if (!silenced) inst.carriedSilenced = false;
      }
    }
  }

  private groupIsActive(dimension: EventDimension, group: string): boolean {
    return this.prepared.some((p) => p.dimension === dimension && p.slots.get(group)?.active);
  }

  private sweep(tick: number): void {
    // Only grouped dimensions are swept: their longest window decides (an hour-long
    // whole-stream rule must not keep every merchant for an hour).
    const grouped = this.prepared.filter((p) => eventDimensionOf(p.rule.groupBy) !== 'all');
    const oldestNeeded = Math.floor((tick - this.latenessMs) / 1000) - Math.max(...grouped.map((p) => p.rule.windowMs / 1000), 1);
    this.events.sweep(oldestNeeded);
    this.queues.sweep(tick, (queue) => this.prepared.some((p) => p.dimension === 'queue' && p.slots.get(queue)?.active));
    this.silences.sweep(tick, 24 * 3600_000);
  }

  /** `force`: the last save of a run, tried even while backing off. */
  private flush(force = false): void {
    if (this.dirty.size === 0) return;
    if (!this.store) {
      this.dirty.clear();
      return;
    }
    if (!force && this.now() < this.flushRetryAt) return;
    const instances = [...this.dirty];
    const records = instances.map((i) => i.record());
    try {
      this.store.saveInstances(records);
      instances.forEach((i, n) => i.saved(records[n]));
      this.dirty.clear();
      this.flushRetryAt = 0;
    } catch {
      // The store refused (disk full, database locked by another process): evaluation goes on
      // in memory and these instances stay dirty, saved by the next flush that succeeds. Ingest
      // reports the cause (it pauses on the same error); throwing here would end the engine.
      // Not before 5 s: a lock makes each try block the thread for the busy timeout.
      this.flushRetryAt = this.now() + FLUSH_RETRY_MS;
    }
  }
}

/**
 * Makes room in a queue nobody drained for `max` entries by dropping its oldest, but only those
 * of earlier ticks: one tick's burst (an outage firing a rule for every merchant, a silence
 * taking a thousand alerts) reaches the router whole, however large; the bound is for a backlog
 * piling up over ticks. Returns how many it dropped.
 */
function boundBacklog(queue: { at: number }[], max: number, at: number): number {
  let dropped = 0;
  while (queue.length >= max && queue[0].at < at) {
    queue.shift();
    dropped++;
  }
  return dropped;
}
