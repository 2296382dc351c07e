// Test support: fill a store from the demo capture or from generated events.
import type { Database } from 'better-sqlite3';
import path from 'node:path';
import { decodeMessage } from '../../shared/events/decode';
import { openCaptureReader } from '../../electron/core/capture';
import { EventWriter, type IncomingMessage } from '../../electron/core/store/eventWriter';

// The repository's copy (test/ always runs from its sources).
export const DEMO_CAPTURE = path.resolve(__dirname, '../../electron/core/demo/paysim-demo.ndjson.gz');

/** Stores the demo capture (39,509 events) through the real decoder and writer. */
export async function loadDemoCapture(db: Database, limit = Infinity): Promise<number> {
  const writer = new EventWriter(db);
  let batch: IncomingMessage[] = [];
  let n = 0;
  for await (const rec of openCaptureReader(DEMO_CAPTURE)) {
    if (!('raw' in rec)) continue;
    batch.push({ raw: rec.raw, result: decodeMessage(rec.raw) });
    n += 1;
    if (batch.length >= 2000) {
      writer.commit(batch);
      batch = [];
    }
    if (n >= limit) break;
  }
  writer.commit(batch);
  return n;
}

/** Stores CloudEvent objects (arrival = event time, routing key = type). */
export function storeEvents(db: Database, events: Record<string, unknown>[]): void {
  const writer = new EventWriter(db);
  const items: IncomingMessage[] = events.map((e) => {
    const body = Buffer.from(JSON.stringify(e));
    const raw = { body, headers: null, contentType: 'application/cloudevents+json', routingKey: String(e.type), arrivalMs: Date.parse(String(e.time ?? '')) || 0 };
    return { raw, result: decodeMessage(raw) };
  });
  for (let i = 0; i < items.length; i += 2000) writer.commit(items.slice(i, i + 2000));
}

/** Stores raw (possibly invalid) bodies so that they are quarantined. */
export function storeRaw(db: Database, bodies: { body: Buffer; routingKey?: string; headers?: Record<string, unknown>; arrivalMs: number }[]): void {
  const writer = new EventWriter(db);
  writer.commit(
    bodies.map((b) => {
      const raw = { body: b.body, headers: b.headers ?? null, contentType: null, routingKey: b.routingKey ?? null, arrivalMs: b.arrivalMs };
      return { raw, result: decodeMessage(raw) };
    }),
  );
}

/**
 * Payments started in [from, to) and how many were approved, by plain SQL over the stored
 * events: a payment is the attempts (authorized, declined, failed) of one paymentId (an attempt without one is its
 * own), started at its earliest, approved if any attempt was.
 */
export function sqlPayments(db: Database, from: number, to: number): { payments: number; approvedPayments: number } {
  return db
    .prepare(
      `WITH p AS (SELECT MIN(time_ms) AS start, MAX(type = 'payment.authorized') AS ok FROM events
         WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') GROUP BY COALESCE(payment_id, 'seq:' || seq))
       SELECT COUNT(*) AS payments, COALESCE(SUM(ok), 0) AS approvedPayments FROM p WHERE start >= ? AND start < ?`,
    )
    .get(from, to) as { payments: number; approvedPayments: number };
}
