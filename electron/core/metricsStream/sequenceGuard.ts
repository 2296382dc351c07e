// A follower's check of each collector's sequence against what the stream itself proves.
// A collector publishes its messages in order on one stream, one offset each: between two of
// its messages its seq can advance by at most the offsets between them (other collectors'
// messages take offsets too; retention drops both alike). A message claiming a collector's id
// with a seq further ahead than that is not the collector's: it is skipped, and the
// collector's sequence stays where it was (else every genuine message after it would count as
// a duplicate). A seq that goes back further than a re-publication can (REPUBLISH_WINDOW), or
// from a collector process this follower has not seen before, is a collector whose database
// was restored or copied: said once. A stream-fed collector (or one too old to say) re-reads
// its stream from the restored offset and publishes the same figures again: they are dropped
// until it passes where it was. A queue-fed one publishes new figures: its sequence starts
// again there and they are applied.
import { countNoun, countText } from '../../../shared/countText';
import { REPUBLISH_WINDOW } from '../../../shared/metricsStream';
import type { MetricsSource, StreamItem } from '../store/metricsStreamRepository';

interface Track {
  lastSeq: number;
  /** The offset of the last applied message; null when unknown (never seen on this stream). */
  lastOffset: number | null;
  /** The collector process that numbered the last applied message (known once one is applied here). */
  incarnation: string | null;
  seen: Set<string>;
  /** A rewound sequence being dropped: said once when met, and again when it passes lastSeq. */
  rewound: { incarnation: string | null; from: number; fromOffset: number; upTo: number; dropped: number; lastDropped: number } | null;
}

export interface GuardedBatch {
  /** The batch with forged messages turned into skips. */
  items: StreamItem[];
  warnings: string[];
  /** Adopts the batch's effect (call once the batch is committed). */
  commit(): void;
}

export class SequenceGuard {
  private readonly tracks = new Map<string, Track>();
  private readonly known: Map<string, number>;
  private readonly knownIncarnation: Map<string, string>;

  /**
   * `sources`: the collectors the database has applied; `resumeOffset`: the stream offset the
   * follower resumes from (null: the stream was never read). Everything before it was read by
   * this database, so a known collector's next genuine message lies at or after it.
   */
  constructor(sources: readonly MetricsSource[], private readonly resumeOffset: number | null) {
    this.known = new Map(sources.map((s) => [s.collector, s.lastSeq]));
    // Resuming where this database stopped, everything read is newer than what it applied: the
    // process that numbered its last message is the one to compare with. Read from a stream's
    // start (resumeOffset null) old messages come again: no process is taken as met.
    this.knownIncarnation = new Map(resumeOffset === null ? [] : sources.flatMap((s) => (s.incarnation ? [[s.collector, s.incarnation] as const] : [])));
  }

  /** Collectors already said to be published by two processes at once. */
  private readonly twice = new Set<string>();

  /** Messages of rewound collectors dropped so far (counted as duplicates by the store). */
  rewoundDropped = 0;

  check(items: readonly StreamItem[]): GuardedBatch {
    const draft = new Map<string, Track>();
    const warnings: string[] = [];
    const twice = new Set<string>();
    let dropped = 0;
    const track = (collector: string): Track => {
      let t = draft.get(collector);
      if (t) return t;
      const base = this.tracks.get(collector);
      if (base) t = { ...base, seen: new Set(base.seen), rewound: base.rewound && { ...base.rewound } };
      else {
        const lastSeq = this.known.get(collector) ?? 0;
        const inc = this.knownIncarnation.get(collector) ?? null;
        t = { lastSeq, lastOffset: lastSeq > 0 && this.resumeOffset !== null ? this.resumeOffset - 1 : null, incarnation: inc, seen: new Set(inc ? [inc] : []), rewound: null };
      }
      draft.set(collector, t);
      return t;
    };
    const out = items.map((item): StreamItem => {
      if ('skip' in item) return item;
      const m = item.message;
      const q = item.offset;
      const t = track(m.collector);
      if (m.seq > t.lastSeq) {
        if (t.lastSeq > 0 && t.lastOffset !== null && m.seq - t.lastSeq > q - t.lastOffset) {
          return {
            offset: q,
            skip:
              `collector ${m.collector}'s sequence would jump from ${t.lastSeq} to ${m.seq}, but the stream advanced only ${countText(Math.max(0, q - t.lastOffset), 'offset')} ` +
              `since its last applied message (offset ${t.lastOffset}): its messages take one offset each, so this is not one of its messages; its sequence stays at ${t.lastSeq}`,
          };
        }
        if (t.rewound) {
          const r = t.rewound;
          warnings.push(
            `warning: collector ${m.collector} passed sequence ${r.upTo} again at offset ${q}: ${r.dropped} of its messages (seq ${r.from} to ${r.lastDropped}, from offset ${r.fromOffset}) ${countNoun(r.dropped, 'was', 'were')} dropped as duplicates of what it had published before its database was restored; their figures are missing here`,
          );
          t.rewound = null;
        }
        // A process numbers after every one before it: one met before numbering again after
        // another is a second process on a copy of the same database, running at once.
        const inc = m.incarnation ?? null;
        if (inc !== null && t.incarnation !== null && inc !== t.incarnation && t.seen.has(inc) && !this.twice.has(m.collector) && !twice.has(m.collector)) {
          twice.add(m.collector);
          warnings.push(
            `warning: collector ${m.collector} is published by two collector processes at once (${inc} and ${t.incarnation}, again at offset ${q}): ` +
              `its database was copied and both copies run. Their messages share one sequence, so this follower cannot tell their figures apart ` +
              `(some are dropped as duplicates). Give each collector its own database (and so its own id)`,
          );
        }
        t.lastSeq = m.seq;
        t.lastOffset = q;
        t.incarnation = inc;
        if (inc) t.seen.add(inc);
        return item;
      }
      // A duplicate for the store. A re-publication goes back less than REPUBLISH_WINDOW and
      // carries the id of the process that first numbered it, one this follower has met.
      const inc = m.incarnation ?? null;
      if (t.rewound) {
        t.rewound.incarnation = inc;
        t.rewound.dropped += 1;
        t.rewound.lastDropped = Math.max(t.rewound.lastDropped, m.seq);
        dropped += 1;
        return item;
      }
      const unseenProcess = inc !== null && t.incarnation !== null && inc !== t.incarnation && !t.seen.has(inc);
      // Numbered by the process publishing it: not a re-publication of an earlier process's row
      // (one this follower may not have met since it started).
      if (unseenProcess && m.intake === 'queue' && m.by === inc) {
        // A queue hands a restored collector new events, not the old ones again: what it
        // numbers now is new. Its sequence starts again here (the store applies this message).
        // Only after a process of the collector was met here in this session: a lower seq with
        // no process to compare (a stream read again from its start, a follower just started)
        // cannot be told from a re-read of old messages, and is dropped as before.
        warnings.push(
          `warning: collector ${m.collector}'s sequence went back from ${t.lastSeq} to ${m.seq} at offset ${q} (a collector process not seen before: ${inc})` +
            `: its database was restored from a backup or copied. It reads a queue, so what it publishes now is new: applied from sequence ${m.seq} on ` +
            `(what it published before the restore past sequence ${m.seq - 1} stays counted here)`,
        );
        t.lastSeq = m.seq;
        t.lastOffset = q;
        t.incarnation = inc;
        if (inc) t.seen.add(inc);
        return { ...item, restart: true };
      }
      if (unseenProcess || t.lastSeq - m.seq >= REPUBLISH_WINDOW) {
        t.rewound = { incarnation: inc, from: m.seq, fromOffset: q, upTo: t.lastSeq, dropped: 1, lastDropped: m.seq };
        dropped += 1;
        warnings.push(
          `warning: collector ${m.collector}'s sequence went back from ${t.lastSeq} to ${m.seq} at offset ${q}` +
            (unseenProcess ? ` (a collector process not seen before: ${inc})` : ` (further back than a re-publication goes: ${REPUBLISH_WINDOW})`) +
            `: its database was restored from a backup or copied. This follower drops its messages up to sequence ${t.lastSeq} as duplicates ` +
            `(their figures will be missing here) and applies them again from ${t.lastSeq + 1}`,
        );
      }
      return item;
    });
    return {
      items: out,
      warnings,
      commit: () => {
        for (const [c, t] of draft) this.tracks.set(c, t);
        for (const c of twice) this.twice.add(c);
        this.rewoundDropped += dropped;
      },
    };
  }
}
