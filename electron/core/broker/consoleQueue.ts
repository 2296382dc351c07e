// One console, one queue. Every console used to consume the same durable `payops.console`:
// a second operator starting payops with defaults got half of the events (the broker
// round-robins between consumers of one queue) and both dashboards were silently wrong.
// Now the default queue is the console's own, named after the host and a short id kept in
// the console's database (payops.console.<host>.<id>): the same across restarts (durable:
// nothing is lost while the console is closed), different for every installation, and given
// an x-expires (24 h by default) so that a console never started again leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { DEFAULT_QUEUE_EXPIRES_MS, LEGACY_SHARED_QUEUE, type BrokerConfig, type NamedQueueConfig } from './brokerConfig';

/** A short random id (8 hex digits) for a new installation. */
export function newConsoleId(): string {
  return randomBytes(4).toString('hex');
}

/** The host part of a queue name: the host name's first label, lower case, [a-z0-9-] only. */
export function queueHostPart(hostname: string): string {
  const first = hostname.split('.')[0] ?? '';
  const cleaned = first
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return cleaned || 'host';
}

export function consoleQueueName(hostname: string, consoleId: string): string {
  return `payops.console.${queueHostPart(hostname)}.${consoleId}`;
}

/** The queue this console consumes: the one configured, else its own. */
export function resolveConsoleQueue(config: BrokerConfig, hostname: string, consoleId: () => string): NamedQueueConfig {
  const named = config.queue?.trim();
  if (named) return { ...config, queue: named, ownQueue: false };
  return { ...config, queue: consoleQueueName(hostname, consoleId()), ownQueue: true };
}

/**
 * A saved profile's queue: the old default name, which the Settings form filled in by itself
 * and so only ever meant "the default", now means the console's own queue (undefined).
 */
export function profileQueue(queue: string | undefined): string | undefined {
  const q = queue?.trim();
  return q && q !== LEGACY_SHARED_QUEUE ? q : undefined;
}

/** The x-expires to declare (ms), or null for none. */
export function queueExpiresMs(config: NamedQueueConfig): number | null {
  if (config.queueType === 'stream') return null;
  const ms = config.queueExpiresMs ?? (config.ownQueue ? DEFAULT_QUEUE_EXPIRES_MS : 0);
  return ms > 0 ? Math.round(ms) : null;
}
