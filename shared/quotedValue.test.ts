// One rule for when a value is quoted (an alert's group, the CLI's label values, the explorer's
// chips, a filtered report's conditions): empty, white space at either end, or a quote at either
// end. The alerts and the console quoted "issuer\"" only at its start, the CLI at both ends, so
// the same merchant id read differently in a notification and in `payops alerts`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupValueText } from './alerts';
import { needsQuotes, quotedValue } from './quotedValue';

describe('quotedValue', () => {
  it('quotes a value that is empty or has white space or a quote at either end, JSON-style', () => {
    expect(quotedValue('issuer"')).toBe('"issuer\\""');
    expect(quotedValue('"quoted')).toBe('"\\"quoted"');
    expect(quotedValue(' m_1')).toBe('" m_1"');
    expect(quotedValue('m_1\u00a0')).toBe('"m_1\u00a0"');
    expect(quotedValue('')).toBe('""');
  });

  it('leaves a plain value as it is, quotes and spaces inside it too', () => {
    expect(quotedValue('tamarind-card')).toBe('tamarind-card');
    expect(quotedValue('a "b" c')).toBe('a "b" c');
  });

  it('an alert names a group by the same rule (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `${s}"`), fc.string().map((s) => `"${s}`)), (v) => {
        expect(groupValueText(v)).toBe(quotedValue(v));
        expect(groupValueText(v).startsWith('"')).toBe(needsQuotes(v));
      }),
    );
  });
});
