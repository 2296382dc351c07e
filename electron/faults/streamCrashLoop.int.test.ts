// A stream message that ends the process each time it is handled. A stream redelivers nothing:
// each new process read it again from the offset stored with the events, which never passed it,
// so it came back for ever (a crash loop), where a classic queue's is stopped by the redelivery
// guard (redeliveryGuard.int.test.ts). Real broker and stream queue, real SQLite file; each
// process (test/support/streamCrashLoopChild.ts, the real engine and consumer thread) is
// SIGKILLed when it handles the poison. The broker is not restarted.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteQueues, eventBody, publishTo, runStreamCrashLoopChild } from '../../test/support/crashLoopKit';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { MAX_TAKE_ATTEMPTS } from '../core/broker/brokerConsumer';

const dir = tempDir('payops-stream-crashloop-');
const queue = `t.stream-crashloop.${process.pid}.${Date.now()}`;

afterAll(() => deleteQueues([queue]));

const publish = (ids: string[]) => publishTo(queue, 'stream', ids.map(eventBody));
/** One process over `db`: 'killed' when it died on the poison, 'done' when it exited 0 past `lastOffset`. */
const run = (db: string, lastOffset: number) => runStreamCrashLoopChild(db, queue, 'scl-poison', lastOffset);

describe('a stream message that ends the process each time it is handled', () => {
  it(`is quarantined unread at its ${MAX_TAKE_ATTEMPTS}th read; what was read beside it is stored, each once, and the offset moves past it`, async () => {
    // Offsets 0..3; the poison at 2.
    await publish(['scl-a', 'scl-b', 'scl-poison', 'scl-c']);
    const db = path.join(dir, 'stream.db');
    const ends: string[] = [];
    const logs: string[] = [];
    // Before the guard every process died on the poison: read again from offset 0 (or 2) for ever.
    for (let i = 0; i < 8 && ends[ends.length - 1] !== 'done'; i++) {
      const r = await run(db, 3);
      ends.push(r.end);
      logs.push(r.log);
    }
    expect(ends).toEqual(['killed', 'killed', 'killed', 'killed', 'done']);
    // From the fourth read, offsets 0..3 (what the earlier reads handed on) commit one at a time:
    // a and b are stored before the poison ends the fourth process.
    expect(logs[3]).toMatch(/read 4 times from offset 0 without storing it .*: offsets 0\.\.3 are committed one at a time/);
    expect(logs[4]).toMatch(/the message at offset 2 was read 5 times without being stored: quarantined unread/);
    const file = new Database(db, { readonly: true });
    try {
      expect([...storedIdentities(db).ids].map((k) => k.split('|')[1]).sort()).toEqual(['scl-a', 'scl-b', 'scl-c']);
      expect(storedIdentities(db).total).toBe(3);
      const quarantined = file.prepare('SELECT reason, CAST(body AS TEXT) AS body FROM quarantine').all() as { reason: string; body: string }[];
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].reason).toMatch(/^read 5 times from stream offset 2 and never stored/);
      expect(JSON.parse(quarantined[0].body).id).toBe('scl-poison');
      expect(file.prepare('SELECT next_offset FROM stream_offsets').pluck().all()).toEqual([4]);
      expect(file.prepare('SELECT count(*) FROM stream_attempts').pluck().get()).toBe(0);
    } finally {
      file.close();
    }

    // Reading goes on as before: the next message is stored by the next process, nothing again.
    await publish(['scl-d']);
    expect((await run(db, 4)).end).toBe('done');
    expect(storedIdentities(db).total).toBe(4);
  }, 240_000);
});
