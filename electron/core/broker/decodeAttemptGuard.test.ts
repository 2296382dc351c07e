// The decode guard counts only decodes that never finish: a message redelivered after unrelated
// crashes, decoded each time, is never refused; one whose decodes keep ending is refused at its
// fifth delivery (a stream's at its fifth read), and stays refused; a store that cannot count lets
// messages be decoded uncounted.
// Real store, reopened between "threads" as a restarted console would.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../store/store';
import { DecodeAttemptGuard } from './decodeAttemptGuard';
import { redeliveryKey } from './redeliveryKey';

const dir = tempDir('payops-decode-guard-');
const config = { queue: 'guard.decode', queueType: 'classic' as const };
const key = (body: string) => redeliveryKey(config.queue, 'payment.authorized', Buffer.from(body));

describe('decodes of redelivered messages', () => {
  it('that finish count nothing, however often the message comes again', () => {
    const store = openStore(path.join(dir, 'finished.db'));
    try {
      const guard = DecodeAttemptGuard.wire(store, config, () => undefined);
      for (let i = 0; i < 10; i++) {
        expect(guard.begin(key('innocent'))).toBeNull();
        guard.finished(key('innocent'));
      }
    } finally {
      store.close();
    }
  });

  it('that never finish are refused at the fifth delivery, also by a console started again, and stay refused', () => {
    const file = path.join(dir, 'poison.db');
    const lines: string[] = [];
    // Deliveries 2, 3, 4: each decode ends the thread (no finished), across processes.
    for (let delivery = 2; delivery <= 4; delivery++) {
      const store = openStore(file);
      expect(DecodeAttemptGuard.wire(store, config, (l) => lines.push(l)).begin(key('poison'))).toBeNull();
      store.close();
    }
    const store = openStore(file);
    try {
      const guard = DecodeAttemptGuard.wire(store, config, (l) => lines.push(l));
      expect(guard.begin(key('poison'))).toMatch(/^delivered 5 times and never decoded to the end: each of its last 3 decodes ended the consumer thread, or the process/);
      expect(lines).toEqual(['queue guard.decode: a message whose decode ended the consumer thread 3 times: quarantined unread (a crash loop stopped)']);
      // A copy delivered again (its acknowledgement lost) is refused unread too; another message is not.
      expect(guard.begin(key('poison'))).toMatch(/^delivered 6 times/);
      expect(guard.begin(key('other'))).toBeNull();
    } finally {
      store.close();
    }
  });

  it('lets messages be decoded uncounted when the store cannot count, and says so', () => {
    const store = openStore(path.join(dir, 'closed.db'));
    store.close();
    const lines: string[] = [];
    const guard = DecodeAttemptGuard.wire(store, config, (l) => lines.push(l));
    expect(guard.begin(key('any'))).toBeNull();
    expect(() => guard.finished(key('any'))).not.toThrow();
    expect(lines[0]).toMatch(/^messages delivered again could not be counted before their decode \(.*\): decoded uncounted$/);
  });

  it('on a stream, says it read a message, and keeps how far the threads have received', () => {
    const store = openStore(path.join(dir, 'stream.db'));
    try {
      const guard = DecodeAttemptGuard.wire(store, { queue: 'guard.stream', queueType: 'stream' }, () => undefined);
      expect(guard.receivedTo).toBeNull();
      guard.received(1024);
      guard.received(5);
      guard.received(Number.NaN);
      expect(guard.receivedTo).toBe(1024);
      const poison = redeliveryKey('guard.stream', '', Buffer.from('poison'));
      for (let i = 0; i < 3; i++) expect(guard.begin(poison)).toBeNull();
      expect(guard.begin(poison)).toMatch(/^read 5 times and never decoded to the end/);
    } finally {
      store.close();
    }
  });

  it('on a stream, keeps how far it was received across a process that died, not across a clean stop; the reason names stream and offset', () => {
    const file = path.join(dir, 'stream-restart.db');
    const stream = { queue: 'guard.stream.restart', queueType: 'stream' as const };
    const lines: string[] = [];
    let store = openStore(file);
    DecodeAttemptGuard.wire(store, stream, () => undefined).received(1030);
    store.close(); // no stopped(): the process died
    store = openStore(file);
    try {
      store.streamOffsets.save(stream.queue, 7, Date.now());
      const guard = DecodeAttemptGuard.wire(store, stream, (l) => lines.push(l));
      expect(guard.receivedTo).toBe(1030);
      expect(lines).toEqual([`stream ${stream.queue}: a read that ended the process left offsets 7..1030 unfinished: decoded one at a time, each counted first`]);
      const poison = redeliveryKey(stream.queue, '', Buffer.from('poison'));
      for (let i = 0; i < 3; i++) expect(guard.beginRead({ key: poison, offset: 9 })).toBeNull();
      expect(guard.beginRead({ key: poison, offset: 9 })).toMatch(/^read 5 times and never decoded to the end: .* \(stream guard\.stream\.restart, offset 9\)$/);
      guard.stopped();
    } finally {
      store.close();
    }
    store = openStore(file);
    try {
      expect(DecodeAttemptGuard.wire(store, stream, () => undefined).receivedTo).toBeNull();
    } finally {
      store.close();
    }
  });
});
