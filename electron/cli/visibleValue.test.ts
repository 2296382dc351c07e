// visibleValue: a label value is written as it is unless it could be misread; one that prints as
// nothing, has white space at an end, or starts or ends with a quote is written quoted and
// escaped, JSON-style, so two different values never print alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupValueText } from '../../shared/alerts';
import { needsQuotes } from '../../shared/quotedValue';
import { visibleValue } from './terminalText';

describe('visibleValue', () => {
  it('quotes a value with white space or a quote at either end, escaping its quotes', () => {
    expect(visibleValue(' "quoted" issuer')).toBe('" \\"quoted\\" issuer"');
    expect(visibleValue('issuer ')).toBe('"issuer "');
    expect(visibleValue('\u00a0issuer')).toBe('"\\u00a0issuer"');
    expect(visibleValue('"quoted"')).toBe('"\\"quoted\\""');
    expect(visibleValue('issuer"')).toBe('"issuer\\""');
    expect(visibleValue('')).toBe('""');
    expect(visibleValue(' ')).toBe('" "');
  });

  it('leaves a plain value as it is, a quote or a space inside it too', () => {
    expect(visibleValue('tamarind-card')).toBe('tamarind-card');
    expect(visibleValue('a "b" c')).toBe('a "b" c');
  });

  it('never prints two different values alike', () => {
    const values = [' "quoted" issuer', '"quoted" issuer', '" \\"quoted\\" issuer"', ' ', '" "', '', '""', 'x ', '"x "', 'a\\"b'];
    const printed = values.map(visibleValue);
    expect(new Set(printed).size).toBe(values.length);
  });
});

describe('visibleValue quotes by the shared rule (shared/quotedValue.ts), as alerts and the console do', () => {
  it('quotes exactly the values needsQuotes names (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `${s}"`), fc.string().map((s) => ` ${s}`)), (v) => {
        expect(visibleValue(v).startsWith('"')).toBe(needsQuotes(v));
        expect(visibleValue(v).startsWith('"')).toBe(groupValueText(v).startsWith('"'));
      }),
    );
  });
});
