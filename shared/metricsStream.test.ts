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

  it('refuses malformed input with the field at fault, never throwing', () => {
    expect(decodeMetricsMessage('{"v":1')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    expect(decodeMetricsMessage('[1]')).toMatchObject({ ok: false, reason: 'not a JSON object' });
    const badCount = { ...good, rollups: [{ ...good.rollups[0], count: -1 }] };
    expect(decodeMetricsMessage(JSON.stringify(badCount))).toMatchObject({ ok: false, reason: expect.stringContaining('rollups.0.count') });
    expect(decodeMetricsMessage(JSON.stringify({ ...good, seq: 0 }))).toMatchObject({ ok: false, reason: expect.stringContaining('seq') });
    expect(decodeMetricsMessage(JSON.stringify({ ...good, counters: { bogus: 1 } }))).toMatchObject({ ok: false });
  });

  it('says when a payload carries nothing', () => {
    expect(isEmptyPayload(metricsPayloadSchema.parse({}))).toBe(true);
    expect(isEmptyPayload(metricsPayloadSchema.parse({ counters: { quarantined: 1 } }))).toBe(false);
  });
});
