// A replay defers the explorer's indexes and builds them at its end, unless the database
// already holds so many events that the build would read far more than the replay stores: then
// it keeps them up as it goes and says so. Either way the indexes are whole when it ends.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { presentExplorerIndexes } from '../store/explorerIndexes';
import { openStore, type Store } from '../store/store';
import { bulkIndexPolicy } from './bulkIndexPolicy';
import type { EngineEmitter } from './engine';

const dir = tempDir('payops-bulkidx-');
let files = 0;

function storeWith(events: number): { store: Store; file: string } {
  const file = path.join(dir, `b-${++files}.db`);
  const store = openStore(file);
  store.ingest.commit(
    Array.from({ length: events }, () => {
      const raw = { body: Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), arrivalMs: 1000, routingKey: null };
      return { raw, result: decodeMessage(raw) };
    }),
  );
  return { store, file };
}

function emitter(lines: string[]): EngineEmitter {
  return { snapshot: () => undefined, log: (line) => lines.push(line) };
}

/** The explorer indexes present and whether the payment index's seals wait, as another connection sees them. */
function indexesOf(file: string): { explorer: string[]; paymentDeferred: number; merchantDeferred: number } {
  const db = new Database(file, { readonly: true });
  try {
    const paymentDeferred = db.prepare('SELECT deferred FROM event_payment_index_state').pluck().get() as number;
    const merchantDeferred = db.prepare('SELECT deferred FROM event_merchant_index_state').pluck().get() as number;
    return { explorer: [...presentExplorerIndexes(db)].sort(), paymentDeferred, merchantDeferred };
  } finally {
    db.close();
  }
}

const ALL = ['event_log_type_time'];

describe('the bulk index policy of a replay', () => {
  it('defers the indexes of a small database and builds them when the replay ends', () => {
    const { store, file } = storeWith(3);
    const lines: string[] = [];
    const policy = bulkIndexPolicy(store, true, emitter(lines), 10);
    expect(indexesOf(file)).toEqual({ explorer: [], paymentDeferred: 1, merchantDeferred: 1 });
    policy.finish();
    expect(indexesOf(file)).toEqual({ explorer: ALL, paymentDeferred: 0, merchantDeferred: 0 });
    expect(lines).toContainEqual(expect.stringMatching(/^built 3 explorer indexes in \d+ ms$/));
    store.close();
  });

  it('keeps them up in a database that already holds many events, and says so', () => {
    const { store, file } = storeWith(12);
    const lines: string[] = [];
    const policy = bulkIndexPolicy(store, true, emitter(lines), 10);
    expect(indexesOf(file)).toEqual({ explorer: ALL, paymentDeferred: 0, merchantDeferred: 0 });
    expect(lines).toEqual(["the database holds about 12 events: the explorer's indexes are kept up during this replay (building them at its end would read them all)"]);
    policy.finish();
    expect(lines).toHaveLength(1);
    store.close();
  });
});
