// The console's "Stored" line reads EngineSnapshot.totals. A duplicate (source, id) with a
// different body is quarantined and counted in conflictingDuplicates (payops stats --json), and
// the snapshot's totals carried no such figure: an operator watching the console saw one more
// quarantined message and nothing saying a producer had reused an id for another payment.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import type { EngineSnapshot } from '../../../shared/metrics';
import type { MetricsMessage } from '../../../shared/metricsStream';
import { composeEngine, type EngineSession } from './composeEngine';

const dir = tempDir('payops-snapshot-totals-');
const sessions: EngineSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.stop();
});

/** Replays `events` (one CloudEvent per line) into `db` to the end; the last snapshot sent, and the session. */
async function replay(db: string, name: string, events: unknown[]): Promise<{ last: EngineSnapshot; session: EngineSession }> {
  const file = path.join(dir, `${name}.ndjson`);
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  let drained = false;
  const sent: EngineSnapshot[] = [];
  const session = composeEngine(
    { dbFile: db, session: 'replay', replay: { file, speed: 'max' }, rulesFile: null },
    { snapshot: (s) => sent.push(s), log: () => undefined, drained: () => (drained = true) },
  );
  sessions.push(session);
  await session.start();
  await waitFor(() => drained, `the replay of ${name} to drain`, 20_000);
  await session.stop();
  return { last: sent[sent.length - 1], session };
}

describe('snapshot totals', () => {
  const first = paymentEvent('payment.authorized', { id: 'pay-evt-1' }, { amount: 500, currency: 'KWD' });
  const other = paymentEvent('payment.authorized', { id: 'pay-evt-2' }, { amount: 100, currency: 'JPY' });
  const conflicting = { ...first, data: { ...first.data, amount: 50_000 } };

  it('count conflicting duplicates beside duplicates and quarantined, from this session and from the database before it', async () => {
    const db = path.join(dir, 'totals.db');
    const a = await replay(db, 'first', [first, other, first, conflicting]);
    expect(a.last.totals).toMatchObject({ events: 2, duplicates: 1, quarantined: 1, conflictingDuplicates: 1 });
    expect(a.session.engine.snapshot().totals.conflictingDuplicates).toBe(1);
    // Alert notifications the evaluator dropped are counted for the notification log (none here).
    expect(a.last.notificationsDropped).toBe(a.session.alerting.notificationsDropped);
    expect(a.last.notificationsDropped).toBe(0);
    // A later session on the same database starts from what it holds, and adds its own.
    const again = { ...other, data: { ...other.data, amount: 101 } };
    const b = await replay(db, 'second', [again, paymentEvent('payment.declined', { id: 'pay-evt-3' })]);
    expect(b.last.totals).toMatchObject({ events: 3, duplicates: 1, quarantined: 2, conflictingDuplicates: 2 });
  });

  it('a follower adds the conflicting duplicates the collector published', async () => {
    const db = path.join(dir, 'follower-like.db');
    const { session } = await replay(db, 'empty', [first]);
    const message = { v: 1, collector: 'c', seq: 1, at: 1, rollups: [], counters: { quarantined: 3, conflicting_duplicates: 2 }, queueSamples: [], alerts: [] } as unknown as MetricsMessage;
    session.engine.observeFollowed([message]);
    expect(session.engine.snapshot().totals).toMatchObject({ events: 1, quarantined: 3, conflictingDuplicates: 2 });
  });
});
