import fs from 'node:fs';
import path from 'node:path';
import { groupValueText, recordAnnotations, type AlertHistoryRecord, type AlertNotification, type AlertSilence, type AlertSilenceChange, type AlertView } from '../../../shared/alerts';
import { GROUP_BY, METRIC_INFO, type AlertRule } from '../../../shared/alertRules';
import type { RulesDocument, RulesSaveResult } from '../../../shared/alertsApi';
import type { QueueDepth } from '../../../shared/metrics';
import { rulesFormatOfName, validateRulesText, type RulesFormat } from '../../../shared/rulesText';
import type { BatchOutcome } from '../store/eventWriter';
import type { QueueSample } from '../store/queueSampleRepository';
import type { Store } from '../store/store';
import { AlertEvaluator } from './alertEvaluator';
import { AlertHistoryStore, type AlertHistorySink } from './alertHistoryStore';
import { withKeptAnnotations } from './ruleAnnotations';
import { DEFAULT_RULES_YAML } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';
import { LiveClock } from './liveClock';
import type { BurnRateSession, StoredEvents } from './burnRateSession';
import { writeFileAtomicallySync } from '../atomicFile';

const LIVE_TICK_MS = 1000;
/** Stored events a rules reload reads back so the new rules start with full windows. */
const PRIME_MAX_EVENTS = 1_000_000;
const PRIME_MAX_MS = 3600_000;

/**
 * The history sink of an evaluator being primed with stored events: it keeps the latest
 * record of each instance instead of writing it, so episodes already in history are not
 * written twice; once live, it writes through.
 */
class PrimingSink implements AlertHistorySink {
  muted = true;
  readonly held = new Map<string, AlertHistoryRecord>();
  constructor(private readonly store: AlertHistoryStore) {}
  saveInstances(records: readonly AlertHistoryRecord[]): void {
    if (!this.muted) return this.store.saveInstances(records);
    // The record held (the last) is the one saved: it keeps the annotations an earlier one carried.
    for (const r of records) this.held.set(r.key, withKeptAnnotations(r, this.held.get(r.key)));
  }
  acknowledge(key: string, by: string, note: string, at: number): boolean {
    return this.store.acknowledge(key, by, note, at);
  }
  addResolveNote(key: string, by: string, note: string, at: number): boolean {
    return this.store.addResolveNote(key, by, note, at);
  }
  saveSilence(s: AlertSilence): void {
    this.store.saveSilence(s);
  }
  listSilences(activeAt?: number): AlertSilence[] {
    return this.store.listSilences(activeAt);
  }
}

export interface AlertingSessionOptions {
  /** The session's store: alert history lives in it, and a rules reload reads stored events back. */
  store: Store;
  rules: readonly AlertRule[];
  /** A replay evaluates on event time only, after each committed batch; live sessions also tick with wall time. */
  replay: boolean;
  /** The file the rules came from (null: the built-in pack). */
  rulesFile: string | null;
  /** Where a save goes when there is no rules file yet. */
  defaultSavePath: string;
  notify(notification: AlertNotification): void;
  /** An announced alert's silence began or ended (the notification router holds back its repeats). */
  silenceChanged?(change: AlertSilenceChange): void;
  /** The wall clock of a live session (tests give their own). */
  wallClock?: () => number;
  /** The live clock, when shared with the burn-rate rules' session (composeEngine.ts). */
  liveClock?: LiveClock;
  /** The burn-rate rules' session: a save applies the saved file's burn-rate rules to it too. */
  burnRates?: BurnRateSession | null;
  /** The evaluators' bound on notifications not yet passed on (AlertEvaluatorOptions; tests give a small one). */
  maxPendingNotifications?: number;
}

/**
 * Alert evaluation for one engine session. The composition root feeds it events as they
 * commit and queue samples as they are polled. Live, the clock advances with wall time (so
 * "no data" can fire when nothing arrives); in a replay it advances only with event time,
 * after each committed batch, so a capture gives the same alerts at any speed.
 *
 * Rules are saved here too: atomically to the rules file and, outside a replay, swapped in as
 * a new evaluator primed with the recent stored events.
 */
export class AlertingSession {
  readonly history: AlertHistoryStore;
  private current: AlertEvaluator;
  private currentRules: readonly AlertRule[];
  private rulesFile: string | null;
  private savePath: string;
  private readonly replay: boolean;
  private readonly store: Store;
  private readonly notify: (n: AlertNotification) => void;
  private readonly silenceChanged: (c: AlertSilenceChange) => void;
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: LiveClock;
  private readonly wallClock: () => number;
  private readonly burnRates: BurnRateSession | null;
  private readonly maxPendingNotifications: number | undefined;
  /** Dropped by the evaluators a rules save replaced. */
  private droppedBefore = 0;
  /** The burn-rate alerts a restarted live engine carried on (their history instances, still open). */
  carriedBurnRates: AlertHistoryRecord[] = [];
  /** The stored events in [from, until], the newest `max` at most: what burn-rate rules are read back over. */
  readonly storedEvents: StoredEvents = (from, until, max) => this.store.events.forAlertsThrough(this.store.events.nthNewestTime(from, until, max) ?? from, until);

  constructor(options: AlertingSessionOptions) {
    this.store = options.store;
    this.burnRates = options.burnRates ?? null;
    this.notify = options.notify;
    this.silenceChanged = options.silenceChanged ?? (() => undefined);
    this.history = new AlertHistoryStore(options.store);
    this.replay = options.replay;
    this.rulesFile = options.rulesFile ? path.resolve(options.rulesFile) : null;
    this.savePath = this.rulesFile ?? options.defaultSavePath;
    this.currentRules = options.rules;
    this.clock = options.liveClock ?? new LiveClock(options.wallClock);
    this.wallClock = options.wallClock ?? Date.now;
    this.maxPendingNotifications = options.maxPendingNotifications;
    this.current = new AlertEvaluator(options.rules, this.history, { silencesOnEventClock: this.replay, wallClock: this.wallClock, maxPendingNotifications: this.maxPendingNotifications });
    // A live engine restarted on this database carries on the alerts it left active: an
    // incident that outlives a restart stays one alert (no false resolve, no second page).
    // The burn-rate (SLO) alerts it left open carry on too, judged at once over the stored
    // events of their windows: one still burning stays one alert, one whose burn ended while
    // the engine was down is announced resolved (BurnRateSession.carryOn).
    if (!this.replay) {
      const now = this.wallClock();
      const open = this.history.openInstances();
      const kept = new Set(this.current.restore(open, { now, downAt: this.lastAlive(open, now) }));
      this.carriedBurnRates = this.burnRates?.carryOn(open, this.storedEvents, now) ?? [];
      for (const r of this.carriedBurnRates) kept.add(r.key);
      this.history.closeOpenInstances(now, kept);
      this.seedStoredQueueSamples(now);
    }
  }

  /**
   * When the previous engine on this database was last seen alive: its newest stored arrival or
   * alert transition (a pending alert's `for` does not count the time it was down).
   */
  private lastAlive(open: readonly AlertHistoryRecord[], now: number): number {
    let at = this.store.events.newestArrival() ?? -Infinity;
    for (const r of open) for (const t of r.transitions) at = Math.max(at, t.at);
    return Number.isFinite(at) ? Math.min(at, now) : now;
  }

  /** A restart: the queue rules' windows start with the samples stored before it (depth, consumers, oldest message age). */
  private seedStoredQueueSamples(now: number): void {
    let spanMs = 0;
    for (const r of this.currentRules) if (r.enabled && METRIC_INFO[r.metric].source === 'queues') spanMs = Math.max(spanMs, r.windowMs);
    if (spanMs === 0) return;
    const samples = this.store.queueSamples.inRange(now - spanMs - 15_000, now + 1, 100_000);
    for (let s = 0; s < samples.length; ) {
      const at = samples[s].at;
      const depths: QueueDepth[] = [];
      for (; s < samples.length && samples[s].at === at; s++) depths.push(storedDepth(samples[s]));
      this.current.seedQueues(depths, at);
    }
  }

  /** Live sessions: evaluates every second on the wall clock. */
  start(): void {
    if (this.replay || this.timer) return;
    this.timer = setInterval(() => this.onWallTick(), LIVE_TICK_MS);
    this.timer.unref?.();
  }

  /** A live session's second: moves to wall time unless a backlog's own times drive the clock (liveClock.ts). */
  onWallTick(): void {
    const target = this.clock.wallTarget();
    this.publish(target === null ? this.current.takeNotifications() : this.current.advanceTo(target));
  }

  /** A committed batch; `watermark` is the newest event time seen (a replay's clock). */
  observeCommitted(outcome: BatchOutcome, watermark: number | null): void {
    if (outcome.inserted.length === 0) return;
    // The batch's own newest time, not the watermark: one event from a wrong clock raises the
    // watermark for good, and the live clock must be able to leave it out.
    if (!this.replay) this.clock.observeEvents(outcome.inserted);
    this.current.observeEvents(outcome.inserted);
    if (this.replay && watermark !== null) this.publish(this.current.advanceTo(watermark));
  }

  observeQueues(samples: QueueDepth[]): void {
    // A poll is stamped with wall time: while the events' own times drive the clock (a backlog
    // draining, a producer steadily behind) it would decide their ticks before they arrive. It is
    // taken as of the clock's present instead, so queue rules keep judging the queues.
    if (!this.replay && this.clock.wallTarget() === null) {
      const present = this.current.clock;
      if (present !== null) this.current.observeQueues(samples, present);
      return;
    }
    this.current.observeQueues(samples, samples[0]?.at ?? Date.now());
  }

  /** The session ends: a replay's last evaluation runs to the end of its events. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.replay) this.publish(this.current.finish());
  }

  get evaluator(): AlertEvaluator {
    return this.current;
  }

  /**
   * Notifications (and silence changes) this session's evaluators dropped, their queue full
   * before they were passed on (AlertEvaluator.stats): never routed, never shown. The
   * counterpart of Alertmanager's alertmanager_notifications_failed_total, said beside the
   * notification log (EngineSnapshot.notificationsDropped).
   */
  get notificationsDropped(): number {
    return this.droppedBefore + this.current.stats().notificationsDropped;
  }

  get rules(): readonly AlertRule[] {
    return this.currentRules;
  }

  /**
   * Passes on `notifications` and the current evaluator's silence changes, in its time order
   * (a notification first at a tie: an alert fires before a silence can take it).
   */
  private publish(notifications: AlertNotification[]): void {
    const changes = this.current.takeSilenceChanges();
    let c = 0;
    for (const n of notifications) {
      while (c < changes.length && changes[c].at < n.at) this.silenceChanged(changes[c++]);
      this.notify(n);
    }
    while (c < changes.length) this.silenceChanged(changes[c++]);
  }

  /** An operator silenced or ended a silence: what it changed goes out now, not at the next tick. */
  afterSilenceEdit(): void {
    this.publish(this.current.takeNotifications());
  }

  /** The evaluator's "now": wall time live, the event-time clock in a replay. */
  now(): number {
    return this.replay ? (this.current.clock ?? Date.now()) : Date.now();
  }

  rulesDocument(): RulesDocument {
    const file = this.rulesFile;
    let text = DEFAULT_RULES_YAML;
    if (file) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`cannot read the rules file ${file}: ${(err as Error).message}`);
      }
    }
    return {
      text,
      format: file ? (rulesFormatOfName(file) ?? 'yaml') : 'yaml',
      rules: [...this.currentRules],
      source: file ? 'file' : 'default',
      path: file,
      savePath: this.savePath,
      liveReload: !this.replay,
    };
  }

  /**
   * Validates, writes the rules file atomically, then (outside a replay) evaluates the new
   * rules. `path` (set by the engine backend, not by the renderer) overrides where it goes.
   */
  save(args: { text: string; format?: RulesFormat; path?: string }): RulesSaveResult {
    const target = args.path ? path.resolve(args.path) : this.savePath;
    const format = rulesFormatOfName(target) ?? 'yaml';
    if (args.format && args.format !== format) {
      const message = `${target} is a ${format.toUpperCase()} file: write the rules as ${format.toUpperCase()}`;
      return { ok: false, issues: [{ index: null, rule: null, field: '', message, text: `rules file: ${message}`, line: null }], path: null, reloaded: false, message: 'not saved' };
    }
    const v = validateRulesText(args.text, format);
    if (!v.ok) {
      return { ok: false, issues: v.issues, path: null, reloaded: false, message: `not saved: ${v.issues.length} problem${v.issues.length === 1 ? '' : 's'}` };
    }
    writeAtomically(target, args.text);
    this.rulesFile = target;
    this.savePath = target;
    if (this.replay) {
      return { ok: true, issues: [], path: target, reloaded: false, message: `saved to ${target}; a replay keeps the rules it started with, the next session uses these` };
    }
    this.reload(v.rules);
    // The burn-rate (SLO) rules of the same file apply now too, not at the next start.
    this.burnRates?.reload(v.routing.burnRates, this.storedEvents);
    const enabled = v.rules.filter((r) => r.enabled).length;
    return { ok: true, issues: [], path: target, reloaded: true, message: `saved to ${target}; evaluating ${enabled} rule${enabled === 1 ? '' : 's'} now` };
  }

  /**
   * Swaps in an evaluator for `rules`. It first reads back the stored events of the longest
   * window the rules need (bounded), so rates are not judged on a few seconds of data and
   * alerts that still hold under the new rules carry on under the same key without a second
   * notification. Old alerts that no longer hold are closed ("alert rules changed") and, if
   * they had been announced, announced as resolved. Silences stay (they live in the store).
   */
  reload(rules: readonly AlertRule[]): void {
    const old = this.current;
    this.publish(old.takeNotifications());
    const oldActive = old.list({ includeResolved: false });
    const sink = new PrimingSink(this.history);
    const next = new AlertEvaluator(rules, sink, { maxPendingNotifications: this.maxPendingNotifications });
    const now = Date.now();
    const primed = this.prime(next, rules, now);
    const notifications = [...primed, ...next.advanceTo(now)];
    // Reading back announces nothing: the alerts it carries on were announced (and silenced or
    // not) by the old evaluator, whose changes went out above.
    next.takeSilenceChanges();
    sink.muted = false;

    const nextActive = next.list({ includeResolved: false });
    const nextKeys = new Set(nextActive.map((a) => a.key));
    // Instances the new evaluator carries on (same key) are written with their new state.
    this.history.saveInstances(nextActive.map((a) => sink.held.get(a.key)).filter((r): r is AlertHistoryRecord => r !== undefined));
    // The same rule firing for the same group before and after is one alert to an operator:
    // no "resolved" for the old instance, no second "firing" for the new one. What counts is what
    // receivers were told: an old alert firing but never announced (silenced before it fired)
    // is announced by the new rules if it fires unsilenced under them.
    const announced = new Map<string, { notifiedFiring: boolean; carriedSilenced: boolean }>();
    for (const a of oldActive) {
      const was = a.state === 'firing' ? old.announcement(a.key) : null;
      if (was && (was.notifiedFiring || was.carriedSilenced)) announced.set(identity(a), was);
    }
    const oldFiring = new Set(announced.keys());
    const nextFiring = new Set(nextActive.filter((a) => a.state === 'firing').map(identity));
    // Carried on: announced as the old one was, so its resolve is announced even if silenced.
    for (const a of nextActive) {
      const was = a.state === 'firing' ? announced.get(identity(a)) : undefined;
      if (was) next.inheritAnnouncement(a.key, was);
    }
    const closed: AlertHistoryRecord[] = [];
    for (const a of oldActive) {
      if (nextKeys.has(a.key)) continue;
      const r = this.history.get(a.key);
      if (!r || r.resolvedAt !== null || r.endedAt !== null) continue;
      const fired = r.firedAt !== null;
      r.state = fired ? 'resolved' : 'normal';
      if (fired) r.resolvedAt = now;
      else r.endedAt = now;
      r.summary = `${r.summary} (closed: alert rules changed)`;
      r.transitions.push({ state: r.state, at: now });
      closed.push(r);
      // Announced firing: announced resolved, silenced since or not (the router does not see
      // silences; it would keep the alert firing and page it every repeatInterval). The router
      // sends it only where the firing was delivered.
      if (oldFiring.has(identity(a)) && !nextFiring.has(identity(a))) {
        this.notify({
          kind: 'resolved',
          rule: a.rule,
          severity: a.severity,
          labels: { ...a.labels },
          value: a.value,
          summary: `RESOLVED ${a.rule}: alert rules changed (${a.summary})`,
          at: now,
          key: a.key,
          group: groupText(a),
          ...recordAnnotations(r),
          runbookUrl: r.runbookUrl ?? a.runbookUrl,
        });
      }
    }
    this.history.saveInstances(closed);
    // Fired while silenced, announced to no one: the router holds such an alert as an inhibition
    // source (as Alertmanager does) until it resolves. One the new rules close, or carry on under
    // another severity (another alert to the router), is let go, so it does not inhibit for ever;
    // one that fires silenced under the new rules (reading back said nothing) is held, before the
    // alerts it may inhibit are announced below.
    const heldKey = (a: AlertView) => `${identity(a)}\u0000${a.severity}`;
    const silencedUntold = (a: AlertView) => a.state === 'firing' && a.silenced && !announced.has(identity(a));
    const change = (a: AlertView, kind: 'silenced' | 'unsilenced'): AlertSilenceChange => ({ kind, rule: a.rule, severity: a.severity, labels: { ...a.labels }, key: a.key, at: now, summary: `FIRING ${a.rule}: ${a.summary}` });
    const oldHeld = new Set(oldActive.filter(silencedUntold).map(heldKey));
    const nextHeld = new Set(nextActive.filter(silencedUntold).map(heldKey));
    for (const a of oldActive) if (silencedUntold(a) && !nextHeld.has(heldKey(a))) this.silenceChanged(change(a, 'unsilenced'));
    for (const a of nextActive) if (silencedUntold(a) && !oldHeld.has(heldKey(a))) this.silenceChanged(change(a, 'silenced'));
    // What fired while reading back is announced only if it still fires and did not fire before.
    const announce = new Map<string, AlertNotification>();
    const firingKeys = new Map(nextActive.filter((a) => a.state === 'firing').map((a) => [a.key, a]));
    for (const n of notifications) {
      const a = n.key ? firingKeys.get(n.key) : undefined;
      if (n.kind === 'firing' && a && !oldFiring.has(identity(a))) announce.set(a.key, n);
    }
    this.droppedBefore += old.stats().notificationsDropped;
    this.current = next;
    this.currentRules = rules;
    this.publish([...announce.values()]);
  }

  /** Feeds `evaluator` the stored events (and queue depths) of the window `rules` need before `now`. */
  private prime(evaluator: AlertEvaluator, rules: readonly AlertRule[], now: number): AlertNotification[] {
    let spanMs = 0;
    for (const r of rules) {
      if (!r.enabled) continue;
      const warmup = r.condition?.kind === 'baseline' ? r.condition.warmupMs : 0;
      spanMs = Math.max(spanMs, r.windowMs + warmup + Math.max(r.forMs, r.keepFiringForMs));
    }
    spanMs = Math.min(PRIME_MAX_MS, spanMs + 15_000);
    const store = this.store;
    let from = now - spanMs;
    // At high rates the span holds more than the bound: read the newest PRIME_MAX_EVENTS.
    from = store.events.nthNewestTime(from, now, PRIME_MAX_EVENTS) ?? from;
    const needsQueues = rules.some((r) => r.enabled && METRIC_INFO[r.metric].source === 'queues');
    // Sample times are whole milliseconds: up to and including `now`.
    const samples = needsQueues ? store.queueSamples.inRange(from, now + 1, 100_000) : [];
    const rows = store.events.forAlertsThrough(from, now);
    const out: AlertNotification[] = [];
    let s = 0;
    let chunk: AlertInputEvent[] = [];
    const feed = () => {
      if (chunk.length === 0) return;
      const until = chunk[chunk.length - 1].timeMs!;
      while (s < samples.length && samples[s].at <= until) {
        const at = samples[s].at;
        const depths: QueueDepth[] = [];
        while (s < samples.length && samples[s].at === at) depths.push(storedDepth(samples[s++]));
        evaluator.observeQueues(depths, at);
      }
      evaluator.observeEvents(chunk);
      out.push(...evaluator.takeNotifications());
      chunk = [];
    };
    for (const r of rows) {
      chunk.push(r);
      if (chunk.length >= 2000) feed();
    }
    feed();
    return out;
  }
}

/** A stored queue sample as a poll gives it (what the store does not keep is unknown). */
function storedDepth(q: QueueSample): QueueDepth {
  return { queue: q.queue, messages: q.messages, consumers: q.consumers, at: q.at, error: null, oldestMessageAgeSeconds: q.oldestMessageAgeSeconds };
}

/** Rule and group: what an operator means by "the same alert". */
function identity(a: AlertView): string {
  return `${a.rule}\u0000${Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
}

function groupText(a: AlertView): string | null {
  const entries = Object.entries(a.labels).filter(([k]) => (GROUP_BY as readonly string[]).includes(k));
  return entries.length ? entries.map(([k, v]) => `${k} ${groupValueText(v)}`).join(', ') : null;
}

/** Writes `text` to `file` so that a reader sees the old file or the new one, never half of either. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicallySync(file, text, { mode: 0o644 });
}

