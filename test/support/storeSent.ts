// Test support without vitest (a child process of a test imports it too): CloudEvents stored
// through the real decoder and writer, in arrival order.
import type { Database } from 'better-sqlite3';
import { decodeMessage } from '../../shared/events/decode';
import { EventWriter, type BatchOutcome, type IncomingMessage } from '../../electron/core/store/eventWriter';

export interface Sent {
  /** A CloudEvent (structured JSON). */
  event: object;
  arrivalMs: number;
}

/** Stores CloudEvents through the real decoder and writer in arrival order, `batch` at a time. */
export function storeInArrivalOrder(db: Database, sent: readonly Sent[], batch: number, writer = new EventWriter(db)): BatchOutcome[] {
  const ordered = sent.map((s, i) => ({ ...s, i })).sort((a, b) => a.arrivalMs - b.arrivalMs || a.i - b.i);
  const outcomes: BatchOutcome[] = [];
  for (let i = 0; i < ordered.length; i += batch) {
    const items: IncomingMessage[] = ordered.slice(i, i + batch).map((s) => {
      const raw = { body: Buffer.from(JSON.stringify(s.event)), headers: null, contentType: 'application/cloudevents+json', routingKey: String((s.event as { type?: unknown }).type), arrivalMs: s.arrivalMs };
      return { raw, result: decodeMessage(raw) };
    });
    outcomes.push(writer.commit(items));
  }
  return outcomes;
}

