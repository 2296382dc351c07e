// The stored form of a CloudEvent gives back the whole event from its columns and its source's
// code, for any event the decoder accepts, and is much shorter on real-world events.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePaysimCsv, paysimToEvents } from '../../electron/core/sim/paysimMapping';
import { decodeMessage } from './decode';
import type { NormalizedEvent } from './eventTypes';
import { SourceCatalogue } from '../../test/support/sourceCatalogue';
import { STORED_MARK, restoreEnvelope, storedSource, storedSourceCode, storedSubject, withSourceCode, withSourceText } from './storedEnvelope';

const PAYSIM_CSV = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'paysim-10k.csv');

function decodeText(text: string): NormalizedEvent {
  const r = decodeMessage({ body: Buffer.from(text), arrivalMs: 1, routingKey: null });
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.event;
}

const catalogue = new SourceCatalogue();

/** What a reader of the row sees: the stored text (its source coded) and the columns the writer stored. */
function readBack(e: NormalizedEvent): Record<string, unknown> {
  return restoreEnvelope(JSON.parse(catalogue.stored(e)) as Record<string, unknown>, { ...e, timeMs: e.timeMs ?? 1 }, catalogue.sourceOf);
}

/** What a reader sees in a database before migration 250: the source back in the text. */
function readBackUncoded(e: NormalizedEvent): Record<string, unknown> {
  const refuse = (code: number): string => { throw new Error(`read code ${code} from an uncoded text`); };
  return restoreEnvelope(JSON.parse(withSourceText(e.json, e.source)) as Record<string, unknown>, { ...e, timeMs: e.timeMs ?? 1 }, refuse);
}

const isoTime = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }).map((t) => new Date(t).toISOString());
const otherTime = fc.constantFrom('2026-11-02T00:02:07Z', '2026-11-02T01:02:07.5+01:00', '2026-11-02T00:02:07.123456Z');
const text = fc.string({ minLength: 1, maxLength: 12 });
const PAYMENT_TYPES = ['payment.initiated', 'payment.authorized', 'payment.declined', 'payment.failed', 'payment.captured'];
const RISK_TYPES = ['risk.scored', 'risk.flagged', 'risk.blocked'];

const paymentData = fc.record(
  {
    paymentId: text,
    merchantId: text,
    // Zero-, two- and three-decimal currencies: amounts are minor units either way.
    amount: fc.integer({ min: 0, max: 2 ** 40 }),
    currency: fc.constantFrom('JPY', 'EUR', 'KWD', 'BHD'),
    country: fc.option(fc.constantFrom('IE', 'JP', 'KW'), { nil: undefined }),
    method: fc.option(fc.constantFrom('card', 'cash_out'), { nil: undefined }),
    cardBin: fc.option(fc.stringMatching(/^[0-9]{6,8}$/), { nil: undefined }),
    declineCode: fc.option(fc.constantFrom('05', '51', '91'), { nil: undefined }),
    latencyMs: fc.option(fc.nat(5000), { nil: undefined }),
    issuer: fc.option(text, { nil: undefined }),
    attempt: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    customerId: fc.option(text, { nil: undefined }),
    ['__proto__']: fc.option(fc.constant({ polluted: true }), { nil: undefined }),
  },
  { requiredKeys: ['paymentId', 'merchantId', 'amount', 'currency'] },
);
const riskData = fc.record(
  {
    paymentId: text,
    merchantId: text,
    score: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
    decision: fc.constantFrom('approve', 'review', 'block'),
    country: fc.option(fc.constantFrom('IE', 'JP'), { nil: undefined }),
    amount: fc.option(fc.nat(), { nil: undefined }),
    currency: fc.option(fc.constantFrom('EUR', 'JPY'), { nil: undefined }),
    rules: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
  },
  { requiredKeys: ['paymentId', 'merchantId', 'score', 'decision'] },
);

/** A source: a URI-reference (CloudEvents), absolute or relative, some with IRI characters. */
const sourceText = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.stringMatching(/^[a-z0-9][a-z0-9/._~-]{0,11}$/),
  fc.constantFrom('urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66', 'psp/çø-💳', '#fragment', '//authority/path'),
);

const envelope = (type: fc.Arbitrary<string>, data: fc.Arbitrary<unknown>) =>
  fc.record(
    {
      specversion: fc.constant('1.0'),
      id: text,
      source: sourceText,
      type,
      time: fc.oneof(isoTime, otherTime),
      subject: fc.option(text, { nil: undefined }),
      datacontenttype: fc.option(fc.constantFrom('application/json', 'application/cloudevents+json'), { nil: undefined }),
      traceparent: fc.option(text, { nil: undefined }),
      data,
    },
    { requiredKeys: ['specversion', 'id', 'source', 'type', 'time', 'data'] },
  );

const anyEvent = fc.oneof(
  envelope(fc.constantFrom(...PAYMENT_TYPES), paymentData),
  envelope(fc.constantFrom(...RISK_TYPES), riskData),
  // Unknown types: data of any shape, and a subject that is often what a payment id would be.
  envelope(fc.constant('com.example.other'), fc.oneof(fc.string(), fc.dictionary(text, fc.jsonValue()))),
).chain((ce) =>
  // Half the events name their payment in `subject`, as producers usually do.
  fc.boolean().map((subjectIsPayment) => {
    const paymentId = (ce.data as { paymentId?: unknown } | null)?.paymentId;
    return subjectIsPayment && typeof paymentId === 'string' ? { ...ce, subject: paymentId } : ce;
  }),
);

describe('stored CloudEvent text', () => {
  it('gives back the whole event from the stored text and the columns, for any accepted event', () => {
    fc.assert(
      fc.property(anyEvent, (ce) => {
        const sent = JSON.stringify(ce);
        const e = decodeText(sent);
        expect(readBack(e)).toEqual(JSON.parse(sent));
        expect(readBackUncoded(e)).toEqual(JSON.parse(sent));
        // Restored texts are byte-identical whether the source was coded or kept (the source's place is after id).
        expect(JSON.stringify(readBack(e))).toBe(JSON.stringify(readBackUncoded(e)));
        const stored = JSON.parse(catalogue.stored(e)) as Record<string, unknown>;
        expect(stored).not.toHaveProperty('source');
        expect(storedSource(stored, catalogue.sourceOf)).toBe(e.source);
        expect(storedSubject(stored, e.paymentId)).toBe(e.subject);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a data key named __proto__ as a key', () => {
    const sent = '{"specversion":"1.0","id":"p1","source":"s","type":"payment.authorized","time":"2026-11-02T00:00:00.000Z","data":{"paymentId":"p","merchantId":"m","amount":1,"currency":"EUR","__proto__":{"x":1}}}';
    const back = readBack(decodeText(sent));
    expect(readBackUncoded(decodeText(sent))).toEqual(back);
    expect(Object.keys(back.data as object)).toContain('__proto__');
    expect(JSON.stringify(back)).toContain('"__proto__":{"x":1}');
  });

  it('reads a text stored whole, before this form, as it is', () => {
    const whole = { specversion: '1.0', id: 'a', source: 's', type: 'payment.declined', time: '2026-11-02T00:00:00.000Z', subject: 'pay_1', data: { paymentId: 'pay_1' } };
    const columns = { type: 'payment.declined', timeMs: 0, paymentId: 'other', merchantId: 'm', amount: 5, currency: 'EUR', country: null, cardBin: null, declineCode: null, score: null, decision: null };
    const never = (code: number): string => { throw new Error(`code ${code}`); };
    expect(restoreEnvelope(whole, columns, never)).toBe(whole);
    expect(storedSubject(whole, 'other')).toBe('pay_1');
    expect(storedSource(whole, never)).toBe('s');
    expect(STORED_MARK in whole).toBe(false);
    // The writer stores a whole text as it is, even with a key "~" deeper in it.
    for (const text of [JSON.stringify(whole), '{"id":"a","source":"s","data":{"~":8}}', '{"id":"a","source":"s","data":{"x":"\\"~\\":8}"}}']) {
      expect(withSourceCode(text, 3)).toBe(text);
      expect(withSourceText(text, 'other')).toBe(text);
    }
  });

  it('holds the source as a code in the mark: 0 from the decoder, the code from the writer, the text again for an older database', () => {
    const sent = { specversion: '1.0', id: 'cb0a.r0', source: 'psp/gateway', type: 'payment.initiated', time: '2026-11-02T00:00:00.000Z', subject: 'p1', datacontenttype: 'application/json', data: { paymentId: 'p1', merchantId: 'm', amount: 5, currency: 'EUR', method: 'cash_out' } };
    const e = decodeText(JSON.stringify(sent));
    expect(e.json).toBe('{"id":"cb0a.r0","data":{"method":"cash_out"},"~":15}');
    expect(storedSourceCode(JSON.parse(e.json) as Record<string, unknown>)).toBe(0);
    expect(withSourceCode(e.json, 2)).toBe('{"id":"cb0a.r0","data":{"method":"cash_out"},"~":47}');
    expect(withSourceCode(withSourceCode(e.json, 2), 1000)).toBe('{"id":"cb0a.r0","data":{"method":"cash_out"},"~":16015}');
    expect(storedSourceCode(JSON.parse(withSourceCode(e.json, 1000)) as Record<string, unknown>)).toBe(1000);
    expect(withSourceText(e.json, 'psp/gateway')).toBe('{"id":"cb0a.r0","data":{"method":"cash_out"},"source":"psp/gateway","~":7}');
    expect(withSourceText(withSourceCode(e.json, 2), 'psp/gateway')).toBe('{"id":"cb0a.r0","data":{"method":"cash_out"},"source":"psp/gateway","~":7}');
    const back = restoreEnvelope(JSON.parse(withSourceCode(e.json, 2)) as Record<string, unknown>, e, (code) => (code === 2 ? 'psp/gateway' : 'wrong'));
    expect(JSON.stringify(back)).toBe(JSON.stringify(sent));
  });

  it('stores PaySim-derived events in under 30 % of their text, and reads every one back whole', () => {
    const events = paysimToEvents(parsePaysimCsv(fs.readFileSync(PAYSIM_CSV, 'utf8')));
    let sentBytes = 0;
    let storedBytes = 0;
    for (const ce of events) {
      const sent = JSON.stringify(ce);
      const e = decodeText(sent);
      sentBytes += sent.length;
      storedBytes += catalogue.stored(e).length;
      expect(readBack(e)).toEqual(ce);
    }
    const share = storedBytes / sentBytes;
    console.log(`PaySim sample: ${events.length} events, ${(sentBytes / events.length).toFixed(0)} → ${(storedBytes / events.length).toFixed(0)} bytes of text per event (${(share * 100).toFixed(0)} %)`);
    expect(share).toBeLessThan(0.3); // 0.34 while the text held the source
  });
});
