// The hot-path predicates must accept exactly what the zod schemas accept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  envelopeAccepted,
  envelopeSchema,
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
