// The follower's apply on a real SQLite file: messages and the next offset in one
// transaction, each (collector, seq) applied once, skips counted, gaps reported; and the
// collector's outbox in order, forgotten only up to what was confirmed.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsMessage } from '../../../shared/metricsStream';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from './store';

const dir = tempDir('payops-metrics-repo-');

function message(collector: string, seq: number, n: number): MetricsMessage {
  return {
    v: 1,
    collector,
    seq,
    at: 1,
    rollups: [
      { sec: 100, dim: 'type', key: 'payment.authorized', count: n, amount: 0 },
      { sec: 100, dim: 'authorized', key: 'EUR', count: n, amount: n * 10 },
    ],
    counters: { duplicates: 1 },
    queueSamples: [{ at: 5, queue: 'q', messages: 3, consumers: 1 }],
    alerts: [],
  };
}

describe('metrics stream repository', () => {
  it('applies each (collector, seq) once and stores the next offset with the data', () => {
    const store = openStore(path.join(dir, 'f.db'));
    try {
      const r = store.metricsStream;
      const first = r.applyBatch('s', [{ offset: 0, message: message('a', 1, 2) }, { offset: 1, skip: 'not JSON' }, { offset: 2, message: message('b', 1, 3) }], 10);
      expect({ applied: first.applied, skipped: first.skipped, duplicates: first.duplicates }).toEqual({ applied: 2, skipped: 1, duplicates: 0 });
      const again = r.applyBatch('s', [{ offset: 0, message: message('a', 1, 2) }, { offset: 3, message: message('a', 4, 1) }], 11);
      expect({ applied: again.applied, duplicates: again.duplicates, gaps: again.gaps }).toEqual({ applied: 1, duplicates: 1, gaps: [{ collector: 'a', expected: 2, got: 4 }] });
      expect(store.stats().byType).toEqual({ 'payment.authorized': 6 });
      expect(store.stats().authorizedAmountByCurrency).toEqual({ EUR: 60 });
      expect(store.stats().duplicates).toBe(3);
      expect(r.position('s')).toEqual({ nextOffset: 4, applied: 3, duplicates: 1, skipped: 1, lastSkip: 'offset 1: not JSON' });
      expect(r.sources().map((s) => [s.collector, s.lastSeq])).toEqual([['a', 4], ['b', 1]]);
    } finally {
      store.close();
    }
  });

  it('keeps nothing of a batch whose transaction fails (offset included)', () => {
    const store = openStore(path.join(dir, 'g.db'));
    try {
      const bad = { ...message('a', 1, 2), alerts: [null as never] };
      expect(() => store.metricsStream.applyBatch('s', [{ offset: 0, message: bad }], 1)).toThrow();
      expect(store.metricsStream.position('s').nextOffset).toBeNull();
      expect(store.stats().events).toBe(0);
    } finally {
      store.close();
    }
  });

  it('gives the outbox back in order and forgets only what was confirmed', () => {
    const store = openStore(path.join(dir, 'c.db'));
    try {
      const r = store.metricsStream;
      for (let i = 0; i < 3; i++) r.appendOutbox(i, { rollups: [], counters: { quarantined: i + 1 }, queueSamples: [], alerts: [] });
      const rows = r.pendingOutbox(10);
      expect(rows.map((x) => JSON.parse(x.body).counters.quarantined)).toEqual([1, 2, 3]);
      r.removeOutbox(rows[1].seq);
      expect(r.pendingOutbox(10).map((x) => x.seq)).toEqual([rows[2].seq]);
      expect(r.outboxSize()).toBe(1);
    } finally {
      store.close();
    }
  });
});
