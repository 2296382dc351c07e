// The first connection of a broker client that must give up (a CLI's --connect-retries): the
// broker consumer's and the metrics follower's one loop, so both exit the same way (named
// refusal at once: CLI exit 5, 6 or 7; unreachable after the budget: exit 2).
import { setTimeout as sleep } from 'node:timers/promises';
import { countText } from '../../../shared/countText';
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import { redactUrl, safeErrorMessage } from '../redact';
import { brokerRefusal, BrokerUnreachableError } from './brokerErrors';

export interface ConnectRetries {
  /** The broker's URL (only its redacted form is ever said). */
  url: string;
  /** Retries after the first attempt before giving up. */
  retries: number;
  backoff: BackoffOptions;
  /** One connection attempt. */
  attempt(): Promise<void>;
  /** True once the client is stopping: no more attempts, no error. */
  stopping(): boolean;
  /** Aborted when the client stops: the wait before the next attempt ends then, not after its backoff (up to maxMs). */
  signal?: AbortSignal;
  /** Errors no retry can fix, given up on at once as unreachable (the broker named nothing). */
  permanent?(err: unknown): boolean;
  /** Before waiting for retry number `retry` (1 for the first) after `message`. */
  onRetry(message: string, retry: number): void;
  /** Given up: `message` is what the thrown error says. */
  onGiveUp(message: string): void;
}

/**
 * Attempts to connect, up to `retries` more times with backoff. Rejects at once with the
 * named refusal when the broker answers and refuses (credentials, vhost, queue arguments),
 * and with BrokerUnreachableError once the budget is spent; resolves when connected or stopping.
 */
export async function connectWithRetries(o: ConnectRetries): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await o.attempt();
      return;
    } catch (err) {
      if (o.stopping()) return;
      const refusal = brokerRefusal(err, o.url);
      if (refusal) {
        o.onGiveUp(refusal.message);
        throw refusal;
      }
      const message = safeErrorMessage(err);
      if (attempt >= o.retries || o.permanent?.(err)) {
        o.onGiveUp(message);
        throw new BrokerUnreachableError(`cannot reach broker ${redactUrl(o.url)} after ${countText(attempt + 1, 'attempt')}: ${message}`);
      }
      o.onRetry(message, attempt + 1);
      await sleep(backoffDelay(attempt + 1, o.backoff), undefined, { signal: o.signal }).catch(() => undefined);
      if (o.stopping()) return;
    }
  }
}
