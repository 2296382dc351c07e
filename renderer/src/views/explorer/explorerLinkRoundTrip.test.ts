// A link into the explorer (a triage contributor, a health row, Back to an applied filter)
// carries its filter in the route. Event types were joined with commas in one `types` value, so
// a type holding a comma came back as two types ("a,b" → "a", "b"), and {types: ["a,b"]} had
// the same route as {types: ["a", "b"]} (filterKey took one for the other, already applied).
// Each type is now a `type` parameter of its own; any filter the contract takes comes back whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventFilterSchema, type EventFilter } from '../../../../shared/explorer';
import { EVENT_TYPES, explorerHash, filterKey, filterOfExplorerHash } from './explorerModel';

// Values a link must carry as they are: separators of the route's own syntax, white space at
// the ends, and any Unicode text.
const tricky = fc.constantFrom(',', ', ', '&', '=', '#', '%', '%2C', '+', '?', ' ', '"', ';', '/');
const storedText = (max: number) =>
  fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('').slice(0, max)).filter((s) => s.length > 0);

const filters: fc.Arbitrary<EventFilter> = fc.record(
  {
    from: fc.integer({ min: 0, max: 2_000_000_000_000 }),
    types: fc.array(storedText(100), { minLength: 1, maxLength: 5 }),
    merchantId: storedText(200),
    declineCode: storedText(64),
    issuer: storedText(200),
    acquirer: storedText(200),
    method: storedText(64),
    search: storedText(200),
  },
  { requiredKeys: [] },
);

describe('the explorer filter in a link', () => {
  it('a type holding a comma is one type, and several types stay several', () => {
    expect(filterOfExplorerHash(explorerHash({ types: ['payment.declined,risk.blocked'] }))).toEqual({ types: ['payment.declined,risk.blocked'] });
    expect(filterOfExplorerHash(explorerHash({ types: ['payment.declined', 'risk.blocked'] }))).toEqual({ types: ['payment.declined', 'risk.blocked'] });
    expect(filterKey({ types: ['a,b'] })).not.toBe(filterKey({ types: ['a', 'b'] }));
  });

  it('any filter the contract takes comes back from its link as the contract reads it (property)', () => {
    fc.assert(
      fc.property(filters, (filter) => {
        const parsed = eventFilterSchema.safeParse(filter);
        fc.pre(parsed.success);
        expect(filterOfExplorerHash(explorerHash(filter))).toEqual(parsed.data);
      }),
      { numRuns: 150 },
    );
  });

  it('two different filters never share a route', () => {
    fc.assert(
      fc.property(filters, filters, (a, b) => {
        fc.pre(eventFilterSchema.safeParse(a).success && eventFilterSchema.safeParse(b).success);
        const same = JSON.stringify(eventFilterSchema.parse(a)) === JSON.stringify(eventFilterSchema.parse(b));
        expect(explorerHash(a) === explorerHash(b)).toBe(same);
      }),
      { numRuns: 60 },
    );
  });

  it('a link written before (types joined with commas) still opens its types', () => {
    expect(filterOfExplorerHash('#/explorer?types=payment.declined%2Crisk.blocked&merchantId=m_1')).toEqual({ types: ['payment.declined', 'risk.blocked'], merchantId: 'm_1' });
  });
});

// An old link (`types=a,b`) is split at its commas, and that is its right reading, although a type
// may hold a comma (EVENTS.md: any non-empty string): the writer of those links (before a2e313f:
// `types` joined with commas) was given types only by the form's type list (EVENT_TYPES, the
// contract's types, none holding a comma) and by a route its own reader had split at commas, so
// no link it wrote held a comma inside a type. Splitting gives back every such link's types
// exactly; reading the value whole would turn each two-type link into one type nobody sent.
describe('a link written before each type had its own parameter', () => {
  /** The writer of those links: the types joined with commas in one `types` value. */
  const oldLink = (filter: EventFilter) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) p.set(k, Array.isArray(v) ? v.join(',') : String(v));
    return `#/explorer?${p.toString()}`;
  };

  it('could only hold types without a comma: the form offers the contract\'s types, none with one', () => {
    expect(EVENT_TYPES.length).toBeGreaterThan(5);
    for (const type of EVENT_TYPES) expect(type).not.toContain(',');
  });

  it('opens exactly the types it was written with (property over what that writer could be given)', () => {
    fc.assert(
      fc.property(fc.subarray([...EVENT_TYPES], { minLength: 1 }), fc.option(storedText(200), { nil: undefined }), (types, merchantId) => {
        const filter: EventFilter = merchantId === undefined ? { types } : { types, merchantId };
        const parsed = eventFilterSchema.safeParse(filter);
        fc.pre(parsed.success);
        expect(filterOfExplorerHash(oldLink(filter))).toEqual(parsed.data);
      }),
      { numRuns: 100 },
    );
  });
});
