// The hot-path predicates must accept exactly what the zod schemas accept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeTimeProblem,
  envelopeAccepted,
  envelopeSchema,
  parseRfc3339,
  parseRfc3339General,
  paymentDataAccepted,
  paymentDataSchema,
  riskDataAccepted,
  riskDataSchema,
} from './schemas';

const oddValue = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant(''), fc.constant('1.0'), fc.string({ maxLength: 8 }),
  fc.integer(), fc.double(), fc.constant(-1), fc.constant(0), fc.constant(100), fc.constant(100.5), fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(), fc.constant([]), fc.constant(['a']), fc.constant([1]), fc.constant({}),
  fc.constantFrom('EUR', 'eur', 'EURO', 'DE', 'DEU', '424242', '42', 'approve', 'review', 'block', 'maybe', 'text/plain', 'application/json; charset=utf-8', 'xyz', 'pay_1', 'm_1', 'visa', 'Visa', '5411', '541', 'frictionless', 'challenged', 'not_attempted', 'nope', 1, 2, 1.5),
);
const record = (keys: string[]) =>
  fc.record(Object.fromEntries(keys.map((k) => [k, oddValue])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;

describe('hot-path predicates agree with the zod schemas', () => {
  it('envelope', () => {
    fc.assert(
      fc.property(record(['specversion', 'id', 'source', 'type', 'time', 'subject', 'dataschema', 'datacontenttype', 'data_base64']), (o) => {
        expect(envelopeAccepted(o)).toBe(envelopeSchema.safeParse(o).success);
      }),
      { numRuns: 5000 },
    );
  });
  it('payment data', () => {
    fc.assert(
      fc.property(record(['paymentId', 'merchantId', 'amount', 'currency', 'method', 'country', 'cardBin', 'latencyMs', 'declineCode', 'reason', 'issuer', 'scheme', 'acquirer', 'mcc', 'threeDS', 'attempt']), (d) => {
        expect(paymentDataAccepted(d)).toBe(paymentDataSchema.safeParse(d).success);
      }),
      { numRuns: 5000 },
    );
  });
  it('risk data', () => {
    fc.assert(
      fc.property(record(['paymentId', 'merchantId', 'score', 'decision', 'rules', 'reasons', 'country', 'amount', 'currency']), (d) => {
        expect(riskDataAccepted(d)).toBe(riskDataSchema.safeParse(d).success);
      }),
      { numRuns: 5000 },
    );
  });
  it('accept the well-formed cases', () => {
    expect(paymentDataAccepted({ paymentId: 'p', merchantId: 'm', amount: 1, currency: 'EUR' })).toBe(true);
    expect(riskDataAccepted({ paymentId: 'p', merchantId: 'm', score: 5.5, decision: 'review', rules: ['x'] })).toBe(true);
    expect(envelopeAccepted({ specversion: '1.0', id: 'i', source: 's', type: 't', time: null })).toBe(true);
  });
});

describe('parseRfc3339', () => {
  const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
  const field = (max: number) => fc.oneof(fc.integer({ min: 0, max }).map((v) => String(v).padStart(2, '0')), digits(2));
  // The canonical shape with each field at and just past its range (month 13, hour 24, a leap
  // second, day 31 in April, year 0099...), sometimes another separator or zone.
  const canonicalShape = fc
    .tuple(
      fc.oneof(digits(4), fc.constantFrom('0000', '0099', '0100', '1969', '1970', '2024', '9999')),
      field(13), field(32), field(24), field(60), field(61), digits(3),
      fc.constantFrom('T', 'T', 'T', 't', ' '), fc.constantFrom('Z', 'Z', 'Z', 'z', '+00:00', 'X'),
    )
    .map(([y, mo, d, h, mi, s, ms, t, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}.${ms}${z}`);
  const nearCanonical = fc
    .tuple(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.nat(23), fc.string({ minLength: 1, maxLength: 1 }))
    .map(([t, at, c]) => {
      const iso = new Date(t).toISOString();
      return iso.slice(0, at) + c + iso.slice(at + 1);
    });

  it('the fast path for the canonical form agrees with the general parser', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalShape, nearCanonical), (value) => {
        expect(parseRfc3339(value)).toBe(parseRfc3339General(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('reads the canonical form and refuses what is not an instant', () => {
    expect(parseRfc3339('2026-11-02T00:02:07.894Z')).toBe(Date.UTC(2026, 10, 2, 0, 2, 7, 894));
    expect(parseRfc3339('0099-01-01T00:00:00.000Z')).toBe(parseRfc3339General('0099-01-01T00:00:00.000Z'));
    expect(parseRfc3339('2026-13-02T00:02:07.894Z')).toBeNull();
    expect(parseRfc3339('2026-11-02T24:02:07.894Z')).toBeNull();
    expect(parseRfc3339('2026-11-02T00:02:07.8a4Z')).toBeNull();
  });

  it('reads a leap second as the last second of its minute, only at the end of a UTC day', () => {
    expect(parseRfc3339('2016-12-31T23:59:60Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
    expect(parseRfc3339('2016-12-31T23:59:60.250Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 250));
    expect(parseRfc3339('2017-01-01T00:59:60+01:00')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
    expect(parseRfc3339('2016-12-31T18:59:60.5-05:00')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 500));
    expect(parseRfc3339('1969-12-31T23:59:60Z')).toBe(Date.UTC(1969, 11, 31, 23, 59, 59));
    expect(parseRfc3339('2016-12-31T12:00:60Z')).toBeNull();
    expect(parseRfc3339('2016-12-31T23:58:60Z')).toBeNull();
  });

  // Date.UTC (the fast path) and Date.parse (the general one) both roll an impossible day over
  // into the next month: 2026-02-30 would be stored as 2026-03-02.
  const impossible = [
    '2026-02-30T00:00:00.000Z', '2026-04-31T12:00:00Z', '2025-02-29T12:00:00+01:00', '1900-02-29T00:00:00.000Z',
    '2026-02-29T00:00:00.000Z', '2026-06-31T00:00:00.000Z', '2026-09-31T23:59:59.999Z', '2026-11-31T00:00:00.000Z',
    '2100-02-29T00:00:00.000Z', '2026-02-31T10:00:00.5-05:00', '2026-04-31t00:00:00z',
  ];
  it.each(impossible)('refuses the impossible calendar date of %s, in both paths', (value) => {
    expect(parseRfc3339(value)).toBeNull();
    expect(parseRfc3339General(value)).toBeNull();
    expect(describeTimeProblem(value)).toBe(`${value.slice(0, 10)} is not a calendar date`);
  });
  it('keeps February 29 of leap years and the last day of every month', () => {
    expect(parseRfc3339('2024-02-29T00:00:00.000Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('2000-02-29T12:00:00.000Z')).toBe(Date.UTC(2000, 1, 29, 12));
    expect(parseRfc3339('2000-02-29T12:00:00+01:00')).toBe(Date.UTC(2000, 1, 29, 11));
    expect(parseRfc3339('2400-02-29T00:00:00Z')).toBe(Date.UTC(2400, 1, 29));
    expect(parseRfc3339('0000-02-29T00:00:00Z')).toBe(Date.parse('0000-02-29T00:00:00Z'));
    const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (const year of [2025, 2024]) {
      lengths.forEach((days, i) => {
        const last = days + (year === 2024 && i === 1 ? 1 : 0);
        const iso = `${year}-${String(i + 1).padStart(2, '0')}-${last}T23:59:59.999Z`;
        expect(parseRfc3339(iso)).toBe(Date.UTC(year, i, last, 23, 59, 59, 999));
        expect(parseRfc3339General(iso)).toBe(Date.UTC(year, i, last, 23, 59, 59, 999));
        expect(parseRfc3339(`${year}-${String(i + 1).padStart(2, '0')}-${last + 1}T00:00:00.000Z`)).toBeNull();
      });
    }
  });
  it('accepts exactly the days Date gives back as written, over four centuries of days 28-31', () => {
    const wrong: string[] = [];
    for (let year = 1896; year <= 2404; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 31; day++) {
          const date = `${year}-${String(month).padStart(2, '0')}-${day}`;
          const exists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          if ((parseRfc3339(`${date}T06:00:00.000Z`) !== null) !== exists) wrong.push(`${date}Z`);
          if ((parseRfc3339(`${date}T06:00:00+02:00`) !== null) !== exists) wrong.push(`${date}+02:00`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
  it('says what else is wrong with a time in the usual words, then which part is wrong', () => {
    expect(describeTimeProblem('2026-11-23T05:31Z')).toBe('must be an RFC 3339 timestamp with seconds (2026-11-23T05:31Z has no seconds)');
    expect(describeTimeProblem('2026-13-02T00:00:00Z')).toBe('2026-13-02T00:00:00Z has month 13 (01-12)');
    expect(describeTimeProblem('2026-11-23T05:31:00')).toBe('must be an RFC 3339 timestamp with seconds (2026-11-23T05:31:00 has no offset: Z or +HH:MM / -HH:MM)');
    expect(describeTimeProblem('2026-11-23 05:31:00Z')).toBe('must be an RFC 3339 timestamp with seconds');
    expect(describeTimeProblem('soon')).toBe('must be an RFC 3339 timestamp with seconds');
  });
});

