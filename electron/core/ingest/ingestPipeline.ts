import { countText } from '../../../shared/countText';
import { decodeMessage } from '../../../shared/events/decode';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import type { BatchOutcome, EventWriter, IncomingMessage } from '../store/eventWriter';
import { backoffDelay, type BackoffOptions } from '../../../shared/backoff';
import { safeErrorMessage } from '../redact';
import { cutOversizedBody } from './oversizedBody';
import { ThrottledLine } from '../broker/throttledLine';

const NO_BODY = new Uint8Array(0);

/** Retrying a batch the store refused (disk full, a lock): soon at first, every 5 s at most. */
const STORE_RETRY: BackoffOptions = { initialMs: 250, maxMs: 5000, jitter: 0 };

export interface PipelineInput {
  /** A valid message's body is let go once the tap has seen it (`raw.body` becomes empty): nothing after reads it. */
  raw: RawMessage;
  redelivered?: boolean;
  origin?: string;
  /** Opaque token handed back to `acknowledge` once the batch holding it has committed. */
  ackToken?: unknown;
  /**
   * The decode result when the source has already decoded the message (a replay decodes to
   * pace by event time) or has decided to quarantine it (a capture line that could not be
   * read: `{ ok: false, reason }`). The pipeline then does not decode again.
   */
  decoded?: DecodeResult;
}

export interface PipelineOptions {
  batchSize: number;
  flushMs: number;
  maxBodyBytes?: number;
  /** Called after commit with the newest token of the batch and how many messages it covers. */
  acknowledge?: (token: unknown, count: number) => void;
  onCommitted?: (outcome: BatchOutcome) => void;
  /** Ingest paused (the reason, and whether another process's lock is the cause) or resumed (null). */
  onPause?: (reason: string | null, locked: boolean) => void;
  /** Sees every message as decoded, before it is stored (capture recording). */
  tap?: (raw: RawMessage, result: DecodeResult) => void;
  log?: (line: string) => void;
}

/**
 * decode -> batch (N messages or T ms) -> one SQLite transaction -> acknowledge.
 * A batch that cannot commit (disk full, database locked) is kept and retried; nothing is
 * acknowledged until it commits, so the broker holds the rest (prefetch bounds the batch).
 */
export class IngestPipeline {
  private batch: IncomingMessage[] = [];
  private lastToken: unknown = undefined;
  private tokens = 0;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAttempt = 0;
  pausedReason: string | null = null;
  committedBatches = 0;
  /** What threw after a commit (a listener): one line per 10 s, as it can throw on every batch. */
  private readonly afterCommitLine = new ThrottledLine((line) => this.options.log?.(line));
  private readonly tapFailedLine = new ThrottledLine((line) => this.options.log?.(line));

  constructor(
    private readonly writer: EventWriter,
    private readonly options: PipelineOptions,
  ) {}

  get pending(): number {
    return this.batch.length;
  }

  /**
   * Throws on no message (decoding never does: fuzzStore.test.ts): it runs in the loop handing
   * a chunk of deliveries over, and one that threw left the rest of the chunk unpushed (the next
   * acknowledgement, multiple, took it along unstored) and ended the engine thread, again at each
   * restart on a classic queue, which counts no deliveries.
   */
  push(input: PipelineInput): void {
    const decoded = input.decoded ?? decodeMessage(input.raw, { maxBodyBytes: this.options.maxBodyBytes });
    // The tap (capture) records the whole body, so a replay refuses it for the same reason. A
    // capture that cannot record a message leaves it out (and says so): it is stored all the same.
    try {
      this.options.tap?.(input.raw, decoded);
    } catch (err) {
      this.tapFailedLine.say(`capture: a message could not be recorded, left out of the capture (stored all the same): ${safeErrorMessage(err)}`);
    }
    // Only a quarantined message's body is stored, and of an oversized one its first bytes.
    // Holding every valid one until its batch commits (up to 10,000 in a replay) grew what each
    // young-generation collection copies, and the external memory that triggers them: a PaySim
    // replay ran 5-8 % slower.
    const result = cutOversizedBody(input.raw, decoded);
    if (result.ok) input.raw.body = NO_BODY;
    this.batch.push({ raw: input.raw, result, redelivered: input.redelivered, origin: input.origin });
    if (input.ackToken !== undefined) {
      this.lastToken = input.ackToken;
      this.tokens += 1;
    }
    if (this.pausedReason) return;
    if (this.batch.length >= this.options.batchSize) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Commits what is pending; returns false (and schedules a retry) if the store refused. */
  flush(): boolean {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.batch.length === 0) return true;
    let outcome: BatchOutcome;
    try {
      outcome = this.writer.commit(this.batch);
    } catch (err) {
      this.pauseForRetry(err);
      return false;
    }
    const token = this.lastToken;
    const count = this.tokens;
    this.batch = [];
    this.lastToken = undefined;
    this.tokens = 0;
    this.committedBatches += 1;
    if (this.pausedReason) {
      this.options.log?.(`ingest resumed: the held batch of ${countText(outcome.inserted.length + outcome.duplicates + outcome.quarantined, 'message')} committed`);
      this.pausedReason = null;
      this.retryAttempt = 0;
      this.options.onPause?.(null, false);
    }
    // The batch is stored: nothing after this may throw out of flush. It runs inside push, in
    // the loop handing a chunk of deliveries over: the rest of the chunk was never pushed (and
    // the next acknowledgement, multiple, took it along unstored), and the engine thread ended.
    if (token !== undefined) this.afterCommit('acknowledging it', () => this.options.acknowledge?.(token, count));
    this.afterCommit('after it committed', () => this.options.onCommitted?.(outcome));
    return true;
  }

  private afterCommit(what: string, step: () => void): void {
    try {
      step();
    } catch (err) {
      this.afterCommitLine.say(`a batch was stored, but ${what} failed: ${safeErrorMessage(err)} (ingest goes on)`);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = null;
    this.retryTimer = null;
  }

  private pauseForRetry(err: unknown): void {
    const reason = describeStoreError(err);
    if (this.pausedReason !== reason) {
      this.options.log?.(`ingest paused, nothing acknowledged: ${reason}`);
      this.options.onPause?.(reason, isLockError(err));
    }
    this.pausedReason = reason;
    if (this.retryTimer) return;
    const delay = backoffDelay(++this.retryAttempt, STORE_RETRY);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, delay);
  }
}

function isLockError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function describeStoreError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'disk full: the database cannot grow (free space, then ingest resumes)';
  if (isLockError(err)) {
    return 'database locked by another process (ingest resumes when it is released)';
  }
  if (code === 'SQLITE_READONLY') return 'database is read-only';
  if (code.startsWith('SQLITE_IOERR')) return `disk I/O error (${code})`;
  return `store error: ${safeErrorMessage(err)}`;
}
