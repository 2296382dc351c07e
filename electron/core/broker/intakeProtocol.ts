// What crosses between the engine thread and the consumer thread, beside the RPC itself
// (shared/rpc.ts): deliveries in chunks one way, acknowledgements the other, and the
// consumer's control service.
import type { DecodeResult } from '../../../shared/events/eventTypes';
import type { NamedQueueConfig } from './brokerConfig';

/** The consumer thread's workerData: the queue to consume, and the limit its decoding applies. */
export interface ConsumerThreadData {
  queue: NamedQueueConfig;
  maxBodyBytes?: number;
  /** The engine serves 'decodeAttempts': each redelivered message is counted there before it is decoded (decodeGate.ts). */
  countsDecodes?: boolean;
  /**
   * A stream's offset up to which the threads before this one (each ended by itself, or in a
   * process that died) had received: what this one reads up to there is decoded alone, counted
   * first, as a redelivery is.
   */
  suspectThrough?: number | null;
}

/**
 * Deliveries cross from the consumer thread to the engine thread in chunks: the bodies
 * packed into one transferred ArrayBuffer (no copy on the way), the rest in parallel arrays.
 */
export interface DeliveryChunk {
  generation: number;
  bodies: ArrayBuffer;
  /** Body i is bodies[offsets[i], offsets[i+1]). */
  offsets: Uint32Array;
  tags: Float64Array;
  arrivalMs: Float64Array;
  redelivered: Uint8Array;
  routingKeys: string[];
  contentTypes: (string | null)[];
  headers: (Record<string, unknown> | null)[];
  /** decodeMessage of each delivery (an event, or the reason to quarantine it), done on the consumer thread. */
  decoded: DecodeResult[];
}

/** Acknowledge up to `tag` (multiple) on channel `generation`, `count` messages in all. */
export interface AckMessage {
  generation: number;
  tag: number;
  count: number;
}

export interface DrainState {
  inFlight: number;
  ready: number | null;
  connected: boolean;
}

/** What the consumer thread serves as 'intake'. */
export interface IntakeControl {
  drainState(): Promise<DrainState>;
  /** Stops new deliveries; everything already received has been posted when this resolves. */
  pause(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What the engine serves the consumer thread as 'decodeAttempts' (decodeAttemptGuard.ts). The
 * thread calls `begin` before it decodes a message that may have ended the thread before it (a
 * redelivery; on a stream, one read again after a thread ended) and emits 'decodeFinished' (the
 * same key) once it has posted it: a count left is a decode that ended the thread, or the
 * process. A stream's thread calls `received` (an offset it has received up to, or a little past),
 * and waits for it, before it decodes what it received: a process started after this one died
 * knows what to suspect.
 */
export interface DecodeAttemptControl {
  /** Counts, committed on return, one more decode of message `key`: the reason to quarantine it unread instead, or null to decode it. */
  begin(key: string): string | null;
  /** A stream's begin, of the message read at `offset` (the reason names stream and offset). */
  beginRead(read: { key: string; offset: number }): string | null;
  /** A stream's: deliveries up to `offset` may have been received; committed on return. */
  received(offset: number): void;
}
