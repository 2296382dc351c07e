// The console's "Stored" line after the retention: a session started with --retention-days on a
// database holding older events and quarantined messages deletes them at once, and its totals
// went on counting them (the events and quarantined held when the session opened).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { decodeMessage } from '../../../shared/events/decode';
import type { EngineSnapshot } from '../../../shared/metrics';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { openStore } from '../store/store';
import { composeEngine, type EngineSession } from './composeEngine';

const dir = tempDir('payops-retention-totals-');
const DAY = 86_400_000;
const sessions: EngineSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.stop();
});

function message(value: unknown, arrivalMs: number) {
  const raw = { body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), arrivalMs, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw) };
}

describe('snapshot totals after the retention', () => {
  it('count what the database holds once the retention has deleted older rows', async () => {
    const db = path.join(dir, 'retained.db');
    const old = Date.now() - 10 * DAY;
    const store = openStore(db);
    store.ingest.commit([
      message(paymentEvent('payment.authorized', { id: 'old-1', time: new Date(old).toISOString() }), old),
      message(paymentEvent('payment.declined', { id: 'old-2', time: new Date(old).toISOString() }), old),
      message('not json (old)', old),
      message('not json (recent)', Date.now() - DAY),
    ]);
    store.close();

    const file = path.join(dir, 'recent.ndjson');
    fs.writeFileSync(file, `${JSON.stringify(paymentEvent('payment.authorized', { id: 'new-1', time: new Date().toISOString() }))}\n`);
    let drained = false;
    const sent: EngineSnapshot[] = [];
    const session = composeEngine(
      { dbFile: db, session: 'replay', replay: { file, speed: 'max' }, rulesFile: null, retentionDays: 7 },
      { snapshot: (s) => sent.push(s), log: () => undefined, drained: () => (drained = true) },
    );
    sessions.push(session);
    await session.start();
    await waitFor(() => drained, 'the replay to drain', 20_000);
    const totals = session.engine.snapshot().totals;
    await session.stop();

    const after = openStore(db, { readonly: true });
    const stats = after.stats();
    after.close();
    expect(stats).toMatchObject({ events: 1, quarantined: 2, quarantineHeld: 1 });
    expect(totals).toMatchObject({ events: stats.events, byType: stats.byType, quarantined: stats.quarantined, quarantineHeld: stats.quarantineHeld });
  });
});
