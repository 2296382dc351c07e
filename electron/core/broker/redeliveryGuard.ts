// Thread: the engine thread. A message that ends the process each time it is handled (or whose
// batch never commits before the process goes) comes back marked redelivered in the next
// process, for ever: a crash loop. A quorum queue counts deliveries (x-delivery-count); a
// classic queue does not, and the consumer thread's count of failures lives in memory, so it
// started again at 0 in each process. Here each redelivery of a message not yet stored is
// counted in the database (migration 376), committed BEFORE the message is handed on; the
// ingest transaction that stores the message deletes its count. At MAX_TAKE_ATTEMPTS
// deliveries the message is quarantined unread (stored, then acknowledged: nothing lost).
// The first two redeliveries (any restart or lost channel makes many) are counted with their
// chunk, in one transaction. From the fourth delivery on, a message is counted as it is handed on, and
// committed in a batch of its own: what was in flight beside the culprit gets stored, and what
// came behind it, never handed on while it ended each process, is not counted toward the limit.
import type { RawMessage } from '../../../shared/events/eventTypes';
import type { Store } from '../store/store';
import { safeErrorMessage } from '../redact';
import type { NamedQueueConfig } from './brokerConfig';
import { MAX_TAKE_ATTEMPTS } from './brokerConsumer';
import type { DeliveryGuard, ReviewedDelivery } from './deliveryGuard';
import type { DeliveryChunk } from './intakeProtocol';
import { redeliveryKey } from './redeliveryKey';
import { ThrottledLine } from './throttledLine';

/**
 * From this many deliveries on, a message is counted as it is handed on and committed alone (it
 * was in flight in three processes, or channels, that ended without storing it).
 */
export const ALONE_FROM_ATTEMPT = 4;
/** A count not added to for this long is of a message gone elsewhere (another consumer, a deleted queue). */
const IDLE_COUNT_MS = 7 * 24 * 3600_000;

export class RedeliveryGuard implements DeliveryGuard {
  /** The count key of each delivery counted, until the transaction storing it forgets the count. */
  private readonly keys = new WeakMap<RawMessage, string>();
  /**
   * Deliveries refused here: their counts are kept when they are stored, so that a copy
   * delivered again (the acknowledgement lost with the process) is refused unread too, and
   * found held in the quarantine, instead of being handled, and ending the process, again.
   */
  private readonly refused = new WeakSet<RawMessage>();
  /** The count of each message counted by this process (once each), until it is stored. */
  private readonly countedHere = new Map<string, number>();
  private readonly failedLine = new ThrottledLine((line) => this.log(line));
  private readonly quarantinedLine = new ThrottledLine((line) => this.log(line));
  private pruned = false;
  /** Whether any delivery has been keyed (review) in this process. */
  private keyedAny = false;

  private constructor(
    private readonly store: Pick<Store, 'deliveryAttempts'>,
    private readonly config: Pick<NamedQueueConfig, 'queue' | 'queueType'>,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The guard of `config`'s queue, its counts forgotten in each of the store's ingest
   * transactions; null for a stream (it redelivers nothing: it is read again from the stored
   * offset, and streamAttemptGuard.ts counts those reads).
   */
  static wire(store: Pick<Store, 'deliveryAttempts' | 'ingest'>, config: Pick<NamedQueueConfig, 'queue' | 'queueType'>, log: (line: string) => void): RedeliveryGuard | null {
    if (config.queueType === 'stream') return null;
    const guard = new RedeliveryGuard(store, config, log);
    store.ingest.also((items) => guard.stored(items));
    return guard;
  }

  /** Only a chunk holding a redelivery. */
  reviews(chunk: DeliveryChunk): boolean {
    return chunk.redelivered.includes(1);
  }

  /**
   * With a chunk, before any of it is handed on: counts the first two redeliveries of each
   * message delivered again (one transaction, committed on return); the later ones are counted
   * by handOn, and committed alone. A message is counted once per process (each process that
   * ends without storing it is one attempt), its copies with it. Should a count fail (a lock, a full disk), the messages go on
   * uncounted. Never throws.
   */
  review(items: ReviewedDelivery[]): void {
    const again = items.filter((d) => d.redelivered);
    if (again.length === 0) return;
    const keys = again.map((d) => this.keyOf(d.raw));
    // Each message once: copies of it (a publisher that retried) share its count, and one counted
    // by this process already (a lost channel delivered it again) is not counted twice.
    const fresh = [...new Set(keys)].filter((k) => !this.countedHere.has(k));
    const counts = this.count(fresh, Date.now(), ALONE_FROM_ATTEMPT - 2);
    if (counts === null) return;
    const deferred = new Set<string>();
    fresh.forEach((k, i) => (counts[i] > 0 ? this.countedHere.set(k, counts[i]) : deferred.add(k)));
    this.keyedAny = true;
    again.forEach((d, i) => {
      this.keys.set(d.raw, keys[i]);
      const counted = this.countedHere.get(keys[i]);
      if (counted !== undefined) this.judge(d, counted);
      else if (deferred.has(keys[i])) {
        d.countOnHandOn = true;
        d.alone = true;
      }
    });
  }

  /** Right before `d` is handed on: counts a redelivery review left to it (committed on return). Never throws. */
  handOn(d: ReviewedDelivery): void {
    if (!d.countOnHandOn) return;
    d.countOnHandOn = false;
    const key = this.keys.get(d.raw);
    if (key === undefined) return;
    let counted = this.countedHere.get(key);
    if (counted === undefined) {
      const counts = this.count([key], Date.now());
      if (counts === null) return;
      counted = counts[0];
      this.countedHere.set(key, counted);
    }
    this.judge(d, counted);
  }

  private count(keys: string[], now: number, below?: number): number[] | null {
    if (keys.length === 0) return [];
    try {
      if (!this.pruned) {
        this.pruned = true;
        this.store.deliveryAttempts.forgetIdle(now - IDLE_COUNT_MS);
      }
      return this.store.deliveryAttempts.countRedeliveries(this.config.queue, keys, now, below);
    } catch (err) {
      this.failedLine.say(`redelivered messages could not be counted (${safeErrorMessage(err)}): handed on uncounted`);
      return null;
    }
  }

  /** `redeliveries`: counted so far, this one included. */
  private judge(d: ReviewedDelivery, redeliveries: number): void {
    // The first delivery is not counted (nothing said it would fail). A quorum queue's own count
    // (x-delivery-count) is not taken: it counts deliveries never handed on too (those behind the
    // culprit each time), which would be quarantined with it.
    const attempts = redeliveries + 1;
    if (attempts >= ALONE_FROM_ATTEMPT) d.alone = true;
    if (!d.decoded.ok || attempts < MAX_TAKE_ATTEMPTS) return; // a refused one is quarantined anyway
    this.refused.add(d.raw);
    d.decoded = {
      ok: false,
      reason: `delivered ${attempts} times and never stored (each earlier delivery ended without its batch committing: a payops that stopped or crashed while handling it): quarantined unread rather than handled again`,
    };
    this.quarantinedLine.say(`a message delivered ${attempts} times without being stored: quarantined unread (a crash loop stopped)`);
  }

  /** In the ingest transaction: the counts of the messages it stores are forgotten (not those refused here: they go when idle). */
  private stored(items: readonly { raw: RawMessage }[]): void {
    // Until a redelivery is keyed, no transaction stores a counted message: ingest's path (each
    // batch's transaction) looks nothing up in a session that never sees one, nearly all.
    if (!this.keyedAny) return;
    const keys: string[] = [];
    for (const { raw } of items) {
      const key = this.keys.get(raw);
      if (key !== undefined && !this.refused.has(raw)) keys.push(key);
    }
    for (const key of keys) this.countedHere.delete(key);
    if (keys.length > 0) this.store.deliveryAttempts.forget(keys);
  }

  private keyOf(raw: RawMessage): string {
    return redeliveryKey(this.config.queue, raw.routingKey, raw.body);
  }
}
