// Delivers routed messages to their contact points, off the engine thread (in the host
// process), without ever blocking: each contact point has its own queue worked one message
// at a time (a receiver sees firing before resolved), each attempt has a timeout, a failed
// attempt is retried with backoff a bounded number of times. Every attempt is logged; a dead
// endpoint is logged as failed and nothing else stops. A receiver's answer is read only up to
// MAX_RESPONSE_BYTES (decompressed), the rest cancelled: a huge or gzip-bomb body costs nothing.
import { countText } from '../../../shared/countText';
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import type { NotificationLogEntry, NotificationOutcome } from '../../../shared/notifications';
import { alertmanagerPayload, slackPayload } from './payloads';
import type { Dispatch, Suppression } from './router';
import { basicAuthTarget, type ContactPointUrls } from './secretUrls';

export type LogSink = (entry: Omit<NotificationLogEntry, 'id'>) => void;

/** The most of a receiver's answer payops reads (after decompression); the rest is cancelled unread. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The most of that answer quoted in a log line. */
const EXCERPT_CHARS = 200;
/**
 * The longest a receiver's Retry-After is waited for before a retry: longer asks are cut to
 * this, so one rate-limited contact point does not hold its queue for an hour.
 */
export const RETRY_AFTER_MAX_MS = 60_000;
/**
 * The operator's line about one message failing again for the same reason (live, the router
 * says an undelivered message again at every groupInterval flush, so a missing secret or a dead
 * receiver fails it every few minutes) is said again at most this often, with a count of the
 * failures not repeated; each failure is still a row of the notification log.
 */
export const REPEATED_FAILURE_LINE_MS = 3_600_000;
/** The most failure reasons whose lines are remembered (the oldest is forgotten first). */
const MAX_FAILURE_LINES = 1000;

/** What one HTTP attempt got back (tests, diagnostics): never the URL. */
export interface AttemptReport {
  contactPoint: string;
  attempt: number;
  httpStatus: number | null;
  /** Bytes of the answer's body read (at most MAX_RESPONSE_BYTES). */
  bytesRead: number;
  /** Whether the body went on past what was read (cancelled unread). */
  truncated: boolean;
  /** The start of the answer's body as text, redacted, at most EXCERPT_CHARS. */
  excerpt: string;
  error: string | null;
}

/** Counts of messages for webhook/slack contact points, by how their delivery ended. */
export interface DeliveryTotals {
  /** Delivered (some attempt answered 2xx). */
  sent: number;
  /** Failed for good: every attempt failed, the secret was missing, the queue was full. */
  failed: number;
  /** Never tried or not retried because payops stopped first. */
  notSent: number;
}

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
  /**
   * One line for the operator (the CLI's stderr, the console's log) when a delivery fails for
   * good, after its retries: the contact point and the reason, never the URL or its token.
   */
  warn?: (line: string) => void;
  /** Called after every HTTP attempt (tests): what was read of the answer. */
  onAttempt?: (report: AttemptReport) => void;
  /** A webhook/slack message failed for good (its receiver was not told): the router sends it again. */
  undelivered?: (d: Dispatch) => void;
  /** The clock that spaces the lines about repeated failures (REPEATED_FAILURE_LINE_MS); default `now`. */
  clock?: () => number;
}

/** The last line said about a contact point's messages failing (by contact point, status and reason). */
interface FailureLine {
  /** When this reason was first said. */
  since: number;
  saidAt: number;
  /** Failures for this reason since the line, not said. */
  notRepeated: number;
}

const DEFAULT_DELIVERY_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

export class NotificationDelivery {
  private readonly queues = new Map<string, Dispatch[]>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private stopped = false;
  /** Once stopping: queued messages still get a first attempt until then, then are logged not sent. */
  private stopDeadline = Infinity;
  /** Once stopping: no retry starts after this (wall time). */
  private retryDeadline = Infinity;
  /** Backoff waits in progress, woken early by a stop. */
  private readonly sleepers = new Set<() => void>();
  private readonly counts: DeliveryTotals = { sent: 0, failed: 0, notSent: 0 };
  /** Lines said about failing messages, by contact point, group and status (see REPEATED_FAILURE_LINE_MS). */
  private readonly failureLines = new Map<string, FailureLine>();
  /** Failures not said, by contact point, since its last delivery (said when it delivers again). */
  private readonly notRepeated = new Map<string, number>();

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
      this.fail(d, 0, queueFullText(queue.length, cp.name), 'failed');
      return;
    }
    if (this.stopped && Date.now() >= this.stopDeadline) {
      this.fail(d, 0, 'not sent: payops is shutting down', 'notSent');
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

  /** How the deliveries so far ended (messages still queued or retrying are not counted yet). */
  totals(): DeliveryTotals {
    return { ...this.counts };
  }

  /**
   * Stops retrying. What is queued still gets one attempt each for `graceMs` (a replay's
   * resolved message, queued behind its firing one, is not dropped at the end of the run);
   * what is left after that is logged failed ("shutting down"). A retry waiting for its
   * backoff is not made: its delivery is logged failed, final ("not retried").
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.stopDeadline = Math.min(this.stopDeadline, Date.now() + graceMs);
    this.retryDeadline = Math.min(this.retryDeadline, Date.now());
    this.wakeSleepers();
    await this.idle();
  }

  /**
   * The end of a run that still wants its messages delivered (a replay with --deliver): queued
   * messages and their retries go on as scheduled for up to `maxWaitMs`; then it stops as
   * `stop(0)` does (what is left is logged failed, not sent) and the totals say how many.
   */
  async finish(maxWaitMs: number): Promise<DeliveryTotals> {
    const deadline = Date.now() + maxWaitMs;
    this.stopped = true;
    this.stopDeadline = Math.min(this.stopDeadline, deadline);
    this.retryDeadline = Math.min(this.retryDeadline, deadline);
    const timer = setTimeout(() => this.wakeSleepers(), Math.max(0, maxWaitMs));
    try {
      await this.idle();
    } finally {
      clearTimeout(timer);
    }
    return this.totals();
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private async work(name: string): Promise<void> {
    const queue = this.queues.get(name)!;
    while (queue.length > 0) {
      const d = queue.shift()!;
      if (this.stopped && Date.now() >= this.stopDeadline) {
        this.fail(d, 0, 'not sent: payops is shutting down', 'notSent');
        continue;
      }
      try {
        await this.deliver(d);
      } catch (err) {
        // A fault of payops's own (not the receiver's) fails this message, logged, and never
        // the queue: an exception here would leave every later message unsent and reject unhandled.
        this.fail(d, 0, `not sent: ${(err as Error)?.message ?? String(err)}`, 'failed');
      }
    }
  }

  private async deliver(d: Dispatch): Promise<void> {
    const cp = d.contactPoint;
    const resolved = await this.options.urls.resolve(cp);
    if ('error' in resolved) {
      this.fail(d, 1, resolved.error, 'failed');
      return;
    }
    const body = JSON.stringify(cp.type === 'slack' ? slackPayload(d) : alertmanagerPayload(d));
    const target = basicAuthTarget(resolved.url);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'payops', 'accept-encoding': 'identity' };
    if (target.authorization) headers.authorization = target.authorization;
    for (let attempt = 1; attempt <= cp.maxAttempts; attempt++) {
      const started = this.now();
      let httpStatus: number | null = null;
      let error: string | null = null;
      let answer: BoundedBody = { bytes: Buffer.alloc(0), truncated: false };
      let retryAfterMs: number | null = null;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(cp.timeoutMs),
          // Not followed: the alert (and a basic-auth or token URL's credentials) would go to another address.
          redirect: 'manual',
        });
        httpStatus = res.status;
        retryAfterMs = retryAfter(res.headers.get('retry-after'), Date.now());
        // The status is the answer; the body is read only for a bounded excerpt (a body that
        // fails or times out half-way does not make a 2xx a failure).
        answer = await readBounded(res, MAX_RESPONSE_BYTES);
        if (res.status >= 300 && res.status < 400) error = `HTTP ${res.status}: the receiver redirects, and payops does not follow redirects; give the contact point its final URL`;
        else if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = describe(err, cp.timeoutMs);
      }
      const durationMs = this.now() - started;
      const excerpt = this.excerpt(answer.bytes);
      try {
        this.options.onAttempt?.({ contactPoint: cp.name, attempt, httpStatus, bytesRead: answer.bytes.length, truncated: answer.truncated, excerpt, error: error === null ? null : this.options.urls.redact(error) });
      } catch {
        // an observer's fault is not the delivery's
      }
      if (error === null) {
        this.counts.sent++;
        this.write(d, 'sent', { attempt, final: true, httpStatus, durationMs });
        this.deliversAgain(d);
        return;
      }
      // A receiver that says when to come back (429/503 with Retry-After, as Slack and PagerDuty
      // answer) is retried no sooner than that (at most RETRY_AFTER_MAX_MS): retrying inside its
      // window spends every attempt on refusals.
      const backoff = backoffDelay(attempt, this.options.backoff ?? DEFAULT_DELIVERY_BACKOFF);
      const delay = retryAfterMs === null ? backoff : Math.max(backoff, Math.min(retryAfterMs, RETRY_AFTER_MAX_MS));
      const outOfTime = Date.now() + delay > this.retryDeadline;
      const permanent = !retryable(httpStatus);
      const last = attempt === cp.maxAttempts || outOfTime || permanent;
      this.write(d, 'failed', { attempt, final: last, httpStatus, durationMs, error: this.options.urls.redact(error) });
      if (last) {
        this.notDelivered(d, 'failed');
        const why = attempt === cp.maxAttempts ? '' : permanent ? ` (not retried: HTTP ${httpStatus} will not change on a retry)` : ` (not retried: payops is shutting down)`;
        this.warnFailed(d, `${attempt} of ${countText(cp.maxAttempts, 'attempt')}${why}`, error, excerpt);
        return;
      }
      await this.sleep(delay);
      if (Date.now() > this.retryDeadline) {
        // A stop came during the backoff: the retry is not made; say so as the delivery's last word.
        this.notDelivered(d, 'failed');
        this.write(d, 'failed', { attempt: 0, final: true, error: `not retried: payops is shutting down (${attempt} of ${countText(cp.maxAttempts, 'attempt')} made)` });
        this.warnFailed(d, `${attempt} of ${countText(cp.maxAttempts, 'attempt')} (not retried: payops is shutting down)`, error, excerpt);
        return;
      }
    }
  }

  /** A message whose receiver was not told: counted, and said to the router (it sends it again). */
  private notDelivered(d: Dispatch, count: 'failed' | 'notSent'): void {
    this.counts[count]++;
    try {
      this.options.undelivered?.(d);
    } catch {
      // the router's bookkeeping is no reason to stop delivering
    }
  }

  /** A delivery that ends without an HTTP attempt (or before one): logged final and reported. */
  private fail(d: Dispatch, attempt: number, error: string, count: 'failed' | 'notSent'): void {
    this.notDelivered(d, count);
    this.write(d, 'failed', { attempt, final: true, error });
    this.warnFailed(d, null, error, '');
  }

  private warnFailed(d: Dispatch, attempts: string | null, error: string, excerpt: string): void {
    const warn = this.options.warn;
    if (!warn) return;
    // Messages of this contact point failing again for the same reason (a re-send at the next
    // flush, every group of a rule grouped by merchant) are counted, and said again only once
    // REPEATED_FAILURE_LINE_MS has passed since the line.
    const now = (this.options.clock ?? this.now)();
    const cp = d.contactPoint.name;
    const key = `${cp}\u0000${d.status}\u0000${error}`;
    const said = this.failureLines.get(key);
    let still = '';
    if (said) {
      if (now - said.saidAt < REPEATED_FAILURE_LINE_MS) {
        said.notRepeated++;
        this.notRepeated.set(cp, (this.notRepeated.get(cp) ?? 0) + 1);
        return;
      }
      if (said.notRepeated > 0) {
        still = ` (still failing: ${countText(said.notRepeated, `more ${d.status} message`)} not delivered to this contact point for this reason since ${utcText(said.since)}, not repeated here; each is in the notification log)`;
      }
      said.saidAt = now;
      said.notRepeated = 0;
    } else {
      // Bounded: a receiver whose answers vary (an excerpt-free reason each time) meets ever new reasons.
      if (this.failureLines.size >= MAX_FAILURE_LINES) this.failureLines.delete(this.failureLines.keys().next().value as string);
      this.failureLines.set(key, { since: now, saidAt: now, notRepeated: 0 });
    }
    const rules = [...new Set(d.alerts.map((a) => a.rule))].sort().join(',');
    const tail = excerpt ? `; the receiver answered: ${JSON.stringify(excerpt)}` : '';
    const line = `notification not delivered to contact point "${cp}" (${d.contactPoint.type}, ${d.status} ${rules})${attempts ? ` after ${attempts}` : ''}: ${error}${tail}${still}`;
    this.say(line);
  }

  /** A message was delivered: its contact point's failures are forgotten, and those not said are counted in one line. */
  private deliversAgain(d: Dispatch): void {
    const cp = d.contactPoint.name;
    for (const key of [...this.failureLines.keys()]) if (key.startsWith(`${cp}\u0000`)) this.failureLines.delete(key);
    const quiet = this.notRepeated.get(cp) ?? 0;
    this.notRepeated.delete(cp);
    if (quiet > 0 && this.options.warn) {
      this.say(`contact point "${cp}" (${d.contactPoint.type}) delivers again; ${countText(quiet, 'earlier failure')} ${quiet === 1 ? 'was' : 'were'} not repeated here (each is in the notification log)`);
    }
  }

  private say(line: string): void {
    try {
      this.options.warn?.(this.options.urls.redact(line));
    } catch {
      // a log line that cannot be written stops no delivery
    }
  }

  /** The start of an answer as one line of text, redacted, for an operator to read. */
  private excerpt(bytes: Buffer): string {
    if (bytes.length === 0) return '';
    const text = bytes
      .subarray(0, EXCERPT_CHARS * 4)
      .toString('utf8')
      .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ')
      .trim();
    const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text;
    return this.options.urls.redact(cut);
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

interface BoundedBody {
  bytes: Buffer;
  truncated: boolean;
}

/**
 * Reads at most `limit` bytes of a response body (decompressed, as the stream hands them over,
 * one chunk at a time) and cancels the rest, which closes the connection: neither a huge body
 * nor a small gzip body that inflates to gigabytes is ever held in memory.
 */
export async function readBounded(res: Response, limit: number): Promise<BoundedBody> {
  const stream = res.body;
  if (!stream) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  let truncated = false;
  let done = false;
  try {
    while (!done) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      const room = limit - n;
      if (next.value.byteLength > room) {
        if (room > 0) chunks.push(next.value.subarray(0, room));
        n += Math.max(0, room);
        truncated = true;
        break;
      }
      chunks.push(next.value);
      n += next.value.byteLength;
    }
  } catch {
    // the body broke off or timed out: what was read is the excerpt
    done = true;
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return { bytes: Buffer.concat(chunks, n), truncated };
}

/**
 * A Retry-After header's wait in ms: delta-seconds or an HTTP date (RFC 9110 10.2.3) in any of
 * its three forms (IMF-fixdate, RFC 850 "Sunday, 06-Nov-94 ...", asctime "Sun Nov  6 ..."),
 * all GMT (asctime names no zone: it is not local time); null when absent or neither.
 */
export function retryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3,9},? \S/.test(text)) return null;
  const when = Date.parse(/\bGMT$/i.test(text) ? text : `${text} GMT`);
  return Number.isFinite(when) ? Math.max(0, when - now) : null;
}

/**
 * Whether an attempt's outcome may change on a retry: a network error, a timeout, a 5xx or a 429
 * may, as Alertmanager's retrier judges them, and a 408 (the receiver timed out waiting for the
 * request, which RFC 9110 lets a client repeat); another 4xx or a redirect will not.
 */
function retryable(httpStatus: number | null): boolean {
  return httpStatus === null || httpStatus >= 500 || httpStatus === 408 || httpStatus === 429;
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? 'request failed'}: ${cause}` : (e?.message ?? String(err));
}

/** "2026-11-23 06:00:30 UTC". */
function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Why a message was not queued: its contact point already has `waiting` queued ("1 message"). */
export function queueFullText(waiting: number, contactPoint: string): string {
  return `not sent: ${countText(waiting, 'message')} already waiting for ${contactPoint}`;
}
