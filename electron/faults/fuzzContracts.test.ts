// Property-based fuzzing of the validators every untrusted input passes through first:
//  - parseApiRequest (the bridge and the web host both call it): for every request name, any
//    arguments are either accepted or refused with an ApiArgumentError that names the request;
//  - the rules text parser (rule editor, rules.validate/save, --rules files): any text, YAML or
//    JSON, gives rules or issues with a message, never an exception.
// The decoder (shared/events/decode.test.ts), the capture reader
// (electron/core/capture/captureReader.property.test.ts) and the rule object validator
// (electron/core/alerts/ruleValidation.property.test.ts) have their own property tests.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALERT_METRICS, GROUP_BY, parseDuration, parseThreshold } from '../../shared/alertRules';
import { ApiArgumentError, apiRequestSchemas, parseApiRequest } from '../../shared/api';
import { validateRulesText } from '../../shared/rulesText';

const NAMES = Object.keys(apiRequestSchemas);
const RUNS = process.env.PAYOPS_LONG ? 20_000 : 1_000;

/** Values of the kinds a request field takes, plus the awkward ones. */
const fieldValue = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 60_000, 2 ** 53, Number.NaN, Infinity, -Infinity, '', ' ', 'normal', 'yaml', 'json', 'desc', 'asc', '=', '=~'),
  fc.string({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

/** An object using the request's own field names (so validation goes past the first key). */
function argsFor(name: string): fc.Arbitrary<unknown> {
  const schema = apiRequestSchemas[name as keyof typeof apiRequestSchemas] as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } };
  const shape = schema.shape ?? schema.def?.in?.shape ?? {};
  const keys = Object.keys(shape);
  const known = keys.length ? fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: keys.length }) : fc.constant({});
  return fc.oneof(known, fc.dictionary(fc.string({ maxLength: 12 }), fieldValue, { maxKeys: 4 }), fieldValue);
}

function checkRequest(name: string, args: unknown): void {
  let parsed: { name: string; args: unknown } | undefined;
  try {
    parsed = parseApiRequest(name, args);
  } catch (err) {
    if (!(err instanceof ApiArgumentError)) throw new Error(`${name}: not an ApiArgumentError: ${String(err)}`);
    expect(err.message.length).toBeGreaterThan(name.length);
    expect(err.message.length).toBeLessThan(2000);
    if (NAMES.includes(name)) expect(err.message.startsWith(`${name}: `)).toBe(true);
    else expect(err.message).toMatch(/^unknown request "/);
    return;
  }
  expect(parsed.name).toBe(name);
  expect(NAMES).toContain(name);
  // What is accepted is plain data the handlers can rely on (an object, JSON-able).
  expect(typeof parsed.args).toBe('object');
  expect(parsed.args).not.toBeNull();
}

describe('parseApiRequest under arbitrary input', () => {
  it.each(NAMES)('%s: arbitrary arguments are accepted or refused with a message naming the request', (name) => {
    fc.assert(fc.property(argsFor(name), (args) => checkRequest(name, args)), { numRuns: Math.ceil(RUNS / 4) });
  });

  it('arbitrary request names (prototype keys included) are refused as unknown', () => {
    const names = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'app.info ', 'APP.INFO', ''),
    );
    fc.assert(
      fc.property(names.filter((n) => !NAMES.includes(n)), fieldValue, (name, args) => checkRequest(name, args)),
      { numRuns: RUNS },
    );
  });

  it('a name that is not a string is refused, not thrown on', () => {
    // Found by the fuzzer: an object whose toString is not callable threw a TypeError.
    expect(() => parseApiRequest({ toString: false } as unknown as string, {})).toThrow(ApiArgumentError);
    expect(() => parseApiRequest(null as unknown as string, {})).toThrow(/request name must be a string/);
    fc.assert(
      fc.property(fc.anything({ maxDepth: 2 }), (name) => {
        try {
          parseApiRequest(name as string, {});
        } catch (err) {
          expect(err).toBeInstanceOf(ApiArgumentError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// --- rules text -------------------------------------------------------------------------

const ruleField = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('declines', 'x', ''), fieldValue),
    description: fc.oneof(fc.string({ maxLength: 40 }), fieldValue),
    metric: fc.oneof(fc.constantFrom(...ALERT_METRICS), fieldValue),
    severity: fc.oneof(fc.constantFrom('critical', 'warning', 'info'), fieldValue),
    window: fc.oneof(fc.constantFrom('30s', '1m', '5m', '1h', '2h', '0s', '-1m', '1.5m'), fieldValue),
    for: fc.oneof(fc.constantFrom('0s', '10s', '1m'), fieldValue),
    groupBy: fc.oneof(fc.constantFrom(...GROUP_BY), fieldValue),
    condition: fc.oneof(
      fc.record({ above: fc.oneof(fc.constantFrom('50%', '0.5', 10, '1e309', '%'), fieldValue) }, { requiredKeys: [] }),
      fc.record({ below: fieldValue, outsideRange: fc.array(fieldValue, { maxLength: 3 }) }, { requiredKeys: [] }),
      fieldValue,
    ),
    noDataState: fc.oneof(fc.constantFrom('normal', 'alerting', 'no_data', 'keep'), fieldValue),
  },
  { requiredKeys: [] },
);

function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
  } catch {
    return null;
  }
}

function checkRulesText(text: string, format: 'yaml' | 'json'): void {
  const result = validateRulesText(text, format);
  if (result.ok) {
    expect(Array.isArray(result.rules)).toBe(true);
    return;
  }
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(typeof issue.text).toBe('string');
    expect(issue.text.length).toBeGreaterThan(0);
    if (issue.line !== null) expect(Number.isInteger(issue.line) && issue.line >= 1).toBe(true);
  }
}

describe('rules text parser under arbitrary input', () => {
  it('arbitrary text as YAML or JSON: rules or issues, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })), fc.constantFrom('yaml' as const, 'json' as const), (text, format) =>
        checkRulesText(text, format),
      ),
      { numRuns: RUNS },
    );
  });

  it('rule-shaped documents with random fields, as YAML and JSON, and cut at random points', () => {
    fc.assert(
      fc.property(
        fc.array(ruleField, { maxLength: 4 }),
        fc.boolean(),
        fc.nat(),
        (rules, wrapped, cut) => {
          const data = jsonSafe(wrapped ? { rules } : rules);
          const yamlText = stringify(data);
          const jsonText = JSON.stringify(data);
          checkRulesText(yamlText, 'yaml');
          checkRulesText(jsonText, 'json');
          checkRulesText(yamlText.slice(0, cut % (yamlText.length + 1)), 'yaml');
          checkRulesText(jsonText.slice(0, cut % (jsonText.length + 1)), 'json');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('YAML features that break naive parsers: anchors, aliases, tags, deep nesting, huge numbers', () => {
    const texts = [
      'rules:\n  - &a {name: x, metric: decline_rate, condition: {above: 1}, window: 1m}\n  - *a\n',
      'a: &a [*a]\n',
      '!!binary aGVsbG8=\n',
      'rules: !!set {a, b}\n',
      `rules: ${'['.repeat(500)}${']'.repeat(500)}\n`,
      'rules:\n  - name: x\n    window: 1e400m\n',
      'rules:\n  - name: x\n    name: y\n',
      '<<: {a: 1}\n',
      '---\n---\n',
      '%YAML 1.2\n---\n[]\n',
      `${'a: b\n'.repeat(10_000)}`,
      'x'.repeat(600 * 1024),
    ];
    for (const t of texts) {
      checkRulesText(t, 'yaml');
      checkRulesText(t, 'json');
    }
    // Found by the fuzzer: doc.toJS() threw on these instead of reporting an issue.
    expect(validateRulesText('rules: *nope\n', 'yaml')).toMatchObject({ ok: false, issues: [{ text: expect.stringMatching(/not valid YAML/) }] });
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(validateRulesText(laughs.join('\n'), 'yaml')).toMatchObject({ ok: false, issues: [{ text: expect.stringMatching(/not valid YAML/) }] });
  });

  it('durations too long to represent are not durations (found by the fuzzer: they gave Infinity)', () => {
    expect(parseDuration(1.797693134862316e305)).toBeNull();
    expect(parseDuration(`${'9'.repeat(400)}d`)).toBeNull();
    expect(parseDuration('1h30m')).toBe(5_400_000);
  });

  it('durations and thresholds: any value parses to a number or null', () => {
    fc.assert(
      fc.property(fieldValue, (v) => {
        const d = parseDuration(v);
        const th = parseThreshold(v);
        expect(d === null || Number.isFinite(d)).toBe(true);
        expect(th === null || typeof th === 'number').toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
