// The quarantine figures of `payops stats`: `quarantined` counts every message quarantined since
// the database began, `quarantineHeld` the rows it holds now (what the Quarantine tab lists),
// which must agree with the table after the retention or anything else deleted rows.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import { formatStatsText } from '../../cli/commands/statsCommand';
import type { IncomingMessage } from './eventWriter';
import { openStore } from './store';

const dir = tempDir('payops-qheld-');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

const refused = (body: string, arrivalMs: number): IncomingMessage => {
  const raw = { body: Buffer.from(body), arrivalMs, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw) };
};

/** A statement on a connection of its own, as an operator's sqlite3 shell would run it. */
function sql(file: string, statement: string): unknown {
  const db = new Database(file);
  try {
    const st = db.prepare(statement);
    return st.reader ? st.pluck().get() : st.run().changes;
  } finally {
    db.close();
  }
}

describe('quarantine figures', () => {
  it('after the retention: the total since the database began stays, what is held agrees with the table', () => {
    const file = path.join(dir, 'retention.db');
    const store = openStore(file);
    try {
      store.ingest.commit([refused('old 1', NOW - 10 * DAY), refused('old 2', NOW - 9 * DAY), refused('new', NOW - DAY)]);
      expect(store.stats()).toMatchObject({ quarantined: 3, quarantineHeld: 3 });
      store.applyRetention(7, NOW);
      const held = sql(file, 'SELECT COUNT(*) FROM quarantine');
      expect(held).toBe(1);
      expect(store.stats()).toMatchObject({ quarantined: 3, quarantineHeld: held });
      expect(store.quarantine.page({ order: 'desc' }, 100, 10)).toHaveLength(1);
      expect(formatStatsText(store.stats())).toContain('quarantined   3 since the database began, 1 held now');
    } finally {
      store.close();
    }
  });

  it('after rows are deleted by hand (an operator purging the table), what is held agrees with the table', () => {
    const file = path.join(dir, 'purged.db');
    const store = openStore(file);
    try {
      store.ingest.commit([refused('a', NOW), refused('b', NOW), refused('c', NOW)]);
      sql(file, "DELETE FROM quarantine WHERE body = CAST('b' AS BLOB)");
      expect(store.stats()).toMatchObject({ quarantined: 3, quarantineHeld: 2 });
      sql(file, 'DELETE FROM quarantine');
      expect(store.stats()).toMatchObject({ quarantined: 3, quarantineHeld: 0 });
      store.ingest.commit([refused('d', NOW)]);
      expect(store.stats()).toMatchObject({ quarantined: 4, quarantineHeld: 1 });
    } finally {
      store.close();
    }
  });
});

describe('stats while a collector writes', () => {
  it('reads every figure as of one commit: a batch committed between two reads does not show in one figure only', () => {
    const file = path.join(dir, 'concurrent.db');
    const collector = openStore(file);
    const reader = openStore(file, { readonly: true });
    try {
      collector.ingest.commit([refused('first', NOW)]);
      // A batch of refusals commits (another connection, as a collector beside `payops stats`)
      // right after the reader's first counter read.
      const value = reader.counters.value.bind(reader.counters);
      let committed = false;
      reader.counters.value = (name) => {
        const v = value(name);
        if (!committed) {
          committed = true;
          collector.ingest.commit([refused('second', NOW), refused('third', NOW)]);
        }
        return v;
      };
      const stats = reader.stats();
      expect(committed).toBe(true);
      expect(stats.quarantineHeld).toBe(stats.quarantined);
    } finally {
      reader.close();
      collector.close();
    }
  });
});
