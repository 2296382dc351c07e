// Two payops opening the same older database at once: each migration is applied once, by
// whichever takes the write lock first (no "table ... already exists"), and each goes on or
// says the file's lock was held too long.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import type { RawMessage } from '../../shared/events/eventTypes';
import { DEMO_CAPTURE } from '../../test/support/explorerTestKit';
import { decoded, legacyEventWriter, migrateToLegacySchema } from '../../test/support/legacyEventStore';
import { openCaptureReader } from '../core/capture';
import { NEWEST_VERSION } from '../core/store/migrate';

const dir = tempDir('payops-migration-race-');

describe('an older database opened by several payops at once', () => {
  it('is migrated once; every replay into it stores its events', async () => {
    // The demo capture stored by the payops before migration 120: migrating it takes seconds,
    // so the replays started together all find it unmigrated.
    const file = path.join(dir, 'v115.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrateToLegacySchema(db);
    const writer = legacyEventWriter(db);
    let batch: RawMessage[] = [];
    for await (const rec of openCaptureReader(DEMO_CAPTURE)) {
      if ('raw' in rec) batch.push(rec.raw);
      if (batch.length === 5000) {
        writer.commit(decoded(batch));
        batch = [];
      }
    }
    writer.commit(decoded(batch));
    const stored = db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    db.close();
    const captures = [0, 1, 2].map((k) => {
      const capture = path.join(dir, `part-${k}.ndjson`);
      fs.writeFileSync(capture, `${Array.from({ length: 5 }, () => JSON.stringify(paymentEvent('payment.authorized'))).join('\n')}\n`);
      return capture;
    });
    const results = await Promise.all(captures.map((capture) => runPayops(['replay', capture, '--db', file, '--append', '--json'])));
    // Each migration once: no replay fails with "table ... already exists". A replay may still
    // find the file's write lock held past its 5 s by another one's work (a migration step, an
    // index build on a loaded machine): it then says so, exit 3, and stores nothing.
    const failed = results.filter((r) => r.code !== 0);
    for (const r of failed) {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(`cannot use database ${file}: another process has held a write transaction on it`);
    }
    expect(failed.length).toBeLessThan(results.length);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
      expect(after.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(stored + 5 * (results.length - failed.length));
    } finally {
      after.close();
    }
  });
});
