// A merchant (or issuer, acquirer, method, decline code, payment id) whose stored value has white
// space around it, or is only white space, reached through a link (triage, segment health, an
// alert's group): the route and the form keep it as it came, while what an operator types is
// still trimmed. Trimmed, " m_1" became "m_1" and the explorer showed another merchant's events.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, explorerHash, filterChips, filterOfExplorerHash, formOfFilter, toEventFilter } from './explorerModel';

const CLOCK = Date.UTC(2026, 10, 23, 12, 0, 0);
const LINKED = { merchantId: ' m_1', issuer: 'north bank ', acquirer: '  ', method: '\u00a0', declineCode: ' 51', search: 'pay_1 ' };

describe('exact values from a link', () => {
  it('the route carries them unchanged', () => {
    expect(filterOfExplorerHash(explorerHash(LINKED))).toEqual(LINKED);
  });

  it('the form built from the filter gives the same filter back', () => {
    expect(toEventFilter(formOfFilter(LINKED), CLOCK)).toEqual({ filter: LINKED });
  });

  it('a value typed over the linked one is trimmed as typing always was', () => {
    expect(toEventFilter({ ...formOfFilter(LINKED), merchantId: ' m_2 ' }, CLOCK)).toEqual({ filter: { ...LINKED, merchantId: 'm_2' } });
    expect(toEventFilter({ ...EMPTY_FORM, merchantId: ' m_1' }, CLOCK)).toEqual({ filter: { merchantId: 'm_1' } });
  });

  it('the chips tell " m_1" from "m_1"', () => {
    const labels = filterChips(LINKED, String).map((c) => c.label);
    expect(labels).toContain('merchant " m_1"');
    expect(labels).toContain('acquirer "  "');
  });

  it('a chip quotes a value ending with a quote, as alerts and the CLI do (shared/quotedValue.ts)', () => {
    expect(filterChips({ merchantId: 'm_1"' }, String).map((c) => c.label)).toEqual(['merchant "m_1\\""']);
  });
});

describe('a link with an empty number', () => {
  it('leaves that condition out instead of reading it as 0 (from=, the epoch)', () => {
    expect(filterOfExplorerHash('#/explorer?from=&to=1795410000000&merchantId=m_1')).toEqual({ to: 1795410000000, merchantId: 'm_1' });
    expect(filterOfExplorerHash('#/explorer?currency=EUR&amountMin=%20')).toEqual({ currency: 'EUR' });
  });
});
