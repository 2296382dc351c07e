// The stream guard counts only reads that store nothing: a console started again and again on a
// stream (each process storing what it reads) never has a message committed alone or quarantined.
// Real store; chunks as the intake hands them over, each read a new consumer thread (started()).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../store/store';
import type { ReviewedDelivery } from './deliveryGuard';
import { StreamAttemptGuard } from './streamAttemptGuard';

const dir = tempDir('payops-stream-guard-');
const config = { queue: 'guard.stream', queueType: 'stream' as const };

function chunk(from: number, n: number): ReviewedDelivery[] {
  return Array.from({ length: n }, (_, i) => {
    const raw = {
      body: Buffer.from(JSON.stringify(paymentEvent('payment.authorized', { id: `sg-${from + i}` }))),
      routingKey: 'payment.authorized',
      contentType: null,
      headers: { 'x-stream-offset': from + i },
      arrivalMs: Date.now(),
    };
    return { raw, redelivered: false, decoded: decodeMessage(raw) };
  });
}

describe('reads of a stream', () => {
  it('that store what they read count nothing, however often the console starts', () => {
    const store = openStore(path.join(dir, 'restarts.db'));
    try {
      const guard = StreamAttemptGuard.wire(store, config, () => undefined)!;
      let next = 0;
      for (let read = 0; read < 8; read++) {
        guard.started();
        const items = chunk(next, 3);
        expect(guard.reviews()).toBe(true);
        guard.review(items);
        expect(items.every((d) => d.decoded.ok && !d.alone)).toBe(true);
        store.ingest.commit(items.map((d) => ({ raw: d.raw, result: d.decoded })));
        next += 3;
        // The rest of the read goes straight on.
        expect(guard.reviews()).toBe(false);
      }
      expect(store.streamAttempts.get(config.queue)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('that store nothing count from the offset they start at; one starting elsewhere counts afresh', () => {
    const store = openStore(path.join(dir, 'nothing.db'));
    try {
      const guard = StreamAttemptGuard.wire(store, config, () => undefined)!;
      for (let read = 1; read <= 3; read++) {
        guard.started();
        guard.review(chunk(10, 2));
      }
      expect(store.streamAttempts.get(config.queue)).toEqual({ next: 10, attempts: 3, handedTo: 11 });
      guard.started();
      const elsewhere = chunk(12, 2);
      guard.review(elsewhere);
      expect(elsewhere.some((d) => d.alone)).toBe(false);
      expect(store.streamAttempts.get(config.queue)).toEqual({ next: 12, attempts: 1, handedTo: 13 });
      expect(StreamAttemptGuard.wire(store, { queue: 'q', queueType: 'classic' }, () => undefined)).toBeNull();
    } finally {
      store.close();
    }
  });
});
