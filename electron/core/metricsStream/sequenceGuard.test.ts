import { describe, expect, it } from 'vitest';
import type { MetricsMessage } from '../../../shared/metricsStream';
import type { StreamItem } from '../store/metricsStreamRepository';
import { SequenceGuard } from './sequenceGuard';

const msg = (collector: string, seq: number, incarnation?: string, intake?: 'stream' | 'queue', by: string | undefined = incarnation): MetricsMessage => ({ v: 1, collector, seq, at: 0, by, rollups: [], counters: {}, queueSamples: [], alerts: [], incarnation, intake });
const at = (offset: number, m: MetricsMessage): StreamItem => ({ offset, message: m });
const skips = (items: StreamItem[]) => items.flatMap((i) => ('skip' in i ? [i.offset] : []));

describe('a follower checks each collector sequence against the stream offsets', () => {
  it('skips a message whose seq jumps further than the offsets advanced, and keeps the sequence', () => {
    const g = new SequenceGuard([], null);
    const b = g.check([at(0, msg('a', 1)), at(1, msg('b', 1)), at(2, msg('a', 2)), at(3, msg('a', 999_999_999)), at(4, msg('a', 3))]);
    expect(skips(b.items)).toEqual([3]);
    expect((b.items[3] as { skip: string }).skip).toMatch(/jump from 2 to 999999999.*advanced only 1 offset.*offset 2.*stays at 2/);
    b.commit();
    // Across batches too.
    expect(skips(g.check([at(5, msg('a', 10))]).items)).toEqual([5]);
  });

  it('accepts a retention gap: seq and offset both jump', () => {
    const g = new SequenceGuard([], null);
    g.check([at(0, msg('a', 1))]).commit();
    expect(skips(g.check([at(500, msg('a', 400))]).items)).toEqual([]);
  });

  it('on resume bounds a known collector by the offset it resumes from', () => {
    const g = new SequenceGuard([{ collector: 'a', lastSeq: 40, heardAt: 0 }], 100);
    // The next genuine message of 'a' is at offset 100 or later, seq 41.
    const b = g.check([at(100, msg('a', 41)), at(101, msg('a', 1000)), at(150, msg('a', 90))]);
    expect(skips(b.items)).toEqual([101]);
    // A collector this stream never carried (resume offset unknown): nothing to compare.
    expect(skips(new SequenceGuard([{ collector: 'a', lastSeq: 40, heardAt: 0 }], null).check([at(3, msg('a', 5000))]).items)).toEqual([]);
  });

  it('says once that a collector was restored (a new process, a lower seq), and what was dropped when it passes again', () => {
    const g = new SequenceGuard([], null);
    g.check([at(0, msg('a', 1, 'p1')), at(1, msg('a', 2, 'p1')), at(2, msg('a', 3, 'p1'))]).commit();
    // A re-publication by a later process keeps the number's own process: no warning.
    const republished = g.check([at(3, msg('a', 3, 'p1')), at(4, msg('a', 4, 'p2'))]);
    expect(republished.warnings).toEqual([]);
    republished.commit();
    const restored = g.check([at(5, msg('a', 2, 'p3')), at(6, msg('a', 3, 'p3')), at(7, msg('a', 4, 'p3')), at(8, msg('a', 5, 'p3'))]);
    expect(restored.warnings).toHaveLength(2);
    expect(restored.warnings[0]).toMatch(/collector a's sequence went back from 4 to 2 at offset 5 \(a collector process not seen before: p3\)/);
    expect(restored.warnings[1]).toMatch(/passed sequence 4 again at offset 8: 3 of its messages \(seq 2 to 4, from offset 5\) were dropped/);
    restored.commit();
    expect(g.rewoundDropped).toBe(3);
  });

  it('says so without incarnations when the seq goes back further than a re-publication can', () => {
    const g = new SequenceGuard([{ collector: 'a', lastSeq: 5000, heardAt: 0 }], 10_000);
    expect(g.check([at(10_000, msg('a', 4700))]).warnings).toEqual([]);
    expect(g.check([at(10_000, msg('a', 100))]).warnings[0]).toMatch(/went back from 5000 to 100 .*further back than a re-publication/);
  });

  it('starts a restored queue-fed collector sequence again (applied), keeps dropping a stream-fed or older one', () => {
    const g = new SequenceGuard([], null);
    g.check([at(0, msg('q', 1, 'p1', 'queue')), at(1, msg('q', 2, 'p1', 'queue')), at(2, msg('s', 1, 'p1', 'stream')), at(3, msg('s', 2, 'p1', 'stream')), at(4, msg('o', 1, 'p1')), at(5, msg('o', 2, 'p1'))]).commit();
    const b = g.check([at(6, msg('q', 1, 'p2', 'queue')), at(7, msg('s', 1, 'p2', 'stream')), at(8, msg('o', 1, 'p2')), at(9, msg('q', 2, 'p2', 'queue'))]);
    expect(b.items.map((i) => ('restart' in i ? i.offset : null)).filter((o) => o !== null)).toEqual([6]);
    expect(b.warnings).toHaveLength(3);
    expect(b.warnings[0]).toMatch(/collector q's sequence went back from 2 to 1 at offset 6 .*reads a queue, so what it publishes now is new: applied from sequence 1 on/);
    b.commit();
    expect(g.rewoundDropped).toBe(2);
    // A re-publication of the restored process's messages (by a later start) is a duplicate again, not a restart.
    const again = g.check([at(10, msg('q', 2, 'p2', 'queue')), at(11, msg('q', 3, 'p3', 'queue'))]);
    expect(again.items.some((i) => 'restart' in i)).toBe(false);
    expect(again.warnings).toEqual([]);
  });

  it('never starts a queue-fed collector sequence again on messages it cannot tell from a re-read (no process met yet)', () => {
    // A follower reading an old stream from its first offset again (a stream thought created
    // again, a tail not read in time): the collector's old messages, far behind what was applied.
    const g = new SequenceGuard([{ collector: 'q', lastSeq: 2000, heardAt: 0 }], null);
    const b = g.check([at(0, msg('q', 1, 'p1', 'queue')), at(1, msg('q', 2, 'p1', 'queue')), at(2, msg('q', 1999, 'p2', 'queue')), at(3, msg('q', 2001, 'p2', 'queue'))]);
    expect(b.items.some((i) => 'restart' in i)).toBe(false);
  });

  it('resuming, compares with the process that numbered the last applied message, and never restarts on a re-publication', () => {
    const sources = [{ collector: 'q', lastSeq: 105, heardAt: 0, incarnation: 'p2' }];
    // p3 republishes rows p1 numbered (a crash with unconfirmed rows of two processes), then numbers its own.
    const g = new SequenceGuard(sources, 200);
    const b = g.check([at(200, msg('q', 98, 'p1', 'queue', 'p3')), at(201, msg('q', 104, 'p2', 'queue', 'p3')), at(202, msg('q', 106, 'p3', 'queue'))]);
    expect(b.items.some((i) => 'restart' in i)).toBe(false);
    // A restored copy: its own numbers from below, a process not met.
    const r = new SequenceGuard(sources, 200).check([at(200, msg('q', 101, 'p3', 'queue'))]);
    expect(r.items.map((i) => 'restart' in i)).toEqual([true]);
    // Read from the stream's start again: nothing is taken as met.
    expect(new SequenceGuard(sources, null).check([at(0, msg('q', 1, 'p1', 'queue'))]).items.some((i) => 'restart' in i)).toBe(false);
  });
});
