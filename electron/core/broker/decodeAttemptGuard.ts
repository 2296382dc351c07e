// Thread: the engine thread. A message that ends the consumer thread while it is decoded (an
// exception no try/catch holds, the stack blown, the heap exhausted: inside JSON.parse that
// aborts the whole process) never reaches the engine, so neither the redelivery guard nor the
// stream guard counted it: each new thread (or process) was delivered it first and died again,
// for ever, the queue stuck behind it. Here the consumer thread's decodes of what may have ended
// the thread before it (a redelivery; on a stream, what a thread that ended had received) are
// counted in the database (migration 384), committed before each begins, and forgotten when it
// finishes (decodeGate.ts, on the consumer thread). A count left is a decode that never
// finished. A first delivery is not counted (nothing said it would fail), so an unrelated crash
// costs an innocent message one count, forgotten as soon as it decodes. A stream marks nothing
// redelivered: how far its thread receives is committed (migration 386) before it decodes there,
// and deleted at a clean stop, so that a process started after one that died (not only a thread
// started after one that ended) decodes what the dead one had received alone, each counted.
import type { Store } from '../store/store';
import { safeErrorMessage } from '../redact';
import type { NamedQueueConfig } from './brokerConfig';
import { MAX_TAKE_ATTEMPTS } from './brokerConsumer';
import type { DecodeAttemptControl } from './intakeProtocol';
import { ThrottledLine } from './throttledLine';

/** A count not added to for this long is of a message gone elsewhere (quarantined long ago, another consumer, a deleted queue). */
const IDLE_COUNT_MS = 7 * 24 * 3600_000;
/** After a count fails (a lock, a full disk), decodes go on uncounted this long before the next try (each try may wait out the busy timeout). */
const RETRY_COUNT_MS = 10_000;

export class DecodeAttemptGuard implements DecodeAttemptControl {
  private pruned = false;
  private uncountedUntil = 0;
  private readonly failedLine = new ThrottledLine((line) => this.log(line));
  private readonly quarantinedLine = new ThrottledLine((line) => this.log(line));
  private receivedUpTo: number | null = null;

  private constructor(
    private readonly store: Pick<Store, 'decodeAttempts'>,
    private readonly config: Pick<NamedQueueConfig, 'queue' | 'queueType'>,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The guard of `config`'s queue (one per session, whatever consumer threads come and go). A
   * stream's: what a process that ended without a clean stop had received past the stored offset
   * is suspect from the start.
   */
  static wire(store: Pick<Store, 'decodeAttempts' | 'streamOffsets'>, config: Pick<NamedQueueConfig, 'queue' | 'queueType'>, log: (line: string) => void): DecodeAttemptGuard {
    const guard = new DecodeAttemptGuard(store, config, log);
    if (config.queueType === 'stream') guard.resume(store);
    return guard;
  }

  private resume(store: Pick<Store, 'decodeAttempts' | 'streamOffsets'>): void {
    let receivedTo: number | null;
    let next: number;
    try {
      receivedTo = store.decodeAttempts.receivedTo(this.config.queue);
      next = store.streamOffsets.next(this.config.queue) ?? 0;
    } catch (err) {
      this.failedLine.say(`stream ${this.config.queue}: how far the last read got could not be read (${safeErrorMessage(err)}): decoded uncounted`);
      return;
    }
    if (receivedTo === null || receivedTo < next) return;
    this.receivedUpTo = receivedTo;
    this.log(`stream ${this.config.queue}: a read that ended the process left offsets ${next}..${receivedTo} unfinished: decoded one at a time, each counted first`);
  }

  /**
   * A stream: the offset up to which consumer threads have received (null before any), committed.
   * A stream redelivers nothing and marks nothing redelivered; a thread started after one ended
   * (the engine starts one only then), or a process after one that died, reads again from the
   * stored offset, and decodes what the ended ones had received alone, each counted first.
   */
  get receivedTo(): number | null {
    return this.receivedUpTo;
  }

  /** A stream's consumer thread may receive up to `offset`: committed on return, before it decodes any of them. Never throws. */
  received(offset: number): void {
    if (!Number.isSafeInteger(offset) || (this.receivedUpTo !== null && offset <= this.receivedUpTo)) return;
    try {
      this.store.decodeAttempts.receiving(this.config.queue, offset, Date.now());
    } catch (err) {
      // Still suspected within this process; a process started after this one dies does not know.
      this.failedLine.say(`stream ${this.config.queue}: how far it was received could not be stored (${safeErrorMessage(err)}): a crash now is not counted`);
    }
    this.receivedUpTo = offset;
  }

  /** Everything received is stored (a clean stop): a process started next suspects nothing. Never throws. */
  stopped(): void {
    if (this.config.queueType !== 'stream' || this.receivedUpTo === null) return;
    try {
      this.store.decodeAttempts.forgetReceived(this.config.queue);
    } catch (err) {
      this.failedLine.say(`stream ${this.config.queue}: the finished read could not be forgotten (${safeErrorMessage(err)}): the next start decodes up to offset ${this.receivedUpTo} one at a time`);
    }
  }

  /**
   * Before the consumer thread decodes a message that may have ended the thread before it: one
   * more decode of it counted. At its MAX_TAKE_ATTEMPTS-th delivery, or read (the first, never
   * counted, and each decode since having ended before it finished) it is quarantined unread:
   * stored, then acknowledged (a stream's offset stored past it). Its count is kept, so that a
   * copy delivered again (the acknowledgement lost) is refused unread too. Never throws.
   */
  begin(key: string): string | null {
    return this.count(key, null);
  }

  /** A stream's begin: of the message read at `offset`, named in the reason it is quarantined for. */
  beginRead(read: { key: string; offset: number }): string | null {
    return this.count(read.key, read.offset);
  }

  private count(key: string, offset: number | null): string | null {
    const now = Date.now();
    if (now < this.uncountedUntil) return null;
    let attempts: number;
    try {
      if (!this.pruned) {
        this.pruned = true;
        this.store.decodeAttempts.forgetIdle(now - IDLE_COUNT_MS);
      }
      attempts = this.store.decodeAttempts.begin(this.config.queue, key, now);
    } catch (err) {
      this.uncountedUntil = now + RETRY_COUNT_MS;
      this.failedLine.say(`messages delivered again could not be counted before their decode (${safeErrorMessage(err)}): decoded uncounted`);
      return null;
    }
    const deliveries = attempts + 1;
    if (deliveries < MAX_TAKE_ATTEMPTS) return null;
    const ended = attempts - 1;
    const at = offset === null ? '' : `: the message at offset ${offset}`;
    this.quarantinedLine.say(`queue ${this.config.queue}: a message whose decode ended the consumer thread ${ended} times: quarantined unread (a crash loop stopped)${at}`);
    return (
      `${this.config.queueType === 'stream' ? 'read' : 'delivered'} ${deliveries} times and never decoded to the end: each of its last ${ended} decodes ended the consumer thread, or the process, ` +
      'before it could be handed on (a crash: an uncaught exception, the stack or the heap exhausted): quarantined unread rather than decoded again' +
      (offset === null ? '' : ` (stream ${this.config.queue}, offset ${offset})`)
    );
  }

  /** The consumer thread decoded `key` and handed it on: nothing ended while it ran. Never throws. */
  finished(key: string): void {
    try {
      this.store.decodeAttempts.finished(key);
    } catch (err) {
      // Left counted: a later delivery of it counts one more than it should, no more.
      this.failedLine.say(`a finished decode could not be forgotten (${safeErrorMessage(err)})`);
    }
  }
}
