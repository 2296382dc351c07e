// What masking must not touch: the simulator's events keep every field but those the default
// list masks (cardBin, customerId), and ordinary
// ids (merchant, payment, event), ISO times, amounts and epoch milliseconds pass the masker and
// the log redaction unchanged, alone or in free text. A secret pattern that flags them would
// hide what an incident report is read for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../redact';
import { createTrafficGenerator, SCENARIO_NAMES } from '../sim';
import { Masker, maskCardBin } from './masking';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const token = (alphabet: string, min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));

/** Ordinary values of a payment event, as producers write them. */
const ordinary = fc.oneof(
  fc.nat(99_999).map((n) => `m_${n}`),
  token(CROCKFORD, 6, 26).map((t) => `pay_${t}`),
  fc.tuple(fc.constantFrom(...'01234567'), token(CROCKFORD, 25, 25)).map(([a, b]) => a + b), // a ULID
  fc.uuid(),
  fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString()),
  // Epoch milliseconds up to 2096 (from then on they start with 4, as 13-digit Visa numbers do).
  fc.integer({ min: 946_684_800_000, max: 3_999_999_999_999 }).map(String),
  fc.integer({ min: 0, max: 999_999_999_999 }).map(String), // an amount in minor units
  fc.tuple(fc.nat(9_999_999), fc.nat(99)).map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`), // in major units
  fc.constantFrom('EUR', 'USD', 'card', 'wallet', 'payment.declined', 'psp/authorizer', 'risk_blocked', '05', 'DE', 'visa'),
);

describe('masking leaves ordinary event fields', () => {
  it("keeps every field of the simulator's events but the card BIN and the customer", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(...SCENARIO_NAMES), (seed, scenario) => {
        const masker = new Masker({ enabled: true });
        const generator = createTrafficGenerator({ seed, scenario, startMs: Date.UTC(2026, 11, 3), rate: 500 });
        for (let i = 0; i < 150; i++) {
          const event = generator.next();
          // The default list's fields the simulator sends: the BIN and the customer id.
          const data = { ...event.data };
          if (data.cardBin !== undefined) data.cardBin = maskCardBin(String(data.cardBin));
          if (data.customerId !== undefined) data.customerId = '***';
          const expected = { ...event, data };
          expect(masker.cloudEvent(JSON.stringify(event))).toEqual(expected);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a UUID or a word whose digits only look like a card number', () => {
    const masker = new Masker({ enabled: true });
    // The simulator's event id that came out as 6c3d2418-5efb-49b0-b68*********7062.
    for (const id of ['6c3d2418-5efb-49b0-b680-982689797062', '6c3d2418-5efb-49bf-4111-111111111111', 'trace a4111111111111111f', 'ref x4111111111111111']) {
      expect(masker.scrub(id), id).toBe(id);
      expect(masker.deep({ note: `event ${id} stored` })).toEqual({ note: `event ${id} stored` });
    }
    // A card number after a word and a separator still is one.
    expect(masker.scrub('pan_4111111111111111 card:4111-1111-1111-1111')).toBe('pan_41**********1111 card:41**********1111');
  });

  it('keeps ids, times and amounts, alone and in free text, in exports and in log lines', () => {
    // (Not apart by a single space: digits so written may be a card number's groups.)
    const masker = new Masker({ enabled: true });
    fc.assert(
      fc.property(fc.array(ordinary, { minLength: 1, maxLength: 8 }), fc.constantFrom(', ', '; ', ': ', '=', ' / ', ' and '), (values, separator) => {
        for (const value of values) expect(masker.scrub(value)).toBe(value);
        const text = values.join(separator);
        expect(masker.text(text, new Map())).toBe(text);
        expect(masker.deep({ note: text })).toEqual({ note: text });
        expect(redactSecrets(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
