// What the engine's intake asks of a guard against a message that ends the process each time it
// is handled (a crash loop): redeliveryGuard.ts (classic and quorum queues), streamAttemptGuard.ts (streams).
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import type { DeliveryChunk } from './intakeProtocol';

/** One delivery as the engine receives it; `decoded` and `alone` may be changed by `review`. */
export interface ReviewedDelivery {
  raw: RawMessage;
  redelivered: boolean;
  decoded: DecodeResult;
  /** Commit it in a batch of its own. */
  alone?: boolean;
  /** Counted as it is handed on (handOn), not with its chunk. */
  countOnHandOn?: boolean;
}

/**
 * Keeps a message that ends the process each time it is handled from looping for ever: counts,
 * in the database, what comes again before it is handed on, and marks what to commit alone or
 * quarantine unread (redeliveryGuard.ts for classic and quorum queues, streamAttemptGuard.ts for streams).
 */
export interface DeliveryGuard {
  /** Whether `chunk` is to be reviewed: false for nearly all (ingest's critical path). */
  reviews(chunk: DeliveryChunk): boolean;
  review(items: ReviewedDelivery[]): void;
  /** Right before `d` is handed on. */
  handOn(d: ReviewedDelivery): void;
  /** A consumer thread starts (a new read of a stream, from its stored offset). */
  started?(): void;
}

