// Routing and delivery for one session, in the host process: alert notifications from the
// engine go through the router; what it dispatches goes to the delivery queues and every
// decision to the notification log. Live sessions deliver; replays and demos only log
// "would_notify" unless asked.
import type { AlertNotification } from '../../../shared/alerts';
import type { BackoffOptions } from '../../../shared/backoff';
import type { RoutingConfig } from '../../../shared/notificationConfig';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { openNotificationLog, type NotificationLogStore } from '../store/notificationLogRepository';
import type { SecretStore } from '../secrets/secretStore';
import { NotificationDelivery, type LogSink } from './delivery';
import { NotificationRouter, type Dispatch, type RouteResult } from './router';
import { ContactPointUrls } from './secretUrls';

export interface NotificationHubOptions {
  routing: RoutingConfig;
  urls: ContactPointUrls;
  log: LogSink;
  dryRun: boolean;
  desktop?: (d: Dispatch) => void;
  backoff?: BackoffOptions;
  /** The wall clock a live hub runs its router on (tests pass their own). */
  clock?: () => number;
}

export class NotificationHub {
  readonly router: NotificationRouter;
  readonly delivery: NotificationDelivery;
  private timer: NodeJS.Timeout | null = null;
  private readonly routing: NotificationHubOptions['routing'];
  private readonly clock: () => number;

  constructor(options: NotificationHubOptions) {
    this.routing = options.routing;
    this.clock = options.clock ?? Date.now;
    this.router = new NotificationRouter(options.routing);
    this.delivery = new NotificationDelivery({ urls: options.urls, log: options.log, desktop: options.desktop, dryRun: options.dryRun, backoff: options.backoff });
  }

  observe(n: AlertNotification): void {
    // Live, a group's groupWait starts when its first alert arrives, not at the last second's tick.
    if (this.timer) this.advanceTo(this.clock());
    this.apply(this.router.observe(n));
  }

  advanceTo(t: number): void {
    this.apply(this.router.advanceTo(t));
  }

  /** End of a replay: groups still waiting for their groupWait go out as they would have just after. */
  flushPending(): void {
    const wait = Math.max(0, this.routing.defaultPolicy.groupWaitMs, ...this.routing.policies.map((p) => p.groupWaitMs));
    if (Number.isFinite(this.router.now)) this.advanceTo(this.router.now + wait);
  }

  /** Live: runs the router on the wall clock (the evaluator's ticks trail it), flushing what is due every `tickMs`. */
  start(tickMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.advanceTo(this.clock()), tickMs);
    this.timer.unref?.();
  }

  /** Stops the clock and waits for deliveries in flight (no new retries start). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.delivery.stop();
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
  stop(): Promise<void>;
}

/** A hub whose log goes to the session database (its own connection); starts its clock when live. */
export function startSessionNotifications(options: {
  dbFile: string;
  routing: RoutingConfig;
  secrets: SecretStore | null;
  dryRun: boolean;
  live: boolean;
  desktop?: (d: Dispatch) => void;
  backoff?: BackoffOptions;
}): SessionNotifications {
  const store: NotificationLogStore = openNotificationLog(options.dbFile);
  const urls = new ContactPointUrls(options.secrets);
  const hub = new NotificationHub({ routing: options.routing, urls, log: (e) => store.log.append(e), dryRun: options.dryRun, desktop: options.desktop, backoff: options.backoff });
  if (options.live) hub.start();
  let stopped: Promise<void> | null = null;
  return {
    hub,
    recent: (limit) => store.log.recent(limit),
    stop() {
      stopped ??= hub.stop().finally(() => store.close());
      return stopped;
    },
  };
}
