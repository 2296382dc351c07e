// What real producers send at the edges of the contract (EVENTS.md): each is accepted as what it
// means, or quarantined with a reason naming the field; none throws.
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode';

const T = '2026-11-23T05:31:44.123Z';
const payment = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => ({
  specversion: '1.0', id: 'edge-1', source: 'psp/authorizer', type: 'payment.authorized', time: T,
  data: { paymentId: 'pay_1', merchantId: 'm_1', amount: 1250, currency: 'KWD', ...data }, ...envelope,
});
/** The event as JSON text, with `amount`'s value written as `spelling` (exponents, -0, digits past 2^53). */
const withAmountText = (spelling: string, type = 'payment.authorized') =>
  JSON.stringify({ ...payment(), type }).replace('"amount":1250', `"amount":${spelling}`);
const decodeText = (text: string, extra: Record<string, unknown> = {}) => decodeMessage({ body: Buffer.from(text), arrivalMs: 1, ...extra });

describe('amounts as producers write them', () => {
  it('reads a JSON number in any spelling as its value: 1e2 and 1.25e3 are integers', () => {
    expect(decodeText(withAmountText('1e2'))).toMatchObject({ ok: true, event: { amount: 100 } });
    expect(decodeText(withAmountText('1.25e3'))).toMatchObject({ ok: true, event: { amount: 1250 } });
    expect(decodeText(withAmountText('1250.0'))).toMatchObject({ ok: true, event: { amount: 1250 } });
  });

  it('reads negative zero as zero (amount, latencyMs, score), as the store gives it back', () => {
    const r = decodeText(withAmountText('-0').replace('"currency":"KWD"', '"currency":"KWD","latencyMs":-0'));
    if (!r.ok) throw new Error(r.reason);
    expect(Object.is(r.event.amount, 0)).toBe(true);
    expect(Object.is(r.event.latencyMs, 0)).toBe(true);
    const risk = decodeText(JSON.stringify({ ...payment(), type: 'risk.scored', data: { paymentId: 'p', merchantId: 'm', decision: 'approve', score: 1 } }).replace('"score":1', '"score":-0.0'));
    if (!risk.ok) throw new Error(risk.reason);
    expect(Object.is(risk.event.score, 0)).toBe(true);
  });

  it('quarantines an amount sent as a string, naming the field and what it found', () => {
    expect(decodeText(JSON.stringify(payment({ amount: '1250' })))).toEqual({ ok: false, reason: 'data.amount: Invalid input: expected number, received string' });
  });

  it('quarantines an integer past 2^53 - 1, saying so (not "must be an integer"): no JSON reader holds it exactly', () => {
    for (const spelling of ['9007199254740993', '100000000000000000000', '1e20']) {
      const r = decodeText(withAmountText(spelling));
      expect(r, spelling).toEqual({ ok: false, reason: 'data.amount: past 2^53 - 1 (9007199254740991), the largest integer a JSON reader holds exactly: the amount as sent would not be kept to the minor unit' });
    }
    const risk = decodeText(JSON.stringify({ ...payment(), type: 'risk.scored', data: { paymentId: 'p', merchantId: 'm', decision: 'approve', score: 1, amount: 1 } }).replace('"amount":1', '"amount":9007199254740993'));
    expect(risk).toMatchObject({ ok: false, reason: expect.stringMatching(/^data\.amount: past 2\^53 - 1/) });
    expect(decodeText(withAmountText('9007199254740991'))).toMatchObject({ ok: true, event: { amount: 9007199254740991 } });
  });

  it('keeps "must be an integer in minor units" for a fraction, and names a negative amount', () => {
    expect(decodeText(withAmountText('12.5'))).toEqual({ ok: false, reason: 'data.amount: must be an integer in minor units' });
    expect(decodeText(withAmountText('-1'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^data\.amount: /) });
  });
});

describe('times as producers write them', () => {
  const timeMs = (time: string) => {
    const r = decodeText(JSON.stringify(payment({}, { time })));
    if (!r.ok) throw new Error(r.reason);
    return r.event.timeMs;
  };
  it('reads offsets other than Z, and a lower-case t and z, at their instant', () => {
    expect(timeMs('2026-11-23T11:01:44+05:30')).toBe(Date.UTC(2026, 10, 23, 5, 31, 44));
    expect(timeMs('2026-11-22T21:31:44.5-08:00')).toBe(Date.UTC(2026, 10, 23, 5, 31, 44, 500));
    expect(timeMs('2026-11-23t05:31:44z')).toBe(Date.UTC(2026, 10, 23, 5, 31, 44));
    expect(timeMs('2026-11-23T05:31:44-00:00')).toBe(Date.UTC(2026, 10, 23, 5, 31, 44));
  });
  it('reads a leap second, in any offset, as the last second of its UTC day', () => {
    const last = Date.UTC(2016, 11, 31, 23, 59, 59);
    expect(timeMs('2016-12-31T23:59:60Z')).toBe(last);
    expect(timeMs('2017-01-01T05:29:60+05:30')).toBe(last);
    expect(timeMs('2016-12-31T15:59:60.250-08:00')).toBe(last + 250);
    expect(decodeText(JSON.stringify(payment({}, { time: '2026-11-23T05:31:60Z' })))).toMatchObject({ ok: false, reason: expect.stringMatching(/^time: .*leap second/) });
  });
  it('reads a time far in the past (years 1 and 0 of RFC 3339) at its instant, never 1900 or 1970', () => {
    expect(timeMs('0001-01-01T00:00:00Z')).toBe(-62_135_596_800_000);
    expect(new Date(timeMs('0001-01-01T00:00:00.000Z')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(new Date(timeMs('0099-06-01T12:00:00Z')!).toISOString()).toBe('0099-06-01T12:00:00.000Z');
    expect(new Date(timeMs('1969-12-31T23:59:59.999Z')!).toISOString()).toBe('1969-12-31T23:59:59.999Z');
  });
});

describe('a known type with data of the wrong shape', () => {
  it.each([
    ['an array', [1, 2], 'data: payment.authorized needs a JSON object as data, found an array'],
    ['a string', 'pay_1', 'data: payment.authorized needs a JSON object as data, found text that is not JSON'],
    ['null', null, 'data: payment.authorized needs a JSON object as data, found null'],
    ['a risk object', { paymentId: 'p', merchantId: 'm', score: 5, decision: 'approve' }, 'missing required attribute data.amount'],
    ['a nested amount', { paymentId: 'p', merchantId: 'm', amount: { value: 1250 }, currency: 'KWD' }, 'data.amount: Invalid input: expected number, received object'],
  ])('quarantines data that is %s, naming the field', (_name, data, reason) => {
    expect(decodeText(JSON.stringify({ ...payment(), data }))).toEqual({ ok: false, reason });
  });
});

describe('binary mode with a content type naming another charset', () => {
  const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'b-1', 'cloudEvents:source': 'psp/authorizer', 'cloudEvents:type': 'payment.authorized', 'cloudEvents:time': T };
  const data = JSON.stringify(payment().data);
  const binary = (body: Buffer, contentType: string) => decodeMessage({ body, headers, contentType, arrivalMs: 1 });

  it('reads UTF-8 JSON whatever charset it is labelled with (RFC 8259 8.1: JSON text is UTF-8)', () => {
    for (const contentType of ['application/json; charset=iso-8859-1', 'application/json; charset="UTF-16"', 'application/json;charset=us-ascii']) {
      expect(binary(Buffer.from(data), contentType), contentType).toMatchObject({ ok: true, event: { amount: 1250, currency: 'KWD' } });
    }
  });

  it('quarantines data in another encoding, naming data and the charset declared', () => {
    const latin1 = binary(Buffer.from(JSON.stringify(payment({ merchantId: 'café' }).data), 'latin1'), 'application/json; charset=iso-8859-1');
    expect(latin1).toEqual({
      ok: false,
      reason: 'data: payment.authorized needs a JSON object as data, found bytes that are not UTF-8 text (the content type application/json; charset=iso-8859-1 declares charset iso-8859-1, but JSON is read as UTF-8 (RFC 8259 8.1))',
    });
    const utf16 = binary(Buffer.from(data, 'utf16le'), 'application/json; charset=utf-16le');
    expect(utf16).toMatchObject({ ok: false, reason: expect.stringMatching(/^data: the content type application\/json; charset=utf-16le declares charset utf-16le, but JSON is read as UTF-8 \(RFC 8259 8\.1\): does not parse \(/) });
  });

  it('keeps an unknown type whose data is in another encoding, as bytes (its data is not the console\'s to read)', () => {
    const r = decodeMessage({ body: Buffer.from('café', 'latin1'), headers: { ...headers, 'cloudEvents:type': 'com.example.note' }, contentType: 'application/json; charset=iso-8859-1', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: true, event: { type: 'com.example.note', category: 'unknown' } });
  });

  it('names the charset of a structured-mode body in another encoding too', () => {
    const body = Buffer.from(JSON.stringify(payment()), 'utf16le');
    const r = decodeMessage({ body, contentType: 'application/cloudevents+json; charset=utf-16le', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^body is not JSON .*: the content type declares charset utf-16le, but JSON is read as UTF-8 \(RFC 8259 8\.1\)$/) });
  });
});
