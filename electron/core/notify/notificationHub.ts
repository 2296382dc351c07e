// Routing and delivery for one session, in the host process: alert notifications from the
// engine go through the router; what it dispatches goes to the delivery queues and every
// decision to the notification log. Live sessions deliver; replays and demos only log
// "would_notify" unless asked.
//
// The ends of a session: a replay's end runs the routing on to every message it would still
// send in event time (resolved ones a groupInterval later included, as the backtest lists
// them) and, when it delivers, waits a bounded time (REPLAY_DELIVERY_WAIT_MS) for their
// retries; a live session's stop flushes the changes waiting for their groupInterval at once
// and gives them one attempt. Anything left undelivered is logged, and said on the `warn` line.
import { countText } from '../../../shared/countText';
import { recordAnnotations, type AlertNotification, type AlertSilenceChange } from '../../../shared/alerts';
import type { BackoffOptions } from '../../../shared/backoff';
import type { RoutingConfig } from '../../../shared/notificationConfig';
import { droppedNotificationsText, type NotificationLogEntry } from '../../../shared/notifications';
import { NOTIFICATION_LOG_RETENTION, openNotificationLog, type NotificationLogRetention, type NotificationLogStore } from '../store/notificationLogRepository';
import { openStore, type ReadStore } from '../store/store';
import type { SecretStore } from '../secrets/secretStore';
import { NotificationDelivery, type AttemptReport, type DeliveryTotals, type LogSink } from './delivery';
import { NotificationRouter, type DeliveredMessage, type Dispatch, type RouteResult } from './router';
import { routingEndHorizon } from './routingBacktest';
import { ContactPointUrls } from './secretUrls';

/**
 * How long the end of a delivering replay waits for its messages and their retries (the
 * default retry schedule of one message, 3 attempts of 5 s with 1 s and 2 s between, is
 * about 18 s; a contact point's messages go one after the other). What is still undelivered
 * then is logged failed ("shutting down") and counted in the end-of-run line.
 */
export const REPLAY_DELIVERY_WAIT_MS = 60_000;
/** A live stop: the queued messages (and the changes flushed at the stop) get one attempt each within this. */
export const LIVE_STOP_GRACE_MS = 10_000;
/** The notification log is trimmed to its retention every this many rows written (and at the start). */
const PRUNE_EVERY = 100;

export interface NotificationHubOptions {
  routing: RoutingConfig;
  urls: ContactPointUrls;
  log: LogSink;
  dryRun: boolean;
  desktop?: (d: Dispatch) => void;
  backoff?: BackoffOptions;
  /** The wall clock a live hub runs its router on (tests pass their own). */
  clock?: () => number;
  /** Operator-facing lines (the CLI's stderr): deliveries that failed for good. Never a URL. */
  warn?: (line: string) => void;
  /** Every HTTP attempt's answer, as read (tests). */
  onAttempt?: (report: AttemptReport) => void;
}

export class NotificationHub {
  readonly router: NotificationRouter;
  readonly delivery: NotificationDelivery;
  private timer: NodeJS.Timeout | null = null;
  private routing: NotificationHubOptions['routing'];
  private readonly clock: () => number;

  constructor(options: NotificationHubOptions) {
    this.routing = options.routing;
    this.clock = options.clock ?? Date.now;
    this.router = new NotificationRouter(options.routing);
    this.delivery = new NotificationDelivery({
      urls: options.urls,
      log: options.log,
      desktop: options.desktop,
      dryRun: options.dryRun,
      backoff: options.backoff,
      warn: options.warn,
      onAttempt: options.onAttempt,
      clock: this.clock,
      // Live (on the wall clock), an undelivered message is said again at its group's next flush,
      // as Alertmanager does. A replay routes on event time, faster than deliveries end: what it
      // sends must not depend on how fast a receiver failed (the backtest lists the same).
      undelivered: (d) => {
        if (this.timer) this.router.undelivered(d);
      },
    });
  }

  observe(n: AlertNotification): void {
    // Live, a group's groupWait starts when its first alert arrives, not at the last second's tick.
    if (this.timer) this.advanceTo(this.clock());
    this.apply(this.router.observe(n));
  }

  advanceTo(t: number): void {
    this.apply(this.router.advanceTo(t));
  }

  /** An announced alert's silence began or ended: see NotificationRouter.silence. */
  silence(change: AlertSilenceChange): void {
    if (this.timer) this.advanceTo(this.clock());
    this.apply(this.router.silence(change));
  }

  /** A live session restarted on its database: see NotificationRouter.resume. */
  resume(alerts: readonly AlertNotification[], delivered: readonly DeliveredMessage[], silenced: readonly AlertNotification[] = []): void {
    // Live, on the wall clock; otherwise (a demo, a replay) on the alerts' own times.
    const now = this.timer ? this.clock() : Math.max(this.router.now, ...[...alerts, ...silenced].map((a) => a.at));
    this.apply(this.router.resume(now, alerts, delivered, silenced));
  }

  /** The routing this hub routes on now (the console lists its contact points). */
  routingInUse(): RoutingConfig {
    return this.routing;
  }

  /**
   * The rules were saved while the session runs: routes on `routing` from now on (see
   * NotificationRouter.reconfigure); what is due under it goes out now.
   */
  reconfigure(routing: RoutingConfig): void {
    // Live, on the wall clock; otherwise (a demo) on the router's own clock, the alerts' times.
    this.apply(this.router.reconfigure(this.timer ? this.clock() : this.router.now, routing));
    this.routing = routing;
  }

  /**
   * End of a replay: groups still waiting for their groupWait go out as they would have just
   * after, and changes waiting for their groupInterval (resolved messages) at their scheduled
   * event time: the messages `payops backtest` lists for the same capture and rules.
   */
  flushPending(): void {
    if (!Number.isFinite(this.router.now)) return;
    const { wait, until } = routingEndHorizon(this.routing, this.router.now);
    this.advanceTo(wait);
    this.apply(this.router.drainChanges(until));
  }

  /** Live: runs the router on the wall clock (the evaluator's ticks trail it), flushing what is due every `tickMs`. */
  start(tickMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.advanceTo(this.clock()), tickMs);
    this.timer.unref?.();
  }

  /**
   * Stops the clock and waits for deliveries in flight (no new retries start). Live, the
   * changes still waiting for their groupInterval (a resolved message) are flushed first, so
   * they get their one attempt rather than vanish with the process.
   */
  async stop(graceMs = LIVE_STOP_GRACE_MS): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      this.apply(this.router.flushChangesNow(this.clock()));
    }
    await this.delivery.stop(graceMs);
  }

  /**
   * The end of a run that is not live (a replay): waits up to `maxWaitMs` for every queued
   * message and its retries, then stops; returns how the deliveries ended.
   */
  async finish(maxWaitMs = REPLAY_DELIVERY_WAIT_MS): Promise<DeliveryTotals> {
    if (this.timer) {
      await this.stop();
      return this.delivery.totals();
    }
    return this.delivery.finish(maxWaitMs);
  }

  private apply(r: RouteResult): void {
    for (const s of r.suppressions) this.delivery.suppressed(s);
    for (const d of r.dispatches) this.delivery.enqueue(d);
  }
}

export interface SessionNotifications {
  readonly hub: NotificationHub;
  /** The newest log entries, newest first. */
  recent(limit: number): NotificationLogEntry[];
  /** Live: flushes and stops (one attempt each); otherwise waits, bounded, for deliveries and their retries. */
  stop(): Promise<void>;
  /**
   * The rules file was saved while the session runs: its routing (contact points, policies,
   * mute timings, inhibition) applies at once, keeping pending groups and what each receiver
   * was told; a contact point that cannot deliver is said on `warn`. Throws on a routing that
   * does not compile (the old one stays).
   */
  reload(routing: RoutingConfig): void;
  /** How the deliveries ended (after stop: every message is counted). */
  totals(): DeliveryTotals;
  /**
   * The session's evaluator dropped this many notifications so far (EngineSnapshot.notificationsDropped):
   * they never reached this hub. Said in the end-of-run line with the delivery totals.
   */
  noteDropped(total: number): void;
}

/** A hub whose log goes to the session database (its own connection); starts its clock when live. */
export function startSessionNotifications(options: {
  dbFile: string;
  routing: RoutingConfig;
  secrets: SecretStore | null;
  dryRun: boolean;
  live: boolean;
  /**
   * Carry on the alerts the session's engine has open (default: when live, a restart). A hub
   * started while its session runs (a rules save adding routing to a demo or replay) must too:
   * the engine does not announce them again, so their resolve would be dropped.
   */
  resume?: boolean;
  desktop?: (d: Dispatch) => void;
  backoff?: BackoffOptions;
  /** Operator-facing lines: a missing secret at the start, a delivery that failed for good, the end's count. */
  warn?: (line: string) => void;
  /** How long a non-live session's stop waits for deliveries (default REPLAY_DELIVERY_WAIT_MS). */
  finishWaitMs?: number;
  /** The environment PAYOPS_SECRET_<NAME> is read from (tests). */
  env?: NodeJS.ProcessEnv;
  onAttempt?: (report: AttemptReport) => void;
  /** How much of the notification log to keep (default NOTIFICATION_LOG_RETENTION). */
  retention?: NotificationLogRetention;
}): SessionNotifications {
  const store: NotificationLogStore = openNotificationLog(options.dbFile);
  // Bounded: at the start, then every PRUNE_EVERY rows written (NOTIFICATION_LOG_RETENTION).
  const retention = options.retention ?? NOTIFICATION_LOG_RETENTION;
  const prune = () => {
    try {
      store.log.prune(Date.now(), retention);
    } catch (err) {
      options.warn?.(`notifications: could not trim the notification log (${(err as Error).message})`);
    }
  };
  prune();
  let written = 0;
  const urls = new ContactPointUrls(options.secrets, options.env);
  const warn = options.warn;
  const hub = new NotificationHub({
    routing: options.routing,
    urls,
    log: (e) => {
      store.log.append(e);
      if (++written % PRUNE_EVERY === 0) prune();
    },
    dryRun: options.dryRun,
    desktop: options.desktop,
    backoff: options.backoff,
    warn,
    onAttempt: options.onAttempt,
  });
  if (options.live) hub.start();
  if (options.resume ?? options.live) resumeFromDatabase(hub, store, options.dbFile, warn);
  // A contact point that cannot deliver is said at the start, not found out at the first page.
  const checked = options.dryRun || !warn ? Promise.resolve() : warnMissingSecrets(options.routing, urls, warn);
  let stopped: Promise<void> | null = null;
  let dropped = 0;
  return {
    hub,
    recent: (limit) => store.log.recent(limit),
    totals: () => hub.delivery.totals(),
    noteDropped: (total) => {
      dropped = Math.max(dropped, total);
    },
    reload(routing) {
      hub.reconfigure(routing);
      if (!options.dryRun && warn) void warnMissingSecrets(routing, urls, warn);
    },
    stop() {
      stopped ??= (async () => {
        await checked;
        if (options.live) await hub.stop();
        else await hub.finish(options.finishWaitMs ?? REPLAY_DELIVERY_WAIT_MS);
        const t = hub.delivery.totals();
        const total = t.sent + t.failed + t.notSent;
        if (warn && total > 0) {
          warn(
            t.failed + t.notSent === 0
              ? `notifications: ${countText(total, 'message')} delivered`
              : `notifications: ${t.failed + t.notSent} of ${countText(total, 'message')} not delivered (${t.failed} failed after their attempts, ${t.notSent} not sent before the end); see payops notifications --db ${options.dbFile}`,
          );
        }
        if (warn && dropped > 0) warn(`notifications: ${droppedNotificationsText(dropped)}`);
      })().finally(() => store.close());
      return stopped;
    },
  };
}

/**
 * A live session started on a database a previous one left (a restart, a crash): the alerts the
 * engine carried on (open, fired, not silenced: it will not announce them again) and what each
 * group's receiver was told last go to the router, so nothing delivered is paged again, nothing
 * pending is lost, and a carried-on alert's resolve is sent. Call after the engine started (it
 * closes the open alerts it does not carry on). A database that cannot be read starts afresh.
 */
function resumeFromDatabase(hub: NotificationHub, store: NotificationLogStore, dbFile: string, warn: ((line: string) => void) | undefined): void {
  let reads: ReadStore | null = null;
  try {
    reads = openStore(dbFile, { readonly: true });
    const fired = reads.alerts.open().filter((r) => r.firedAt !== null);
    const toNote = (r: (typeof fired)[number]): AlertNotification => ({ kind: 'firing', rule: r.rule, severity: r.severity, labels: { ...r.labels }, value: r.value, summary: `FIRING ${r.rule}: ${r.summary}`, at: r.firedAt!, key: r.key, ...recordAnnotations(r) });
    const alerts = fired.filter((r) => !r.silenced).map(toNote);
    // Silenced, still firing: not paged where it was not, and not told resolved where it was.
    const silenced = fired.filter((r) => r.silenced).map(toNote);
    const delivered: DeliveredMessage[] = store.log.lastSent().map((e) => ({
      contactPoint: e.contactPoint,
      groupKey: e.groupKey,
      at: e.eventAt,
      alerts: e.alerts,
    }));
    hub.resume(alerts, delivered, silenced);
  } catch (err) {
    warn?.(`notifications: could not carry on the previous session's alerts (${(err as Error).message}); alerts still open are not re-announced`);
  } finally {
    reads?.close();
  }
}

/** One line per webhook/slack contact point whose URL secret is not set (names only, never a value). */
export async function warnMissingSecrets(routing: RoutingConfig, urls: ContactPointUrls, warn: (line: string) => void): Promise<void> {
  for (const cp of routing.contactPoints) {
    if (cp.type === 'desktop') continue;
    const r = await urls.resolve(cp).catch((err: Error) => ({ error: err.message }));
    if ('error' in r) warn(urls.redact(`contact point "${cp.name}" cannot deliver: ${r.error}; its notifications will be logged failed`));
  }
}
