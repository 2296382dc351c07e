// Found by diskFull.int.test.ts (tmpfs variant): when the store refused a write (SQLITE_FULL,
// SQLITE_BUSY), the alert evaluator's periodic save threw out of a timer and ended the engine
// worker, and the CLI printed an empty "payops: error: ". The evaluator now keeps the records
// dirty and saves them once the store accepts writes again.
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../shared/alerts';
import type { AlertHistorySink } from '../core/alerts/alertHistoryStore';
import { AlertEvaluator } from '../core/alerts/alertEvaluator';
import { payments, rule, sec } from '../../test/support/alertTestKit';
import { workerErrorMessage } from '../core/threads/workerHandle';
import { Worker } from 'node:worker_threads';

class RefusingSink implements AlertHistorySink {
  refusing = true;
  attempts = 0;
  saved = new Map<string, AlertHistoryRecord>();
  saveInstances(records: readonly AlertHistoryRecord[]): void {
    this.attempts += 1;
    if (this.refusing) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    for (const r of records) this.saved.set(r.key, r);
  }
  acknowledge(): boolean {
    return false;
  }
  addResolveNote(): boolean {
    return false;
  }
  saveSilence(): void {}
  listSilences() {
    return [];
  }
}

describe('alert history when the store refuses writes', () => {
  it('keeps evaluating, does not throw, and saves the instances once the store accepts again', () => {
    const sink = new RefusingSink();
    const declines = rule({ name: 'declines', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '10s', severity: 'critical', noDataState: 'normal' });
    let wall = sec(1000);
    const e = new AlertEvaluator([declines], sink, { allowedLatenessMs: 0, now: () => wall });
    expect(() => e.observeEvents(payments(0, 120, 10, (s) => (s >= 30 ? 100 : 0)))).not.toThrow();
    expect(() => e.advanceTo(sec(130))).not.toThrow();
    expect(sink.attempts).toBeGreaterThan(0);
    expect(e.list().length).toBe(1);
    expect(sink.saved.size).toBe(0);

    // A refused save is tried again 5 s (wall time) later, not at every tick: a database
    // locked by another process makes each try block the engine thread for the busy timeout.
    sink.refusing = false;
    const tries = sink.attempts;
    e.advanceTo(sec(131));
    expect(sink.attempts).toBe(tries);
    wall += 5000;
    e.advanceTo(sec(132));
    expect([...sink.saved.keys()]).toEqual([e.list()[0].key]);
  });
});

// Found by the same run: the worker's uncaught SqliteError reached the main thread as a bare
// object ({ code }) without a message, and collect printed an empty "payops: error: ".
describe('an engine worker crash is described', () => {
  it('uses the message, else the code, never an empty text', async () => {
    const err = await new Promise<unknown>((resolve) => {
      const w = new Worker(
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(':memory:'); setTimeout(() => db.prepare('bogus').run(), 1);`,
        { eval: true },
      );
      w.once('error', resolve);
    });
    expect(workerErrorMessage(err)).toBe('engine worker crashed: SQLITE_ERROR');
    expect(workerErrorMessage(new Error('disk I/O error'))).toBe('disk I/O error');
    expect(workerErrorMessage(undefined)).toBe('engine worker crashed: undefined');
  });
});
