// A filtered report states its conditions ("Filtered: only events matching merchant ..."), each
// value quoted by the rule alerts, the CLI and the explorer's chips use (shared/quotedValue.ts):
// a merchant id ending with a quote was written bare here and quoted everywhere else.
import { describe, expect, it } from 'vitest';
import { filterLabels } from './reportFilter';

describe('filterLabels', () => {
  it('quotes a value that is empty-looking or has white space or a quote at an end', () => {
    expect(filterLabels({ merchantId: 'm_1"', issuer: ' north', acquirer: 'acq' })).toEqual(['merchant "m_1\\""', 'issuer " north"', 'acquirer acq']);
  });

  it('states an amount of a code nobody knows in minor units, as the export shows its amounts', () => {
    expect(filterLabels({ currency: 'ZZZ', amountMin: 1250 })).toEqual(['ZZZ 1250–…']);
    expect(filterLabels({ currency: 'EUR', amountMin: 1250 })).toEqual(['EUR 12.50–…']);
  });
});
