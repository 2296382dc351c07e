// Delivers routed messages to their contact points, off the engine thread (in the host
// process), without ever blocking: each contact point has its own queue worked one message
// at a time (a receiver sees firing before resolved), each attempt has a timeout, a failed
// attempt is retried with backoff a bounded number of times. Every attempt is logged; a dead
// endpoint is logged as failed and nothing else stops.
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import type { NotificationLogEntry, NotificationOutcome } from '../../../shared/notifications';
import { alertmanagerPayload, slackPayload } from './payloads';
import type { Dispatch, Suppression } from './router';
import type { ContactPointUrls } from './secretUrls';

export type LogSink = (entry: Omit<NotificationLogEntry, 'id'>) => void;

export interface DeliveryOptions {
  urls: ContactPointUrls;
  log: LogSink;
  /** The desktop contact point: the console shows it; headless runs print it. */
  desktop?: (d: Dispatch) => void;
  /** Never deliver to webhook/slack: log "would_notify" (replays, demo sessions, backtests). */
  dryRun?: boolean;
  backoff?: BackoffOptions;
  /** Messages waiting per contact point; beyond it a message is logged failed ("queue full"). */
  maxQueued?: number;
  now?: () => number;
}

const DEFAULT_DELIVERY_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

export class NotificationDelivery {
  private readonly queues = new Map<string, Dispatch[]>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private stopped = false;
  /** Once stopping: queued messages still get one attempt each until then, then are logged failed. */
  private stopDeadline = Infinity;

  constructor(private readonly options: DeliveryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Logs an alert held back by the router. */
  suppressed(s: Suppression): void {
    this.write(
      { contactPoint: s.contactPoint, groupKey: s.groupKey, groupLabels: s.groupLabels, status: 'firing', alerts: [s.alert], at: s.at },
      s.reason,
      { attempt: 0, final: true },
    );
  }

  /** Queues a message; returns at once. */
  enqueue(d: Dispatch): void {
    const cp = d.contactPoint;
    if (cp.type === 'desktop') {
      this.options.desktop?.(d);
      this.write(d, 'sent', { attempt: 1, final: true, durationMs: 0 });
      return;
    }
    if (this.options.dryRun) {
      this.write(d, 'would_notify', { attempt: 0, final: true });
      return;
    }
    const queue = this.queues.get(cp.name) ?? [];
    if (queue.length >= (this.options.maxQueued ?? 1000)) {
      this.write(d, 'failed', { attempt: 0, final: true, error: `not sent: ${queue.length} messages already waiting for ${cp.name}` });
      return;
    }
    queue.push(d);
    this.queues.set(cp.name, queue);
    if (!this.running.has(cp.name)) {
      const run = this.work(cp.name).finally(() => this.running.delete(cp.name));
      this.running.set(cp.name, run);
    }
  }

  /** Resolves once every queued message has been delivered or has failed for good. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /**
   * Stops retrying. What is queued still gets one attempt each for `graceMs` (a replay's
   * resolved message, queued behind its firing one, is not dropped at the end of the run);
   * what is left after that is logged failed ("shutting down").
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.stopDeadline = Date.now() + graceMs;
    await this.idle();
  }

  private async work(name: string): Promise<void> {
    const queue = this.queues.get(name)!;
    while (queue.length > 0) {
      const d = queue.shift()!;
      if (this.stopped && Date.now() >= this.stopDeadline) {
        this.write(d, 'failed', { attempt: 0, final: true, error: 'not sent: payops is shutting down' });
        continue;
      }
      await this.deliver(d);
    }
  }

  private async deliver(d: Dispatch): Promise<void> {
    const cp = d.contactPoint;
    const resolved = await this.options.urls.resolve(cp);
    if ('error' in resolved) {
      this.write(d, 'failed', { attempt: 1, final: true, error: resolved.error });
      return;
    }
    const body = JSON.stringify(cp.type === 'slack' ? slackPayload(d) : alertmanagerPayload(d));
    for (let attempt = 1; attempt <= cp.maxAttempts; attempt++) {
      const started = this.now();
      let httpStatus: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(resolved.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'payops' },
          body,
          signal: AbortSignal.timeout(cp.timeoutMs),
          redirect: 'error',
        });
        httpStatus = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = describe(err, cp.timeoutMs);
      }
      const durationMs = this.now() - started;
      const last = attempt === cp.maxAttempts || this.stopped;
      if (error === null) {
        this.write(d, 'sent', { attempt, final: true, httpStatus, durationMs });
        return;
      }
      this.write(d, 'failed', { attempt, final: last, httpStatus, durationMs, error: this.options.urls.redact(error) });
      if (last) return;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.options.backoff ?? DEFAULT_DELIVERY_BACKOFF)));
    }
  }

  private write(
    d: Dispatch,
    outcome: NotificationOutcome,
    extra: { attempt: number; final: boolean; httpStatus?: number | null; durationMs?: number | null; error?: string | null },
  ): void {
    const cp = d.contactPoint;
    try {
      this.options.log({
        at: this.now(),
        eventAt: d.at,
        contactPoint: cp.name,
        contactType: cp.type,
        outcome,
        status: d.status,
        groupKey: d.groupKey,
        groupLabels: d.groupLabels,
        rule: [...new Set(d.alerts.map((a) => a.rule))].sort().join(','),
        alerts: d.alerts,
        attempt: extra.attempt,
        maxAttempts: cp.maxAttempts,
        final: extra.final,
        httpStatus: extra.httpStatus ?? null,
        error: extra.error ? this.options.urls.redact(extra.error) : null,
        durationMs: extra.durationMs ?? null,
      });
    } catch {
      // The log could not be written (disk full, database locked): delivery goes on; the
      // receiver's copy is the record. Throwing here would stop every later delivery.
    }
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? 'request failed'}: ${cause}` : (e?.message ?? String(err));
}
