import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, normalizeCloudEvent } from './decode';
import { PAYMENT_TYPES, RISK_TYPES } from './eventTypes';
import { paymentEvent, riskEvent } from '../../bench/events';
import { SourceCatalogue } from '../../test/support/sourceCatalogue';
import { restoreEnvelope } from './storedEnvelope';
import { STRING_TYPE_NOTE, disallowedCharacter, envelopeAccepted } from './schemas';
import { sourceProblem } from './uriReference';

const conformanceDir = path.resolve(__dirname, '../../../shared/data/cloudevents-conformance');
const load = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(conformanceDir, file), 'utf8')).tests as { id: string; event: unknown }[];
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const decode = (value: unknown, extra: Partial<Parameters<typeof decodeMessage>[0]> = {}) =>
  decodeMessage({ body: body(value), arrivalMs: 1, ...extra });

describe('CloudEvents conformance cases (cloudevents/conformance format/json)', () => {
  it.each(load('valid-events.json'))('accepts $id as an unknown type', ({ event }) => {
    const r = decode(event);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.category).toBe('unknown');
  });
  it.each(load('invalid-events.json'))('quarantines $id with a reason', ({ event }) => {
    const r = decode(event);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
  });
});

describe('CloudEvents conformance cases: the reason names what is wrong', () => {
  // Every invalid case was quarantined, but a missing specversion read 'specversion: must be "1.0"'
  // and every time case the same 'time: must be an RFC 3339 timestamp with seconds', whether the
  // seconds, the offset's form or its range was wrong.
  const expected: Record<string, string> = {
    invalidNoSpecVersion: 'missing required attribute specversion',
    invalidTimeGarbage: 'time: must be an RFC 3339 timestamp with seconds',
    invalidTimeToMinute: 'time: must be an RFC 3339 timestamp with seconds (2018-04-05T18:31Z has no seconds)',
    invalidTimeOffsetX: 'time: must be an RFC 3339 timestamp with seconds (2018-04-05T18:31:00X ends in "X", not Z or an offset +HH:MM / -HH:MM)',
    invalidTimeOffsetOutOfRange: 'time: the offset +25:00 is out of range (hours 00-23, minutes 00-59)',
    invalidTimeOffsetNonInteger: 'time: must be an RFC 3339 timestamp with seconds (2018-04-05T18:31:00+xx:00 ends in "+xx:00", not Z or an offset +HH:MM / -HH:MM)',
    invalidTimeOffsetHourOnly: 'time: must be an RFC 3339 timestamp with seconds (2018-04-05T18:31:00+05 ends in "+05", not Z or an offset +HH:MM / -HH:MM)',
  };
  it.each(load('invalid-events.json').filter((t) => t.id in expected))('quarantines $id with its own reason', ({ id, event }) => {
    expect(decode(event)).toEqual({ ok: false, reason: expected[id] });
  });
  it('names the attribute in every invalid case', () => {
    const attribute = (id: string) =>
      /SpecVersion/.test(id) ? 'specversion' : /Time/.test(id) ? 'time' : /DataContentType/.test(id) ? 'datacontenttype' : /DataSchema/.test(id) ? 'dataschema'
        : /Subject/.test(id) ? 'subject' : /Capitalized/.test(id) ? 'MyExtension' : /Extension/.test(id) ? 'my.extension' : /Base64/.test(id) ? 'data_base64'
          : /Source/.test(id) ? 'source' : /Type/.test(id) ? 'type' : /Id$/.test(id) ? 'id' : '?';
    for (const { id, event } of load('invalid-events.json')) {
      const r = decode(event);
      expect(r.ok, id).toBe(false);
      if (!r.ok) expect(r.reason, id).toContain(attribute(id));
    }
  });
  it('names both problems of invalidNonIntegerExtensionValue: its name, then its value (spec order: naming convention, then type system)', () => {
    const event = load('invalid-events.json').find((t) => t.id === 'invalidNonIntegerExtensionValue')!.event;
    expect(decode(event)).toEqual({
      ok: false,
      reason:
        'extension attribute name "my.extension" must be lower-case letters and digits only; its value 1.5 is not an integer (a number is a CloudEvents Integer: a whole number from -2147483648 to 2147483647)',
    });
  });
  it('names what is wrong with an extension value alone: not an integer, out of the Integer range, not a string, boolean or integer', () => {
    const ce = { specversion: '1.0', id: 'x', source: 's', type: 'o' };
    const integer = '(a number is a CloudEvents Integer: a whole number from -2147483648 to 2147483647)';
    expect(decode({ ...ce, myext: 1.5 })).toEqual({ ok: false, reason: `extension attribute myext: its value 1.5 is not an integer ${integer}` });
    expect(decode({ ...ce, myext: 2147483648 })).toEqual({ ok: false, reason: `extension attribute myext: its value 2147483648 is out of the Integer range ${integer}` });
    expect(decode({ ...ce, myext: -2147483649 })).toEqual({ ok: false, reason: `extension attribute myext: its value -2147483649 is out of the Integer range ${integer}` });
    expect(decode({ ...ce, myext: { a: 1 } })).toEqual({ ok: false, reason: 'extension attribute myext: its value is an object (an extension attribute is a string, boolean or integer)' });
    expect(decode({ ...ce, myext: [1] })).toEqual({ ok: false, reason: 'extension attribute myext: its value is an array (an extension attribute is a string, boolean or integer)' });
    expect(decode({ ...ce, 'My_Ext': { a: 1 } })).toEqual({
      ok: false,
      reason: 'extension attribute name "My_Ext" must be lower-case letters and digits only; its value is an object (an extension attribute is a string, boolean or integer)',
    });
    // The bounds themselves are Integers.
    expect(decode({ ...ce, a: -2147483648, b: 2147483647 }).ok).toBe(true);
  });
  it('names a time whose field is out of range', () => {
    expect(decode({ specversion: '1.0', id: 'x', source: 's', type: 'o', time: '2018-04-05T24:00:00Z' })).toEqual({ ok: false, reason: 'time: 2018-04-05T24:00:00Z has hour 24 (00-23)' });
    expect(decode({ specversion: '1.0', id: 'x', source: 's', type: 'o', time: '2018-13-05T10:00:00Z' })).toEqual({ ok: false, reason: 'time: 2018-13-05T10:00:00Z has month 13 (01-12)' });
    expect(decode({ specversion: '1.0', id: 'x', source: 's', type: 'o', time: '2018-04-05T10:00:61Z' })).toEqual({ ok: false, reason: 'time: 2018-04-05T10:00:61Z has second 61 (00-59, 60 for a leap second)' });
    expect(decode({ specversion: '1.0', id: 'x', source: 's', type: 'o', time: '2018-04-05T10:00:60Z' })).toEqual({ ok: false, reason: 'time: 2018-04-05T10:00:60Z has second 60, which only the last minute of a UTC day can have (a leap second)' });
  });
});

describe('payment and risk events', () => {
  it.each(PAYMENT_TYPES)('decodes %s with its data fields', (type) => {
    const e = paymentEvent(type);
    const r = decode(e);
    expect(r).toMatchObject({ ok: true, event: { type, category: 'payment', id: e.id, source: e.source, amount: e.data.amount, currency: e.data.currency } });
    if (r.ok) expect(r.event.timeMs).toBe(Date.parse(e.time));
  });
  it.each(RISK_TYPES)('decodes %s with score and decision', (type) => {
    const e = riskEvent(type);
    const r = decode(e);
    expect(r).toMatchObject({ ok: true, event: { type, category: 'risk', score: e.data.score, decision: e.data.decision } });
  });
  it('keeps the optional dimensions when present, and none when absent', () => {
    const dims = { issuer: 'tamarind-card', scheme: 'mastercard', acquirer: 'acq-north', mcc: '5411', threeDS: 'frictionless', attempt: 2 };
    const r = decode(paymentEvent('payment.declined', {}, { ...dims, declineCode: '91' }));
    expect(r).toMatchObject({ ok: true, event: { dimensions: dims, declineCode: '91' } });
    const plain = decode(paymentEvent('payment.declined'));
    expect(plain.ok && plain.event.dimensions).toBeUndefined();
  });
  it('stores the event without the fields its columns hold or its source, and restores it whole from them and the source code', () => {
    const sent = paymentEvent('payment.authorized', {}, { amount: 1234, currency: 'KWD', customerId: 'c1' });
    const r = decodeMessage({ body: Buffer.from(JSON.stringify(sent)), arrivalMs: 1 });
    if (!r.ok) throw new Error(r.reason);
    const sources = new SourceCatalogue();
    sources.codeOf('another/source');
    const stored = JSON.parse(sources.stored(r.event)) as Record<string, unknown>;
    expect(stored).toMatchObject({ id: sent.id, data: { customerId: 'c1' } });
    expect(stored).not.toHaveProperty('type');
    expect(stored).not.toHaveProperty('source');
    expect(stored.data).not.toHaveProperty('amount');
    expect(restoreEnvelope(stored, { ...r.event, timeMs: r.event.timeMs }, sources.sourceOf)).toEqual(sent);
  });

  const cases: [string, unknown, RegExp][] = [
    ['missing time', { ...paymentEvent('payment.authorized'), time: undefined }, /time/],
    ['missing data', { ...paymentEvent('payment.authorized'), data: undefined }, /data/],
    ['missing paymentId', paymentEvent('payment.authorized', {}, { paymentId: undefined }), /data\.paymentId/],
    ['amount as a string', paymentEvent('payment.authorized', {}, { amount: '12.50' }), /data\.amount/],
    ['fractional amount', paymentEvent('payment.authorized', {}, { amount: 12.5 }), /integer/],
    ['negative amount', paymentEvent('payment.authorized', {}, { amount: -1 }), /data\.amount/],
    ['lower-case currency', paymentEvent('payment.authorized', {}, { currency: 'eur' }), /ISO 4217/],
    ['country of three letters', paymentEvent('payment.authorized', {}, { country: 'DEU' }), /ISO 3166/],
    ['score over 100', riskEvent('risk.scored', {}, { score: 101 }), /data\.score/],
    ['unknown decision', riskEvent('risk.scored', {}, { decision: 'maybe' }), /data\.decision/],
    ['time without seconds', paymentEvent('payment.authorized', { time: '2026-11-23T05:31Z' }), /RFC 3339/],
    ['time on February 30', paymentEvent('payment.authorized', { time: '2026-02-30T00:00:00.000Z' }), /^time: 2026-02-30 is not a calendar date$/],
    ['time on April 31', paymentEvent('payment.authorized', { time: '2026-04-31T12:00:00Z' }), /^time: 2026-04-31 is not a calendar date$/],
    ['time on February 29 of a common year', paymentEvent('payment.authorized', { time: '2025-02-29T12:00:00+01:00' }), /^time: 2025-02-29 is not a calendar date$/],
    ['time on February 29, 1900', riskEvent('risk.scored', { time: '1900-02-29T00:00:00.000Z' }), /^time: 1900-02-29 is not a calendar date$/],
    ['data as an array', paymentEvent('payment.authorized', { data: [1, 2] }), /data/],
    ['an empty issuer', paymentEvent('payment.authorized', {}, { issuer: '' }), /data\.issuer/],
    ['an upper-case scheme', paymentEvent('payment.authorized', {}, { scheme: 'Visa' }), /data\.scheme/],
    ['an acquirer as a number', paymentEvent('payment.authorized', {}, { acquirer: 7 }), /data\.acquirer/],
    ['an mcc of three digits', paymentEvent('payment.authorized', {}, { mcc: '541' }), /data\.mcc/],
    ['an unknown threeDS outcome', paymentEvent('payment.authorized', {}, { threeDS: 'maybe' }), /data\.threeDS/],
    ['attempt 0', paymentEvent('payment.authorized', {}, { attempt: 0 }), /data\.attempt/],
    ['a fractional attempt', paymentEvent('payment.authorized', {}, { attempt: 1.5 }), /data\.attempt/],
  ];
  it('keeps February 29 of a leap year (2024, 2000) at its own instant', () => {
    for (const time of ['2024-02-29T00:00:00.000Z', '2000-02-29T23:59:59Z']) {
      const r = decode(paymentEvent('payment.authorized', { time }));
      expect(r).toMatchObject({ ok: true, event: { timeMs: Date.parse(time) } });
    }
  });
  it('quarantines an unknown type with an impossible time too', () => {
    const r = decode({ specversion: '1.0', id: 'u1', source: 's', type: 'com.example.other', time: '2026-02-30T00:00:00Z' });
    expect(r).toEqual({ ok: false, reason: 'time: 2026-02-30 is not a calendar date' });
  });
  it.each(cases)('quarantines an event with %s', (_name, event, reason) => {
    const r = decode(event);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('malformed bodies', () => {
  it('quarantines a body that is not JSON', () => {
    expect(decode('not json {')).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
  });
  it('quarantines bad UTF-8', () => {
    const r = decodeMessage({ body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/UTF-8/) });
  });
  it('quarantines an oversized body, naming both sizes', () => {
    const r = decodeMessage({ body: Buffer.alloc(2048, 0x20), arrivalMs: 1 }, { maxBodyBytes: 1024 });
    expect(r).toMatchObject({ ok: false, reason: 'body of 2048 bytes exceeds the limit of 1024 bytes' });
  });
  it('quarantines an empty body, a JSON array and a JSON string', () => {
    expect(decode('').ok).toBe(false);
    expect(decode([1]).ok).toBe(false);
    expect(decode('"text"').ok).toBe(false);
  });
});

describe('binary content mode (AMQP headers)', () => {
  const data = paymentEvent('payment.captured').data;
  it.each(['cloudEvents:', 'cloudEvents_', 'ce-', 'ce_'])('reads attributes from %s headers', (prefix) => {
    const headers = {
      [`${prefix}specversion`]: '1.0',
      [`${prefix}id`]: 'bin-1',
      [`${prefix}source`]: 'psp/capture',
      [`${prefix}type`]: 'payment.captured',
      [`${prefix}time`]: '2026-11-23T05:31:44.123Z',
    };
    const r = decodeMessage({ body: body(data), headers, contentType: 'application/json', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: true, event: { id: 'bin-1', type: 'payment.captured', amount: data.amount } });
  });
  it('reads `time` sent as an AMQP timestamp (the binding maps Timestamp to it), as amqplib decodes one', () => {
    const at = Date.UTC(2026, 10, 23, 5, 31, 44);
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'ts-1', 'cloudEvents:source': 'psp/capture', 'cloudEvents:type': 'payment.captured' };
    for (const value of [at / 1000, at]) {
      const r = decodeMessage({ body: body(data), headers: { ...headers, 'cloudEvents:time': { '!': 'timestamp', value } }, contentType: 'application/json', arrivalMs: 1 });
      expect(r).toMatchObject({ ok: true, event: { id: 'ts-1', timeMs: at } });
    }
    const bad = decodeMessage({ body: body(data), headers: { ...headers, 'cloudEvents:time': { '!': 'timestamp', value: 'soon' } }, contentType: 'application/json', arrivalMs: 1 });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringMatching(/^time/) });
  });
  it('names what stands where a payment event needs its data object', () => {
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'd', 'ce-source': 's', 'ce-type': 'payment.authorized', 'ce-time': '2026-11-23T05:31:44Z' };
    const notText = decodeMessage({ body: Buffer.from([0xc3, 0x28]), headers, contentType: 'application/octet-stream', arrivalMs: 1 });
    expect(notText).toMatchObject({ ok: false, reason: 'data: payment.authorized needs a JSON object as data, found bytes that are not UTF-8 text' });
    const array = decodeMessage({ body: body([1, 2]), headers, contentType: 'application/json', arrivalMs: 1 });
    expect(array).toMatchObject({ ok: false, reason: 'data: payment.authorized needs a JSON object as data, found an array' });
    const pan = decodeMessage({ body: body({ ...data, cardBin: '4111111111111111' }), headers, contentType: 'application/json', arrivalMs: 1 });
    expect(pan).toMatchObject({ ok: false, reason: expect.stringMatching(/cardBin: must be 4 to 11 digits/) });
  });
  it('names JSON data sent under a content type that is not JSON, or as data_base64, for what it is', () => {
    // Was "found text that is not JSON" for the JSON text of a payment sent as text/plain, and
    // "found bytes that are not UTF-8 text" for its UTF-8 JSON sent as data_base64.
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'd', 'ce-source': 's', 'ce-type': 'payment.authorized', 'ce-time': '2026-11-23T05:31:44Z' };
    for (const contentType of ['text/plain', 'application/octet-stream']) {
      const r = decodeMessage({ body: body(data), headers, contentType, arrivalMs: 1 });
      expect(r).toMatchObject({ ok: false, reason: `data: payment.authorized needs a JSON object as data, found text declared ${contentType} (JSON data needs application/json or a +json type)` });
    }
    const { data: _data, ...attributes } = paymentEvent('payment.authorized');
    const base64 = decode({ ...attributes, data_base64: Buffer.from(JSON.stringify(data)).toString('base64') });
    expect(base64).toMatchObject({ ok: false, reason: expect.stringMatching(/found data_base64 \(bytes\): send the JSON object as data$/) });
  });
  it('quarantines a binary-mode event whose declared JSON data does not parse', () => {
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'x', 'cloudEvents:source': 's', 'cloudEvents:type': 'other' };
    const r = decodeMessage({ body: body('{oops'), headers, contentType: 'application/json', arrivalMs: 1 });
    expect(r.ok).toBe(false);
  });
  it('names the missing specversion header when the other attributes came as headers', () => {
    // invalidNoSpecVersion sent in binary mode: was quarantined as "body is empty".
    const headers = { 'cloudEvents:id': 'invalid', 'cloudEvents:type': 'io.cloudevents.test', 'cloudEvents:source': 'https://cloudevents.io' };
    for (const value of ['', data]) {
      const r = decodeMessage({ body: body(value), headers, contentType: 'application/json', arrivalMs: 1 });
      expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing required attribute specversion .*cloudEvents:id.*cloudEvents:specversion/) });
    }
    // A structured event beside stray headers keeps its own verdict and reason.
    const structured = { specversion: '1.0', id: 's', source: 's', type: 'other', subject: '' };
    expect(decodeMessage({ body: body(structured), headers: { 'ce-id': 'x' }, arrivalMs: 1 })).toMatchObject({ ok: false, reason: 'subject: must be a non-empty string' });
    expect(decodeMessage({ body: body({ ...structured, subject: 'ok' }), headers: { 'ce-id': 'x' }, arrivalMs: 1 }).ok).toBe(true);
  });
  it('quarantines an upper-case extension name in a cloudEvents: header, as the structured form does', () => {
    // invalidCapitalizedExtension: AMQP header names are case-sensitive, so "MyExtension" is not "myextension".
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'x', 'cloudEvents:source': 's', 'cloudEvents:type': 'other', 'cloudEvents:MyExtension': 'bad' };
    const r = decodeMessage({ body: Buffer.alloc(0), headers, arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/extension attribute name "MyExtension"/) });
    // HTTP header names are case-insensitive: a bridge's ce-MyExtension is the attribute myextension.
    const bridged = { 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-source': 's', 'ce-type': 'other', 'ce-MyExtension': 'ok' };
    const b = decodeMessage({ body: Buffer.alloc(0), headers: bridged, arrivalMs: 1 });
    expect(b.ok && JSON.parse(b.event.json).myextension).toBe('ok');
  });
  it('keeps non-UTF-8 binary data of an unknown type as data_base64', () => {
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'b', 'ce-source': 's', 'ce-type': 'com.example.blob' };
    const r = decodeMessage({ body: Buffer.from([0xff, 0x00, 0x01]), headers, contentType: 'application/octet-stream', arrivalMs: 1 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.parse(r.event.json).data_base64).toBe('/wAB');
  });
});

describe('robustness', () => {
  it('never throws on arbitrary bytes, headers and JSON values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((j) => new TextEncoder().encode(j))),
        fc.option(fc.dictionary(fc.constantFrom('ce-id', 'ce-specversion', 'ce-type', 'ce-source', 'cloudEvents:time', 'x'), fc.oneof(fc.string(), fc.integer(), fc.uint8Array({ maxLength: 8 })))),
        (bytes, headers) => {
          const r = decodeMessage({ body: bytes, headers: headers ?? undefined, arrivalMs: 1 });
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.reason).toBeTruthy();
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('never throws on arbitrary objects shaped like events', () => {
    const attr = fc.oneof(fc.string(), fc.constant('1.0'), fc.integer(), fc.constant(null), fc.boolean());
    fc.assert(
      fc.property(
        fc.record({ specversion: attr, id: attr, source: attr, type: fc.constantFrom(...PAYMENT_TYPES, ...RISK_TYPES, 'x.y'), time: attr, data: fc.anything() }, { requiredKeys: [] }),
        (obj) => {
          const r = normalizeCloudEvent(obj);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('characters a CloudEvents String excludes (core spec, Type System)', () => {
  // The spec's String is a sequence of allowable Unicode characters: the C0 (U+0000-U+001F) and C1
  // (U+007F-U+009F) control characters, noncharacters and unpaired surrogates are disallowed, so an
  // attribute holding one makes the event invalid. They were accepted, NUL and newline included.
  const base = { specversion: '1.0', id: 'ch-1', source: 'psp/authorizer', type: 'com.example.other', subject: 'pay_1' };
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['NUL in source', { source: 'psp/\u0000auth' }, 'source', 'U+0000'],
    ['a newline in id', { id: 'evt-1\nevt-2' }, 'id', 'U+000A'],
    ['DEL in type', { type: 'com.example\u007f' }, 'type', 'U+007F'],
    ['a C1 control (NEL) in subject', { subject: 'pay_\u0085' }, 'subject', 'U+0085'],
    ['a C1 control (U+009F) in dataschema', { dataschema: 'https://example.com/\u009f' }, 'dataschema', 'U+009F'],
    ['a lone high surrogate in id', { id: 'evt-\ud800' }, 'id', 'U+D800'],
    ['a lone low surrogate in source', { source: '\udead/psp' }, 'source', 'U+DEAD'],
    ['a reversed pair in subject', { subject: '\udc00\ud800' }, 'subject', 'U+DC00'],
    ['a noncharacter in type', { type: 'com.example.\ufdd0' }, 'type', 'U+FDD0'],
    ['U+FFFF in id', { id: 'x\uffff' }, 'id', 'U+FFFF'],
    ['an astral noncharacter (U+1FFFE) in source', { source: 'psp/\u{1fffe}' }, 'source', 'U+1FFFE'],
    ['a control character in a string extension', { myext: 'a\u0001b' }, 'myext', 'U+0001'],
  ];
  it.each(cases)('quarantines %s, naming the attribute and the code point', (_name, attrs, attribute, codePoint) => {
    for (const r of [decode({ ...base, ...attrs }), normalizeCloudEvent({ ...base, ...attrs })]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason.startsWith(`${attribute}: `)).toBe(true);
        expect(r.reason).toContain(codePoint);
      }
    }
  });
  it('quarantines a payment event with a control character in id, and binary mode alike', () => {
    expect(decode(paymentEvent('payment.authorized', { id: 'pay-evt\u0000' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: .*U\+0000/) });
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'b\u001b[31m', 'ce-source': 's', 'ce-type': 'com.example.blob' };
    expect(decodeMessage({ body: Buffer.alloc(0), headers, arrivalMs: 1 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: .*U\+001B/) });
  });
  it('accepts well-formed unicode in attributes: pairs, astral, CJK, RTL marks, combining marks, U+00A0, U+FFFD', () => {
    const attrs = { source: 'psp/çø-💳', id: 'ид-１-\u202e-e\u0301-\ud800\udead', subject: '東京\u00a0\ufffd', type: 'com.example.ünïcødé-✓', myext: '𝔘\u00a0' };
    const r = decode({ ...base, ...attrs });
    expect(r).toMatchObject({ ok: true, event: { source: attrs.source, id: attrs.id, subject: attrs.subject, type: attrs.type } });
  });
  it('does not restrict strings in data beyond the contract (EVENTS.md): control characters in data are kept', () => {
    const e = paymentEvent('payment.declined', {}, { reason: 'line 1\nline 2\u0000\u0085', customerNote: '\ud800\u0007', declineCode: '05\t' });
    const r = decode(e);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.declineCode).toBe('05\t');
    const text = decode({ ...base, datacontenttype: 'text/plain', data: 'a\u0000b\udc00' });
    expect(text.ok).toBe(true);
  });
});

describe('source is a URI-reference (core spec: RFC 3986 section 4.1)', () => {
  // Any non-empty string was accepted as a source, spaces, stray "%" and all.
  const base = { specversion: '1.0', id: 'u-1', type: 'com.example.other' };
  const refused: [string, string, RegExp][] = [
    ['a space', 'psp authorizer', /^source: not a URI-reference \(RFC 3986\): " " \(U\+0020\) at offset 3 /],
    ['a "%" without two hex digits', 'psp/%zz', /^source: .*"%" at offset 4 is not followed by two hex digits/],
    ['a "%" at the end', 'psp/100%', /^source: .*"%" at offset 7 /],
    ['a second "#"', 'psp#a#b', /^source: .*a second "#" at offset 5/],
    ['a colon after something that is not a scheme', '1psp:auth', /^source: .*the colon at offset 4 follows "1psp", which is not a scheme/],
    ['a colon after an underscore name', 'm_1042:gw', /^source: .*which is not a scheme/],
    ['angle brackets', '<psp>', /^source: .*"<" \(U\+003C\) at offset 0 /],
    ['a backslash', 'psp\\auth', /^source: .*"\\\\" \(U\+005C\) at offset 3 /],
    ['a brace', 'psp/{id}', /^source: .*"\{" \(U\+007B\) at offset 4 /],
    ['a port that is not digits', 'https://psp.example:80a/x', /^source: .*port "80a" is not digits/],
    ['an unclosed IP literal', 'https://[::1/x', /^source: .*"\[" at offset 8 opens an IP literal that is not closed/],
    ['a bracket in the path', 'psp/[0]', /^source: .*"\[" \(U\+005B\) at offset 4 /],
  ];
  it.each(refused)('quarantines a source with %s, naming the attribute and the character', (_name, source, reason) => {
    for (const r of [decode({ ...base, source }), normalizeCloudEvent({ ...base, source })]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });
  it('quarantines a payment event and a binary-mode event alike', () => {
    expect(decode(paymentEvent('payment.authorized', { source: 'psp gateway' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^source: not a URI-reference/) });
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'b', 'cloudEvents:source': 'psp\\gw', 'cloudEvents:type': 'com.example.blob' };
    expect(decodeMessage({ body: Buffer.alloc(0), headers, arrivalMs: 1 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^source: not a URI-reference/) });
  });
  const accepted = [
    'https://cloudevents.io', 'https://github.com/cloudevents', 'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66', '/cloudevents/spec/pull/123', '/sensors/tn-1234567/alerts', '1-555-123-4567',
    '/payments', 'psp/authorizer', '#fragment', '//authority/path', './a:b', 'a/b:c', '?q=1&r=2', '', // '' is refused as empty, below
    'https://user:pw@psp.example:8443/a;b=c/d?x=%20y&z=%5B1%5D#frag/?', 'https://[::1]:5672/vhost', 'http://[v1.fe80::a+en1]/', 'file:///var/log',
    'https://例え.jp/支払い', 'psp/çø-💳', 'urn:isbn:0451450523', 'tag:psp.example,2026:auth', 's', "psp/!$&'()*+,;=:@-._~",
  ].filter((s) => s !== '');
  it.each(accepted)('accepts the source %s', (source) => {
    const r = decode({ ...base, source });
    expect(r).toMatchObject({ ok: true, event: { source } });
  });
  it('accepts every web URL fast-check writes (RFC 3986 URIs with query and fragment)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['https', 'amqp', 'urn+x'] }), (source) => {
        expect(decode({ ...base, source })).toMatchObject({ ok: true });
      }),
      { numRuns: 2000 },
    );
  });
  it('still names an empty source as such', () => {
    expect(decode({ ...base, source: '' })).toMatchObject({ ok: false, reason: 'source: must be a non-empty string' });
  });
});

describe('dataschema is a URI, never a relative reference (core spec: URI type; RFC 3986 section 3)', () => {
  // Any non-empty string was accepted as a dataschema, a relative path or a sentence included.
  // Then a schema named with a fragment (one definition of a schema file, as JSON Schema's $ref
  // names it) was refused as "not an absolute URI": the spec's prose cites RFC 3986 section 4.3,
  // but its own JSON schema types dataschema as format "uri" (fragment allowed), as its SDKs read it.
  const base = { specversion: '1.0', id: 'ds-1', source: 'psp/authorizer', type: 'com.example.other' };
  const refused: [string, string, RegExp][] = [
    ['a relative path', 'schemas/payment.json', /^dataschema: not a URI \(RFC 3986 section 3: a scheme, then an optional query and fragment\): it has no scheme/],
    ['a path from the root', '/schemas/payment.json', /^dataschema: .*no scheme/],
    ['a network-path reference', '//schemas.example/payment', /^dataschema: .*no scheme/],
    ['a fragment alone (a same-document reference)', '#/defs/payment', /^dataschema: .*no scheme/],
    ['a relative path and a fragment', 'schemas/payment.json#/defs/payment', /^dataschema: .*no scheme/],
    ['a second "#"', 'https://schemas.example/payment.json#/defs#amount', /^dataschema: .*a second "#" at offset 42/],
    ['a space', 'https://schemas.example/pay ment', /^dataschema: .*" " \(U\+0020\) at offset 27 /],
    ['a colon after what is not a scheme', 'v_1:payment', /^dataschema: .*which is not a scheme/],
  ];
  it.each(refused)('quarantines a dataschema with %s, naming the attribute and what is wrong', (_name, dataschema, reason) => {
    expect(decode({ ...base, dataschema })).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    expect(decode(paymentEvent('payment.authorized', { dataschema }))).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
  it.each([
    'https://cloudevents.io/dataschema', 'urn:example:payment:v1', 'https://schemas.example/p?v=2', 'file:///schemas/p.json', 'https://schémas.example/paiement',
    'https://example.com/schema.json#/defs/payment', 'https://example.com/schema.json?v=2#payment', 'urn:example:schemas#payment', 'https://example.com/schema.json#',
  ])(
    'accepts the dataschema %s',
    (dataschema) => {
      expect(decode({ ...base, dataschema })).toMatchObject({ ok: true });
    },
  );
  it('keeps null as absent and names an empty one as such', () => {
    expect(decode({ ...base, dataschema: null })).toMatchObject({ ok: true });
    expect(decode({ ...base, dataschema: '' })).toMatchObject({ ok: false, reason: 'dataschema: must be a non-empty string' });
  });
});

describe('data_base64 is base64 (JSON format: RFC 4648)', () => {
  // Any string was accepted as data_base64: stored, exported and masked as if it held bytes.
  const base = { specversion: '1.0', id: 'b64-1', source: 'psp/authorizer', type: 'com.example.blob', datacontenttype: 'application/octet-stream' };
  const refused: [string, string, RegExp][] = [
    ['a space', 'TWFu TWFu', /^data_base64: not base64 \(RFC 4648\): " " \(U\+0020\) at offset 4 is not in the base64 alphabet/],
    ['text that is not base64 at all', 'not base64!!', /^data_base64: .*" " \(U\+0020\) at offset 3 /],
    ['a line break', 'TWFu\nTWFu', /^data_base64: .*"\\n" \(U\+000A\) at offset 4 /],
    ['base64url characters', 'ab-_', /^data_base64: .*"-" \(U\+002D\) at offset 2 .*base64url/],
    ['no padding', 'TWE', /^data_base64: .*3 characters: base64 comes in groups of 4/],
    ['a length off by one', 'TWFuT', /^data_base64: .*5 characters/],
    ['padding in the middle', 'TQ==TWFu', /^data_base64: .*"=" at offset 2 is padding before the end/],
    ['three padding characters', 'T===', /^data_base64: .*"=" at offset 1 is padding before the end/],
  ];
  it.each(refused)('quarantines data_base64 with %s, naming the attribute and what is wrong', (_name, data_base64, reason) => {
    expect(decode({ ...base, data_base64 })).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
    expect(normalizeCloudEvent({ ...base, data_base64 })).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
  it.each(['', 'TQ==', 'TWE=', 'TWFu', 'TWFuTWE=', '/wAB', '+/+/', Buffer.from('ünïcødé 💳').toString('base64')])('accepts the data_base64 %j', (data_base64) => {
    const r = decode({ ...base, data_base64 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.parse(r.event.json).data_base64).toBe(data_base64);
  });
  it('accepts any bytes as Buffer writes them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decode({ ...base, data_base64: Buffer.from(bytes).toString('base64') }).ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
  it('names bad base64 where a payment event needs data too, before what it holds', () => {
    const { data: _data, ...attributes } = paymentEvent('payment.authorized');
    expect(decode({ ...attributes, data_base64: 'eyJhIjoxfQ' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^data_base64: not base64/) });
  });
});

describe('structured mode declared by content type (AMQP binding 3.2)', () => {
  // A structured-mode message may carry the attributes as cloudEvents: application properties too
  // (AMQP binding 3.2.3). It was read as binary mode because of them, the whole event becoming its
  // own data: a payment event was quarantined ("missing required attribute data.paymentId") and an
  // unknown one stored with the envelope nested in data.
  const sent = paymentEvent('payment.authorized');
  const copies = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': sent.id, 'cloudEvents:source': sent.source, 'cloudEvents:type': sent.type, 'cloudEvents:time': sent.time };
  it.each(['application/cloudevents+json', 'application/cloudevents+json; charset=UTF-8', 'Application/CloudEvents+JSON'])(
    'reads the body as the event under %s, whatever the headers say',
    (contentType) => {
      const r = decodeMessage({ body: body(sent), headers: copies, contentType, arrivalMs: 1 });
      expect(r).toMatchObject({ ok: true, event: { id: sent.id, category: 'payment', amount: sent.data.amount, paymentId: sent.data.paymentId } });
      const other = { specversion: '1.0', id: 'o-1', source: 'ops/x', type: 'com.example.other', data: { k: 1 } };
      const o = decodeMessage({ body: body(other), headers: { ...copies, 'cloudEvents:type': 'com.example.other' }, contentType, arrivalMs: 1 });
      expect(o.ok && JSON.parse(o.event.json).data).toEqual({ k: 1 });
    },
  );
  it('keeps the structured verdict and reason of an invalid structured event beside headers', () => {
    const r = decodeMessage({ body: body({ ...sent, source: 'psp gw' }), headers: copies, contentType: 'application/cloudevents+json', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^source: not a URI-reference/) });
  });
  it('still reads binary mode under a data content type', () => {
    const r = decodeMessage({ body: body(sent.data), headers: copies, contentType: 'application/json', arrivalMs: 1 });
    expect(r).toMatchObject({ ok: true, event: { id: sent.id, amount: sent.data.amount } });
  });
});

describe('binary-mode attributes sent as AMQP binary (byte array headers)', () => {
  // The AMQP binding maps a Binary attribute to AMQP binary, which amqplib hands over as bytes.
  // Bytes that were not UTF-8 made the whole message "a cloudEvents header is not valid UTF-8",
  // a valid event quarantined, without saying which header.
  const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'bin-x', 'cloudEvents:source': 'psp/capture', 'cloudEvents:type': 'com.example.blob' };
  it('keeps an extension holding bytes as Binary, in its canonical string form (base64)', () => {
    for (const bytes of [Buffer.from([0xff, 0x00, 0x01]), new Uint8Array([0x80, 0x81])]) {
      const r = decodeMessage({ body: Buffer.alloc(0), headers: { ...headers, 'cloudEvents:extbinary': bytes }, arrivalMs: 1 });
      expect(r.ok).toBe(true);
      if (r.ok) expect(JSON.parse(r.event.json).extbinary).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
  it('still reads UTF-8 bytes as the text they are', () => {
    const r = decodeMessage({ body: Buffer.alloc(0), headers: { ...headers, 'ce-traceparent': Buffer.from('00-abc-01'), 'cloudEvents:id': Buffer.from('bin-ü') }, arrivalMs: 1 });
    expect(r).toMatchObject({ ok: true, event: { id: 'bin-ü' } });
    if (r.ok) expect(JSON.parse(r.event.json).traceparent).toBe('00-abc-01');
  });
  it.each(['id', 'source', 'type', 'subject', 'specversion'])('quarantines %s as bytes that are not UTF-8, naming the attribute and its header', (name) => {
    const r = decodeMessage({ body: Buffer.alloc(0), headers: { ...headers, [`cloudEvents:${name}`]: Buffer.from([0x62, 0xff]) }, arrivalMs: 1 });
    expect(r).toMatchObject({ ok: false, reason: `${name}: the header cloudEvents:${name} holds bytes that are not UTF-8 text (only an extension attribute can be Binary)` });
  });
});

describe('datacontenttype (RFC 2046 media type)', () => {
  // A quoted parameter value may hold a quoted-pair (RFC 2045 via RFC 822: \" and \\); one that
  // did was quarantined as "must be an RFC 2046 media type".
  const base = { specversion: '1.0', id: 'ct-1', source: 'psp/authorizer', type: 'com.example.other' };
  it.each(['text/plain; charset="utf\\"8"', 'multipart/mixed; boundary="a\\\\b"; x=y', 'application/json', 'text/plain; charset="utf-8"', 'application/vnd.api+json;v=2'])(
    'accepts %s',
    (datacontenttype) => {
      expect(decode({ ...base, datacontenttype })).toMatchObject({ ok: true });
    },
  );
  it.each(['xyz', 'text/', 'text/plain; charset', 'text/plain; charset="utf-8', 'text/plain; charset="a\\"', 'text /plain'])('quarantines %s, naming the attribute', (datacontenttype) => {
    expect(decode({ ...base, datacontenttype })).toMatchObject({ ok: false, reason: 'datacontenttype: must be an RFC 2046 media type' });
  });
});

describe('binary mode: data travels in the body, never as a header', () => {
  // CloudEvents reserves the name data (no attribute may have it) and binary mode carries the data
  // in the body. A ce-data header became the event's data when the body was empty and was dropped
  // silently when it was not; a cloudEvents:data_base64 header made "event has both data and
  // data_base64" of a message that has one body.
  const headers = { 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-source': 's', 'ce-type': 'com.example.other' };
  it.each([
    ['ce-data', 'hello'],
    ['cloudEvents:data', '{"a":1}'],
    ['cloudEvents:data_base64', 'TWE='],
    ['CE_DATA', 'x'],
  ])('quarantines the header %s, with or without a body', (header, value) => {
    for (const body of [Buffer.alloc(0), Buffer.from('body')]) {
      const r = decodeMessage({ body, headers: { ...headers, [header]: value }, contentType: 'text/plain', arrivalMs: 1 });
      expect(r).toMatchObject({ ok: false, reason: `the header ${header} is not an attribute: binary mode carries the event's data in the body` });
    }
  });
});

describe('batch mode (application/cloudevents-batch+json)', () => {
  // A batch of events in one message was quarantined as "body is not a JSON object", which does not
  // say that the console reads one event per message (EVENTS.md) nor what the message was.
  const events = [{ specversion: '1.0', id: 'b1', source: 's', type: 'o' }, { specversion: '1.0', id: 'b2', source: 's', type: 'o' }];
  it('quarantines a batch, saying it is one and how many events it holds', () => {
    for (const contentType of ['application/cloudevents-batch+json', 'application/cloudevents-batch+json; charset=utf-8']) {
      const r = decodeMessage({ body: body(events), contentType, arrivalMs: 1 });
      expect(r).toEqual({ ok: false, reason: 'body is a batch of 2 events (application/cloudevents-batch+json): the console reads one event per message' });
    }
  });
  it('reads a batch beside cloudEvents: headers as a batch, not as binary mode', () => {
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'x', 'cloudEvents:source': 's', 'cloudEvents:type': 'o' };
    const r = decodeMessage({ body: body(events.slice(0, 1)), headers, contentType: 'application/cloudevents-batch+json', arrivalMs: 1 });
    expect(r).toEqual({ ok: false, reason: 'body is a batch of 1 event (application/cloudevents-batch+json): the console reads one event per message' });
  });
  it('keeps the plain reason for an array that is not declared a batch', () => {
    expect(decodeMessage({ body: body(events), contentType: 'application/json', arrivalMs: 1 })).toEqual({ ok: false, reason: 'body is not a JSON object' });
  });
});

describe('IRI characters in source and dataschema (RFC 3987)', () => {
  // Every character past ASCII was taken as an IRI character. RFC 3987 4.1 forbids the bidi
  // formatting characters in an IRI (a right-to-left override makes "psp/‮gw" display as
  // something else), the specials U+FFF0-U+FFFD are no IRI characters (ucschar), and private-use
  // characters may appear in the query only (iprivate).
  const base = { specversion: '1.0', id: 'iri-1', type: 'com.example.other' };
  it.each([
    ['psp/\u202egw', 'U+202E', 'a bidi formatting character'],
    ['psp/\u200fgw', 'U+200F', 'a bidi formatting character'],
    ['https://psp.example/\ufffd', 'U+FFFD', 'not an IRI character'],
    ['psp/\ue000', 'U+E000', 'a private-use character, allowed in the query only'],
    ['psp/\u{f0000}', 'U+F0000', 'a private-use character, allowed in the query only'],
  ])('quarantines the source %j, naming %s', (source, codePoint, what) => {
    const r = decode({ ...base, source });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(/^source: not a URI-reference \(RFC 3986\): /);
      expect(r.reason).toContain(codePoint);
      expect(r.reason).toContain(what);
    }
  });
  it('accepts private-use characters in the query, and letters, marks and symbols anywhere', () => {
    for (const source of ['psp/x?k=\ue000', 'https://psp.example/a?\u{100000}', 'psp/東京/ü/e\u0301/𝔘/💳', 'https://例え.jp/支払い#段落']) {
      expect(decode({ ...base, source })).toMatchObject({ ok: true, event: { source } });
    }
    expect(decode({ ...base, source: 'psp/a', dataschema: 'https://schemas.example/\u202e' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^dataschema: .*U\+202E/) });
  });
});

describe('a member repeated in the event object (RFC 8259 section 4: names SHOULD be unique)', () => {
  // JSON.parse keeps the last of a repeated name, other readers the first or refuse: an event
  // with two ids or two sources (two producers' text spliced, a proxy appending its own) means
  // something else to each reader, so it is refused, naming the attribute.
  const text = (members: string) => `{"specversion":"1.0","type":"x.y",${members}}`;
  it.each([
    ['id', '"id":"a","source":"s","id":"b"'],
    ['source', '"id":"a","source":"psp/one","source":"psp/two"'],
    ['type', '"id":"a","source":"s","type":"x.z"'],
    ['specversion', '"id":"a","source":"s","specversion":"1.0"'],
    ['time', '"id":"a","source":"s","time":"2026-01-01T00:00:00Z","time":"2026-01-01T00:00:01Z"'],
    ['data', '"id":"a","source":"s","data":{"x":1},"data":{"x":2}'],
    ['myext', '"id":"a","source":"s","myext":"1","myext":"2"'],
  ])('quarantines a repeated %s, naming it', (name, members) => {
    expect(decode(text(members))).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^${name}: repeated in the event object`)) });
  });
  it('sees a repeat written with escapes ("\\u0069d" is id) and after whitespace', () => {
    expect(decode(text('"id":"a","source":"s",\n  "\\u0069d" : "b"'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: repeated/) });
  });
  it('quarantines a payment event whose id is repeated (two producers, one message)', () => {
    const e = paymentEvent('payment.authorized');
    const spliced = JSON.stringify(e).replace(/^\{/, `{"id":"other-producer-1",`);
    expect(decode(spliced)).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: repeated/) });
    expect(decode(e).ok).toBe(true);
  });
  it('leaves names repeated inside data, and attribute names inside strings, to the producer', () => {
    const r = decode(text('"id":"a","source":"s","subject":"\\"id\\":\\"b\\"","data":{"id":1,"n":{"id":2,"id":3},"l":[{"id":4}],"id2":"}"}'));
    expect(r).toMatchObject({ ok: true, event: { id: 'a', subject: '"id":"b"' } });
  });
  it('accepts any object of distinct names, and refuses it with one name repeated (fast-check)', () => {
    const name = fc.oneof(fc.constantFrom('id', 'source', 'data', 'time', 'subject'), fc.stringMatching(/^[a-z0-9]{1,8}$/));
    fc.assert(
      fc.property(fc.dictionary(name, fc.jsonValue(), { minKeys: 1, maxKeys: 8 }), fc.nat(), (members, pick) => {
        const event = { ...members, specversion: '1.0', id: 'a', source: 's', type: 'x.y' };
        // Indented too: the names are read between whitespace of every kind a writer puts there.
        const body = JSON.stringify(event, null, ['', 2, '\t'][pick % 3]);
        const r = decode(body);
        if (!r.ok) expect(r.reason).not.toMatch(/repeated/);
        const names = Object.keys(event);
        const again = names[pick % names.length];
        const repeated = `${body.slice(0, -1)},\n ${JSON.stringify(again)} :${JSON.stringify(event[again as keyof typeof event])}}`;
        expect(decode(repeated)).toMatchObject({ ok: false, reason: expect.stringMatching(new RegExp(`^${again}: repeated`)) });
      }),
      { numRuns: 500 },
    );
  });
});

describe('ce- headers from HTTP bridges are percent-encoded (CloudEvents HTTP binding 3.1.3.2)', () => {
  // The HTTP binding percent-encodes every header value (space, '"', '%' and all but printable
  // ASCII); a bridge that copies ce- headers into AMQP passes them on as they are. Read as they
  // came, an id "pay%201" was stored as another event than "pay 1", and a subject lost its text.
  const headers = { 'ce-specversion': '1.0', 'ce-id': 'pay%201', 'ce-source': '/payments/caf%C3%A9', 'ce-type': 'com.example.blob' };
  const decodeHeaders = (extra: Record<string, unknown> = {}) => decodeMessage({ body: Buffer.alloc(0), headers: { ...headers, ...extra }, arrivalMs: 1 });
  it('decodes every ce- value once, upper- or lower-case hex, as UTF-8', () => {
    const r = decodeHeaders({ 'ce-subject': 'Euro%20%e2%82%ac%20%F0%9F%98%80', 'ce-myext': Buffer.from('100%25'), 'ce-time': '2026-11-23T05%3A31%3A44.123Z' });
    expect(r).toMatchObject({ ok: true, event: { id: 'pay 1', source: '/payments/café', subject: 'Euro € 😀', timeMs: Date.UTC(2026, 10, 23, 5, 31, 44, 123) } });
    if (r.ok) expect(JSON.parse(r.event.json).myext).toBe('100%');
  });
  it('unquotes a double-quoted value first (older producers), then decodes it', () => {
    expect(decodeHeaders({ 'ce-subject': '"a \\"quoted\\" %41"' })).toMatchObject({ ok: true, event: { subject: 'a "quoted" A' } });
  });
  it('reads cloudEvents:, cloudEvents_ and ce_ values as they are (the AMQP and Kafka bindings do not percent-encode)', () => {
    for (const prefix of ['cloudEvents:', 'cloudEvents_', 'ce_']) {
      const r = decodeMessage({ body: Buffer.alloc(0), headers: { [`${prefix}specversion`]: '1.0', [`${prefix}id`]: 'pay%201', [`${prefix}source`]: 's', [`${prefix}type`]: 'com.example.blob', [`${prefix}subject`]: '50%' }, arrivalMs: 1 });
      expect(r, prefix).toMatchObject({ ok: true, event: { id: 'pay%201', subject: '50%' } });
    }
  });
  it.each([
    ['ce-id', '50%', 'id: the header ce-id is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): "%" at offset 2 is not followed by two hex digits (a literal "%" is sent as %25)'],
    ['ce-subject', 'a%2Gb', 'subject: the header ce-subject is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): "%" at offset 1 is not followed by two hex digits (a literal "%" is sent as %25)'],
    ['ce-subject', 'x%C0%A0', 'subject: the header ce-subject is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): %C0%A0 at offset 1 is not UTF-8'],
    ['ce-myext', '%E2%82', 'myext: the header ce-myext is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): %E2%82 at offset 0 is not UTF-8'],
    ['ce-subject', '"a"b"', 'subject: the header ce-subject is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): the double-quoted value has an unescaped "\\"" at offset 2'],
  ])('quarantines %s: %s, naming the attribute and what is wrong', (header, value, reason) => {
    expect(decodeHeaders({ [header]: value })).toEqual({ ok: false, reason });
  });
  it('checks the decoded text as the attribute it is', () => {
    expect(decodeHeaders({ 'ce-id': 'a%00b' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: holds the control character U\+0000 at offset 1/) });
  });
});

describe('normalizeCloudEvent: attributes checked once are checked alike', () => {
  // The decoder remembers sources it accepted and vouches for known types, canonical times and
  // the usual content type without reading them again; its verdict on an event must not depend on
  // what it decoded before, and must be the one the attribute-by-attribute checks give.
  const odd = fc.string({ unit: fc.constantFrom('a', '/', ':', '%', ' ', '.', '0', '-', 'T', 'Z', '\u0085', '\u0001', '\u007f', '\ufffe', '\ud800', '\u00e9') });
  const bad = fc.constantFrom('psp/gate\u0085way', 'risk/\u00e9ngine', 'payment.auth\u0001orized', '2026-11-02T00:02:07.894Z\u0001', 'application/json\u007f', 'p\ufffe', 'a b');
  const field = (...usual: string[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: bad }, { weight: 1, arbitrary: odd });
  const event = fc.record({
    source: field('psp/gateway', 'risk/engine', 'urn:x'),
    type: field('payment.authorized', 'risk.scored', 'x.y'),
    time: field('2026-11-02T00:02:07.894Z', '2026-11-02T00:02:07Z', '2026-11-02T00:02:07.894+01:00'),
    datacontenttype: field('application/json', 'text/plain'),
    subject: field('pay_1', 's'),
    id: field('e1', 'e2'),
  });
  it('gives the same result before and after decoding other events', () => {
    fc.assert(
      fc.property(event, event, (a, b) => {
        const ce = (e: Record<string, string>) => ({ specversion: '1.0', ...e, data: { paymentId: 'p1', merchantId: 'm1', amount: 1, currency: 'EUR', score: 1, decision: 'approve' } });
        const first = JSON.stringify(normalizeCloudEvent(ce(a)));
        normalizeCloudEvent(ce(b));
        normalizeCloudEvent(ce({ ...b, source: a.source }));
        expect(JSON.stringify(normalizeCloudEvent(ce(a)))).toBe(first);
        // The attribute-by-attribute reading, in the event's key order, where the envelope passes.
        if (envelopeAccepted(ce(a))) {
          let expected: string | null = null;
          for (const [key, v] of Object.entries(a)) {
            const bad = disallowedCharacter(v);
            if (bad !== null) expected = `${key}: ${bad} (${STRING_TYPE_NOTE})`;
            else if (key === 'source' && sourceProblem(v) !== null) expected = `source: not a URI-reference (RFC 3986): ${sourceProblem(v)}`;
            if (expected !== null) break;
          }
          const result = JSON.parse(first) as { ok: boolean; reason?: string };
          if (expected !== null) expect(result.reason).toBe(expected);
          else expect(result.reason ?? '').not.toMatch(/holds the|not a URI-reference/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
