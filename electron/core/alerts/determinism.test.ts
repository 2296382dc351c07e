// The same event sequence must give the same alerts however it is cut into batches and
// however the clock is advanced between them (replay at any speed, live with gaps).
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertNotification, AlertSilence } from '../../../shared/alerts';
import { AlertEvaluator } from './alertEvaluator';
import type { AlertHistorySink } from './alertHistoryStore';
import { withKeptAnnotations } from './ruleAnnotations';
import { sec } from '../../../test/support/alertTestKit';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';

/** A small deterministic PRNG (mulberry32), so the stream is random-looking but fixed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 40 minutes of traffic: a decline spike, a fraud burst at one merchant, a 4-minute outage, jitter of up to 2 s. */
function stream(): AlertInputEvent[] {
  const rand = prng(7);
  const out: AlertInputEvent[] = [];
  for (let s = 0; s < 2400; s++) {
    if (s >= 1500 && s < 1740) continue; // traffic stops
    for (let i = 0; i < 8; i++) {
      const spike = s >= 600 && s < 900;
      const fraud = s >= 1100 && s < 1300 && i < 2;
      const r = rand();
      // A fraud burst: m_evil's payments are scored and blocked (the blocked share is per scored decision).
      const type = fraud
        ? i === 0 ? 'risk.scored' : 'risk.blocked'
        : i >= 6
          ? r < 0.05 ? 'risk.flagged' : 'risk.scored'
          : r < (spike ? 0.4 : 0.04) ? 'payment.declined' : r < (spike ? 0.5 : 0.06) ? 'payment.failed' : 'payment.authorized';
      const timeMs = sec(s) + Math.floor(rand() * 1000);
      out.push({
        type,
        timeMs,
        merchantId: fraud ? 'm_evil' : `m_${Math.floor(rand() * 20)}`,
        country: ['DE', 'FR', 'NL'][i % 3],
        score: type.startsWith('risk.') ? (fraud ? 97 : Math.floor(rand() * 60)) : null,
        arrivalMs: timeMs + 50 + Math.floor(rand() * 300),
      });
    }
  }
  // Arrival order: each event may be overtaken by ones up to 2 s younger (within the lateness allowance).
  return out
    .map((e, i) => ({ e, key: e.timeMs! + rand() * 2000, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.e);
}

class Recorder implements AlertHistorySink {
  readonly records = new Map<string, AlertHistoryRecord>();
  // As the store saves them: a record without the rule's runbook and description (a repeat of
  // an unchanged state, which leaves them out) keeps the ones saved before.
  saveInstances(rs: readonly AlertHistoryRecord[]) {
    for (const r of rs) this.records.set(r.key, withKeptAnnotations(r, this.records.get(r.key)));
  }
  acknowledge() {
    return false;
  }
  addResolveNote() {
    return false;
  }
  saveSilence() {}
  listSilences(): AlertSilence[] {
    return [];
  }
}

function run(events: AlertInputEvent[], feed: (e: AlertEvaluator, events: AlertInputEvent[], notes: AlertNotification[]) => void) {
  const recorder = new Recorder();
  const e = new AlertEvaluator(DEFAULT_RULES, recorder, { now: () => 0 });
  const notes: AlertNotification[] = [];
  feed(e, events, notes);
  notes.push(...e.finish());
  const history = [...recorder.records.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return { history, notes, views: e.list() };
}

const chunked = (size: number) => (e: AlertEvaluator, events: AlertInputEvent[], notes: AlertNotification[]) => {
  for (let i = 0; i < events.length; i += size) {
    e.observeEvents(events.slice(i, i + size));
    notes.push(...e.advanceTo(e.clock!));
  }
};

describe('determinism', () => {
  const events = stream();
  const reference = run(events, chunked(events.length));

  it('the reference run fires the default rules it should', () => {
    const fired = reference.history.filter((r) => r.firedAt !== null).map((r) => r.rule);
    expect(fired).toEqual(expect.arrayContaining(['decline-rate-spike', 'authorization-failure-rate', 'fraud-burst-per-merchant', 'traffic-stopped', 'high-risk-score-p95']));
    expect(reference.notes.length).toBeGreaterThanOrEqual(8);
  });

  it.each([1, 7, 333, 5000])('gives identical history and notifications in chunks of %i', (size) => {
    const other = run(events, chunked(size));
    expect(other.history).toEqual(reference.history);
    expect(other.notes).toEqual(reference.notes);
    expect(other.views).toEqual(reference.views);
  });

  it('gives identical results when the clock is advanced between events, as a 1x replay does', () => {
    const other = run(events, (e, evs, notes) => {
      let watermark = evs[0].timeMs!;
      for (const ev of evs) {
        // Advance in 250 ms steps through gaps, never past the next event (the replay clock).
        for (let t = watermark + 250; t < ev.timeMs!; t += 250) notes.push(...e.advanceTo(t));
        e.observeEvents([ev]);
        watermark = Math.max(watermark, ev.timeMs!);
      }
    });
    expect(other.history).toEqual(reference.history);
    expect(other.notes).toEqual(reference.notes);
  });

  it('gives identical results when nobody calls advanceTo until the end', () => {
    const other = run(events, (e, evs) => e.observeEvents(evs));
    expect(other.history).toEqual(reference.history);
    expect(other.notes).toEqual(reference.notes);
  });
});
