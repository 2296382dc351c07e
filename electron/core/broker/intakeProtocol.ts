import type { ConnectionStatus, QueueDepth } from '../../../shared/metrics';

/**
 * Deliveries cross from the consumer thread to the engine thread in chunks: the bodies
 * packed into one transferred ArrayBuffer (no copy on the way), the rest in parallel arrays.
 */
export interface DeliveryChunk {
  type: 'deliveries';
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
}

export type ToIntake =
  | { type: 'ack'; generation: number; tag: number; count: number }
  | { type: 'call'; id: number; method: 'drainState' | 'pause' | 'stop' };

export type FromIntake =
  | DeliveryChunk
  | { type: 'started' }
  | { type: 'startFailed'; error: string; kind: string }
  | { type: 'status'; status: ConnectionStatus }
  | { type: 'queues'; samples: QueueDepth[] }
  | { type: 'log'; line: string }
  | { type: 'reply'; id: number; result: unknown };

export interface DrainState {
  inFlight: number;
  ready: number | null;
  connected: boolean;
}
