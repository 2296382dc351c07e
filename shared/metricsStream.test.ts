import { describe, expect, it } from 'vitest';
import { decodeMetricsMessage, isEmptyPayload, metricsPayloadSchema } from './metricsStream';

const good = {
  v: 1,
  collector: 'c1',
  seq: 3,
  at: 1_700_000_000_000,
  rollups: [{ sec: 1_700_000_000, dim: 'type', key: 'payment.authorized', count: 2, amount: 0 }],
  counters: { duplicates: 1 },
};

describe('metrics stream messages', () => {
  it('decodes a version 1 message and fills the parts it leaves out', () => {
    const d = decodeMetricsMessage(JSON.stringify(good));
    expect(d).toEqual({ ok: true, message: { ...good, queueSamples: [], alerts: [] } });
  });

  it('refuses an unknown version, naming it', () => {
    expect(decodeMetricsMessage(JSON.stringify({ ...good, v: 2 }))).toEqual({
      ok: false,
      reason: 'unknown metrics message version 2 (this payops reads 1)',
    });
  });

  it('counts a body that is not JSON in UTF-8 bytes, as it came off the wire', () => {
    // "é" is one character and two bytes; "€" one character and three.
    expect(decodeMetricsMessage('é')).toMatchObject({ ok: false, reason: 'not JSON (2 bytes)' });
    expect(decodeMetricsMessage('€x')).toMatchObject({ ok: false, reason: 'not JSON (4 bytes)' });
    // The wire's bytes as the follower receives them: one invalid byte is one byte, not the
    // three of the replacement character it decodes to.
    expect(decodeMetricsMessage(new Uint8Array([0xff]))).toMatchObject({ ok: false, reason: 'not JSON (1 byte)' });
    expect(decodeMetricsMessage(new TextEncoder().encode(JSON.stringify(good)))).toMatchObject({ ok: true });
  });

  it('refuses malformed input with the field at fault, never throwing', () => {
    expect(decodeMetricsMessage('{"v":1')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    expect(decodeMetricsMessage('[1]')).toMatchObject({ ok: false, reason: 'not a JSON object' });
    const badCount = { ...good, rollups: [{ ...good.rollups[0], count: -1 }] };
    expect(decodeMetricsMessage(JSON.stringify(badCount))).toMatchObject({ ok: false, reason: expect.stringContaining('rollups.0.count') });
    expect(decodeMetricsMessage(JSON.stringify({ ...good, seq: 0 }))).toMatchObject({ ok: false, reason: expect.stringContaining('seq') });
    expect(decodeMetricsMessage(JSON.stringify({ ...good, counters: { duplicates: 'x' } }))).toMatchObject({ ok: false, reason: expect.stringContaining('counters.duplicates') });
  });

  it('applies a message whose counters include one it does not know (a newer collector\'s): that counter only is left out', () => {
    const d = decodeMetricsMessage(JSON.stringify({ ...good, counters: { duplicates: 2, counted_by_a_later_payops: 5 } }));
    expect(d).toEqual({ ok: true, message: { ...good, counters: { duplicates: 2 }, queueSamples: [], alerts: [] } });
  });

  it('says when a payload carries nothing', () => {
    expect(isEmptyPayload(metricsPayloadSchema.parse({}))).toBe(true);
    expect(isEmptyPayload(metricsPayloadSchema.parse({ counters: { quarantined: 1 } }))).toBe(false);
  });

  it('refuses values no collector publishes, naming the field', () => {
    const now = good.at + 60_000;
    const cell = good.rollups[0];
    const reason = (m: object) => {
      const d = decodeMetricsMessage(JSON.stringify({ ...good, ...m }), now);
      return d.ok ? null : d.reason;
    };
    expect(reason({ rollups: [{ ...cell, dim: 'authorized', key: 'EUR', amount: 1e308 }] })).toMatch(/rollups\.0\.amount: must be a whole/);
    expect(reason({ rollups: [{ ...cell, dim: 'authorized', key: 'EUR', amount: 12.5 }] })).toMatch(/rollups\.0\.amount/);
    expect(reason({ rollups: [{ ...cell, dim: 'authorized', key: 'euro', amount: 100 }] })).toMatch(/rollups\.0\.key: must be an ISO 4217/);
    expect(reason({ rollups: [{ ...cell, dim: 'nonsense' }] })).toMatch(/rollups\.0\.dim: must be one of/);
    expect(reason({ rollups: [{ ...cell, count: 1e12 }] })).toMatch(/rollups\.0\.count/);
    expect(reason({ rollups: [{ ...cell, sec: 300_000_000_000 }] })).toMatch(/out of range: rollups\.0\.sec: .* no time an event can have/);
    // An event stamped 9999-12-31 (a producer's wrong clock) is stored by the collector: its rollups are not refused.
    expect(reason({ rollups: [{ ...cell, sec: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000 }] })).toBeNull();
    expect(reason({ at: now + 2 * 86_400_000 })).toMatch(/out of range: at: /);
    expect(reason({ counters: { duplicates: 1e15 } })).toMatch(/counters\.duplicates/);
    expect(reason({ rollups: [{ ...cell, dim: 'decision', key: 'approve', count: 1, amount: 101 }] })).toMatch(/sum of risk scores/);
    expect(reason({ rollups: [{ ...cell, key: 'bad\u0000type' }] })).toMatch(/rollups\.0\.key: must be an event type/);
    const manyTypes = Array.from({ length: 1001 }, (_, i) => ({ ...cell, key: `made.up.${i}` }));
    expect(reason({ rollups: manyTypes })).toMatch(/1001 distinct event types in one message \(at most 1000\)/);
    // What collectors publish stays accepted: unknown types, payment counts going down, score sums, a late second.
    expect(reason({ rollups: [{ ...cell, key: 'order.shipped' }, { ...cell, dim: 'payment', key: 'started', count: -1 }, { ...cell, dim: 'decision', key: 'review', count: 2, amount: 131.5 }, { ...cell, sec: 1_000_000 }] })).toBeNull();
    expect(reason({ incarnation: 'p1' })).toBeNull();
  });

  it('reads a collector intake it does not know as none (the message is applied, as from an older collector)', () => {
    const body = (intake: unknown) => JSON.stringify({ v: 1, collector: 'c', seq: 1, at: 1, intake, rollups: [{ sec: 1, dim: 'type', key: 't', count: 1, amount: 0 }] });
    const known = decodeMetricsMessage(body('queue'));
    expect(known.ok && known.message.intake).toBe('queue');
    const future = decodeMetricsMessage(body('file'));
    expect(future.ok, JSON.stringify(future)).toBe(true);
    expect(future.ok && future.message.intake).toBeUndefined();
  });
});
