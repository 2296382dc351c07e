// Whatever an operator (or a fuzzer) writes, validation answers with rules or with clear
// issues; it never throws. Accepted rules must also run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_METRICS, validateRules } from '../../../shared/alertRules';
import { AlertEvaluator } from './alertEvaluator';
import { sec } from '../../../test/support/alertTestKit';

const duration = fc.oneof(fc.constantFrom('10s', '1m', '5m', '1h', '2h', '0s', 'x', ''), fc.integer({ min: -5, max: 4000 }), fc.double());
const threshold = fc.oneof(fc.double(), fc.constantFrom('5%', '120 %', 'lots'), fc.integer());
const plausibleRule = fc.record(
  {
    name: fc.oneof(fc.constantFrom('a', 'b', 'decline-spike'), fc.string()),
    description: fc.oneof(fc.string(), fc.constant('d')),
    severity: fc.constantFrom('critical', 'warning', 'info', 'loud'),
    metric: fc.oneof(fc.constantFrom(...ALERT_METRICS), fc.string()),
    condition: fc.oneof(
      fc.record({ above: threshold }, { requiredKeys: [] }),
      fc.record({ below: threshold }),
      fc.record({ baseline: fc.record({ direction: fc.constantFrom('above', 'below', 'both', 'up'), deviations: fc.double(), halfLife: duration, warmup: duration, minDelta: threshold }, { requiredKeys: [] }) }),
      fc.anything(),
    ),
    window: duration,
    for: duration,
    keepFiringFor: duration,
    groupBy: fc.constantFrom('merchant', 'country', 'queue', null, 'planet'),
    minVolume: fc.oneof(fc.nat(), fc.double()),
    eventTypes: fc.array(fc.constantFrom('payment.declined', 'risk.blocked', 'nope')),
    queues: fc.array(fc.string()),
    labels: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
    noDataState: fc.constantFrom('nodata', 'normal', 'alerting', 'maybe'),
  },
  { requiredKeys: [] },
);

describe('rule validation never crashes', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        const r = validateRules(input);
        if (!r.ok) for (const i of r.issues) expect(i.text).toMatch(/^(rule .*\(rules\[\d+\]\)|rules file)/);
      }),
      { numRuns: 500 },
    );
  });

  it('on rule-shaped objects: accepted rules evaluate; rejected ones name rule and field', () => {
    fc.assert(
      fc.property(fc.array(plausibleRule, { maxLength: 4 }), fc.boolean(), (rules, wrapped) => {
        const r = validateRules(wrapped ? { rules } : rules);
        if (r.ok) {
          expect(r.rules).toHaveLength(rules.length);
          const e = new AlertEvaluator(r.rules, null, { allowedLatenessMs: 0 });
          e.observeEvents([{ type: 'payment.declined', timeMs: sec(1), merchantId: 'm', country: 'DE' }]);
          e.observeQueues([{ queue: 'q', messages: 3, consumers: 0, at: sec(2), error: null }], sec(2));
          e.advanceTo(sec(600));
          e.list();
        } else {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) {
            expect(i.message.length).toBeGreaterThan(0);
            expect(i.text).toMatch(/^rule .*\(rules\[\d+\]\)/);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
