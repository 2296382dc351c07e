// Which values keep a name once a dimension is full: recent volume decides, with hysteresis,
// within bounded memory. (The same rollups whatever the batching: segmentRollupRepository.test.ts.)
import { describe, expect, it } from 'vitest';
import { DECAY_ATTEMPTS, PROMOTE_MIN, SegmentAdmission } from './segmentAdmission';

const LIMIT = 5;

/** Five admitted values with `each` recent attempts. */
const full = (each: number) => new SegmentAdmission(Array.from({ length: LIMIT }, (_, i) => ({ dim: 'm', value: `a${i}`, attempts: each })), LIMIT);

describe('segment admission', () => {
  it('admits while there is room, then counts new values as (other)', () => {
    const a = new SegmentAdmission([], LIMIT);
    for (let i = 0; i < LIMIT; i++) expect(a.observe('m', `v${i}`)).toEqual({ kept: true, change: { admitted: `v${i}`, replaced: null } });
    expect(a.observe('m', 'late')).toEqual({ kept: false, change: null });
    expect(a.observe('m', 'v3')).toEqual({ kept: true, change: null });
    // Another dimension has room of its own.
    expect(a.observe('issuer', 'late').kept).toBe(true);
  });

  it('a value that grows past twice the weakest replaces it; the weakest goes to (other)', () => {
    const a = full(30);
    for (let i = 0; i < 4; i++) for (let k = 0; k < 10; k++) a.observe('m', `a${i}`); // a4 stays at 30
    let promotedAt = 0;
    for (let k = 1; k <= 100 && promotedAt === 0; k++) {
      const r = a.observe('m', 'big');
      if (r.change) {
        expect(r).toEqual({ kept: true, change: { admitted: 'big', replaced: 'a4' } });
        promotedAt = k;
      } else expect(r.kept).toBe(false);
    }
    expect(promotedAt).toBe(60);
    expect(a.observe('m', 'big')).toEqual({ kept: true, change: null });
    expect(a.observe('m', 'a4').kept).toBe(false);
  });

  it('needs PROMOTE_MIN attempts even against idle admitted values', () => {
    const a = full(0);
    for (let k = 1; k < PROMOTE_MIN; k++) expect(a.observe('m', 'new').change).toBeNull();
    expect(a.observe('m', 'new').change).toEqual({ admitted: 'new', replaced: 'a0' });
  });

  it('counts halve every DECAY_ATTEMPTS attempts of the dimension: an old heavy value yields to a recent one', () => {
    const a = full(1000);
    // Four halvings' worth of one-off values (each counted once, then pruned): 1000 -> 62.
    for (let i = 0; i < 4 * DECAY_ATTEMPTS; i++) expect(a.observe('m', `once-${i}`).kept).toBe(false);
    const steps: number[] = [];
    for (let k = 1; k <= 200; k++) if (a.observe('m', 'new').change) steps.push(k);
    expect(steps).toEqual([124]);
  });

  it('keeps memory bounded under a flood of one-off values and still finds the heavy one in it', () => {
    const a = full(10);
    let promoted = false;
    for (let i = 0; i < 100_000; i++) {
      a.observe('m', `card-${i}`);
      if (i % 50 === 0 && a.observe('m', 'heavy').change) promoted = true;
    }
    expect(promoted).toBe(true);
    const candidates = (a as unknown as { dims: Map<string, { candidates: Map<string, number> }> }).dims.get('m')!.candidates;
    expect(candidates.size).toBeLessThanOrEqual(4 * 200 + 1);
  });
});
