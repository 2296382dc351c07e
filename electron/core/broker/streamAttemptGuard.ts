// Thread: the engine thread. The redelivery guard's protection (redeliveryGuard.ts) for a stream
// queue. A stream redelivers nothing and marks nothing "redelivered": each new process reads it
// again from the offset stored with the events, so a message that ends the process each time it
// is handled came back for ever (the stored offset never passed it). Here each read is counted
// in the database (migration 378) before its first message is handed on: a read that starts at
// the offset the previous one started at stored nothing in between. The reads that did so record
// how far they handed on; from the fourth, that range is committed one message at a time (the
// row moving with the stored offset, in the same transaction), and at the fifth the message the
// reads stop at is quarantined unread: stored, and the offset past it stored in the same
// transaction (streamResume.ts). Reads that store something count nothing (the row is forgotten).
import type { RawMessage } from '../../../shared/events/eventTypes';
import type { Store } from '../store/store';
import type { StreamAttempts } from '../store/streamAttemptRepository';
import { safeErrorMessage } from '../redact';
import type { NamedQueueConfig } from './brokerConfig';
import { MAX_TAKE_ATTEMPTS } from './brokerConsumer';
import type { DeliveryGuard, ReviewedDelivery } from './deliveryGuard';
import { ALONE_FROM_ATTEMPT } from './redeliveryGuard';
import { streamOffsetOf } from './streamOffsetHeader';
import { ThrottledLine } from './throttledLine';

export class StreamAttemptGuard implements DeliveryGuard {
  /** The next chunk begins a read (a consumer thread started, at the stored offset). */
  private readStarting = true;
  /** The count of the current read, until it stores past where it started. */
  private row: StreamAttempts | null = null;
  /** Offsets up to this one are committed one at a time (null: none). */
  private aloneTo: number | null = null;
  /** The offset quarantined unread in this read. */
  private refuseAt: number | null = null;
  private readonly failedLine = new ThrottledLine((line) => this.log(line));

  private constructor(
    private readonly store: Pick<Store, 'streamAttempts'>,
    private readonly queue: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The guard of `config`'s queue when it is a stream (null otherwise), its rows moved or forgotten in each ingest transaction. */
  static wire(store: Pick<Store, 'streamAttempts' | 'ingest'>, config: Pick<NamedQueueConfig, 'queue' | 'queueType'>, log: (line: string) => void): StreamAttemptGuard | null {
    if (config.queueType !== 'stream') return null;
    const guard = new StreamAttemptGuard(store, config.queue, log);
    store.ingest.also((items) => guard.stored(items));
    return guard;
  }

  started(): void {
    this.readStarting = true;
    this.aloneTo = null;
    this.refuseAt = null;
  }

  /** Nearly every chunk goes straight on: only a read's first, those of a read already counted (how far it got), and those to commit one by one are reviewed. */
  reviews(): boolean {
    return this.readStarting || this.aloneTo !== null || this.tracking;
  }

  /** A read from an offset an earlier one started at too: how far it hands on is recorded before it does. */
  private get tracking(): boolean {
    return this.row !== null && this.row.attempts >= 2 && this.aloneTo === null;
  }

  /** With a chunk, before any of it is handed on (what it writes is committed on return). Never throws. */
  review(items: ReviewedDelivery[]): void {
    let first: number | null = null;
    let last: number | null = null;
    for (const d of items) {
      const o = streamOffsetOf(d.raw.headers);
      if (o === null) continue;
      if (first === null || o < first) first = o;
      if (last === null || o > last) last = o;
    }
    if (first === null || last === null) return;
    if (this.readStarting) {
      this.readStarting = false;
      this.count(first, last);
    } else if (this.tracking && last > this.row!.handedTo) {
      this.record({ ...this.row!, handedTo: last });
    }
    const aloneTo = this.aloneTo;
    if (aloneTo === null) return;
    for (const d of items) {
      const o = streamOffsetOf(d.raw.headers);
      if (o === null || o > aloneTo) continue;
      d.alone = true;
      if (o === this.refuseAt && d.decoded.ok) {
        d.decoded = {
          ok: false,
          reason: `read ${this.row?.attempts ?? MAX_TAKE_ATTEMPTS} times from stream offset ${o} and never stored (each earlier read ended without its batch committing: a payops that stopped or crashed while handling it): quarantined unread rather than handled again`,
        };
        this.log(`stream ${this.queue}: the message at offset ${o} was read ${this.row?.attempts ?? MAX_TAKE_ATTEMPTS} times without being stored: quarantined unread (a crash loop stopped)`);
      }
    }
    if (last >= aloneTo) this.aloneTo = null;
  }

  /** Counted with its chunk (review). */
  handOn(): void {}

  /** A read begins at `first`: one more attempt if the last read began there too. */
  private count(first: number, last: number): void {
    let before: StreamAttempts | null;
    try {
      before = this.store.streamAttempts.get(this.queue);
    } catch (err) {
      this.failedLine.say(`stream ${this.queue}: reads could not be counted (${safeErrorMessage(err)}): handed on uncounted`);
      return;
    }
    const again = before !== null && before.next === first;
    const row: StreamAttempts = again ? { next: first, attempts: before!.attempts + 1, handedTo: Math.max(before!.handedTo, last) } : { next: first, attempts: 1, handedTo: last };
    if (!this.record(row)) return;
    if (row.attempts < ALONE_FROM_ATTEMPT) return;
    this.aloneTo = row.handedTo;
    if (row.attempts >= MAX_TAKE_ATTEMPTS) this.refuseAt = first;
    this.log(
      `stream ${this.queue}: read ${row.attempts} times from offset ${first} without storing it (each earlier read ended first): offsets ${first}..${row.handedTo} are committed one at a time`,
    );
  }

  private record(row: StreamAttempts): boolean {
    try {
      this.store.streamAttempts.record(this.queue, row, Date.now());
      this.row = row;
      return true;
    } catch (err) {
      this.failedLine.say(`stream ${this.queue}: reads could not be counted (${safeErrorMessage(err)}): handed on uncounted`);
      return false;
    }
  }

  /** In the ingest transaction: a read that stores past its start forgets its count, unless its range is being committed one at a time (the count moves with it). */
  private stored(items: readonly { raw: RawMessage }[]): void {
    const row = this.row;
    if (row === null) return;
    let newest: number | null = null;
    for (const { raw } of items) {
      const o = streamOffsetOf(raw.headers);
      if (o !== null && (newest === null || o > newest)) newest = o;
    }
    if (newest === null || newest < row.next) return;
    // The message it began at is stored (handled, or quarantined unread at the limit): what
    // follows is counted afresh, unless still in the range being committed one at a time.
    if (row.attempts < ALONE_FROM_ATTEMPT || row.attempts >= MAX_TAKE_ATTEMPTS || newest >= row.handedTo) {
      this.store.streamAttempts.forget(this.queue);
      this.row = null;
      return;
    }
    this.row = { ...row, next: newest + 1 };
    this.store.streamAttempts.put(this.queue, this.row, Date.now());
  }
}
