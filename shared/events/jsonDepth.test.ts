// Deeply nested bodies (~40 KB of 20,000 nested arrays) are quarantined with a reason, never
// thrown on: recursive code after JSON.parse (JSON.stringify in compactEnvelope, zod, the
// capture reader) would overflow the stack and poison the queue or abort a replay.
import { describe, expect, it } from 'vitest';
import { parseCaptureLine } from '../../electron/core/capture/captureLine';
import { decodeMessage, MAX_JSON_DEPTH, normalizeCloudEvent } from './decode';
import { nestedDeeperThan } from './jsonDepth';

const arrays = (levels: number, inner = '') => '['.repeat(levels) + inner + ']'.repeat(levels);
const objects = (levels: number, inner = '1') => '{"a":'.repeat(levels) + inner + '}'.repeat(levels);

/** A valid payment event's text with `x` (JSON text) added to its data: the event is level 1, data 2, x 3. */
const paymentText = (x: string, type = 'payment.authorized') =>
  `{"specversion":"1.0","id":"deep-1","source":"psp/authorizer","type":"${type}","time":"2026-11-23T05:31:44.123Z",` +
  `"datacontenttype":"application/json","data":{"paymentId":"p1","merchantId":"m1","amount":100,"currency":"EUR","method":"card","country":"DE","x":${x}}}`;
const decodeText = (text: string) => decodeMessage({ body: Buffer.from(text), arrivalMs: 1 });
const NESTING = new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`);

describe('nestedDeeperThan (no recursion)', () => {
  it('counts an object or array as level 1 and scalars as level 0', () => {
    for (const scalar of [null, undefined, 0, 'x', true]) expect(nestedDeeperThan(scalar, 0)).toBe(false);
    expect(nestedDeeperThan([], 0)).toBe(true);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan([[]], 1)).toBe(true);
    expect(nestedDeeperThan([[]], 2)).toBe(false);
    expect(nestedDeeperThan({ a: 1, b: 'x', c: null }, 1)).toBe(false);
    expect(nestedDeeperThan({ a: 1, b: { c: [1, 2] } }, 2)).toBe(true);
    expect(nestedDeeperThan({ a: 1, b: { c: [1, 2] } }, 3)).toBe(false);
  });
  it('finds the deepest branch among wide ones, whichever side it is on', () => {
    const wide = Array.from({ length: 1000 }, () => ({ a: [1] }));
    expect(nestedDeeperThan(wide, 3)).toBe(false);
    expect(nestedDeeperThan([...wide, { a: [[1]] }], 3)).toBe(true);
    expect(nestedDeeperThan([{ a: [[1]] }, ...wide], 3)).toBe(true);
    expect(nestedDeeperThan(JSON.parse('{"__proto__":[[[]]]}'), 3)).toBe(true); // a plain key, as JSON.parse gives it
  });
  it('reads 20,000 levels of arrays and of objects without overflowing the stack', () => {
    for (const text of [arrays(20_000), objects(20_000)]) {
      const value: unknown = JSON.parse(text);
      expect(nestedDeeperThan(value, MAX_JSON_DEPTH)).toBe(true);
      expect(nestedDeeperThan(value, 20_000)).toBe(false);
      expect(nestedDeeperThan(value, 19_999)).toBe(true);
    }
  });
});

describe('decodeMessage on deeply nested bodies', () => {
  it.each([
    ['arrays', arrays(20_000)],
    ['objects', objects(20_000)],
    ['arrays inside objects', objects(5_000, arrays(15_000))],
  ])('quarantines data with 20,000 nested %s, naming the limit', (_what, x) => {
    const text = paymentText(x);
    expect(text.length).toBeLessThan(200_000);
    const r = decodeText(text);
    expect(r).toEqual({ ok: false, reason: `event is nested deeper than ${MAX_JSON_DEPTH} levels of JSON objects and arrays` });
  });
  it('quarantines it for an unknown type too, and in binary mode', () => {
    expect(decodeText(paymentText(arrays(20_000), 'com.example.other'))).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'b1', 'ce-source': 's', 'ce-type': 'payment.authorized', 'ce-time': '2026-11-23T05:31:44.123Z' };
    const r = decodeMessage({ body: Buffer.from(arrays(20_000)), headers, contentType: 'application/json', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
  });
  it('accepts an event exactly at the limit and refuses one level more (arrays and objects)', () => {
    // x holds k levels, the deepest at level k + 2.
    for (const nest of [arrays, (k: number) => objects(k)]) {
      const at = decodeText(paymentText(nest(MAX_JSON_DEPTH - 2)));
      expect(at.ok).toBe(true);
      if (at.ok) expect(JSON.parse(at.event.json).data.x).toEqual(JSON.parse(nest(MAX_JSON_DEPTH - 2)));
      expect(decodeText(paymentText(nest(MAX_JSON_DEPTH - 1)))).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
    }
  });
  it('normalizeCloudEvent (the replay reads plain lines with it) refuses the parsed object the same way', () => {
    expect(normalizeCloudEvent(JSON.parse(paymentText(arrays(20_000))))).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
    expect(normalizeCloudEvent(JSON.parse(paymentText(arrays(MAX_JSON_DEPTH - 2)))).ok).toBe(true);
  });
});

describe('capture lines with a deeply nested event', () => {
  const deep = paymentText(arrays(20_000));
  it('a recorded line whose event is too deep is a bad line with a reason, not a throw', () => {
    const line = `{"v":1,"arrivalMs":5,"routingKey":null,"headers":null,"contentType":null,"event":${deep}}`;
    expect(parseCaptureLine(Buffer.from(line), 3)).toMatchObject({ line: 3, error: `recorded line: event is nested deeper than ${MAX_JSON_DEPTH} levels of JSON objects and arrays` });
    const atLimit = `{"v":1,"arrivalMs":5,"routingKey":null,"headers":null,"contentType":null,"event":${paymentText(arrays(MAX_JSON_DEPTH - 2))}}`;
    const rec = parseCaptureLine(Buffer.from(atLimit), 3);
    expect(rec && 'raw' in rec && decodeMessage(rec.raw).ok).toBe(true);
  });
  it('a plain line and a recorded bodyBase64 line are read, and the decoder refuses them', () => {
    const lines = [deep, `{"v":1,"arrivalMs":5,"routingKey":null,"headers":null,"contentType":null,"bodyBase64":"${Buffer.from(deep).toString('base64')}"}`];
    for (const line of lines) {
      const rec = parseCaptureLine(Buffer.from(line), 2);
      if (!rec || !('raw' in rec)) throw new Error('expected a message');
      expect(decodeMessage(rec.raw)).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
      if (rec.parsed) expect(normalizeCloudEvent(rec.parsed.object)).toMatchObject({ ok: false, reason: expect.stringMatching(NESTING) });
    }
  });
});
