// Decline codes in the segment rollups are bounded like values (the first 100 by name, the rest
// under '(other)'), and a restart must keep the same 100 by name: a code that changed name at a
// restart would read in explain as one code falling and '(other)' rising.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OTHER_VALUE } from '../../../shared/segments';
import { ADMISSION_T0, attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from './store';

const dir = tempDir('payops-segment-codes-');
const MIN = 60_000;

describe('decline codes of the segment rollups across a restart', () => {
  it('keep the codes named before the restart named after it, with more than 100 codes seen', () => {
    const file = path.join(dir, 'codes.db');
    const code = (i: number) => `c${String(i).padStart(3, '0')}`;
    const first = openStore(file);
    // 100 codes by name, then two past the bound (under '(other)').
    first.ingest.commit(Array.from({ length: 102 }, (_, i) => attempt(ADMISSION_T0 + i * 100, false, { declineCode: code(i) })));
    first.close();

    const again = openStore(file);
    try {
      again.ingest.commit([attempt(ADMISSION_T0 + MIN, false, { declineCode: code(0) }), attempt(ADMISSION_T0 + MIN + 1, false, { declineCode: code(99) })]);
      const m0 = Math.floor(ADMISSION_T0 / MIN);
      const totals = (from: number, to: number) =>
        new Map(again.segments.declineCodesBetween(from, to, 'merchantId').filter((r) => r.value === 'm-main').map((r) => [r.code, r.count]));
      const after = totals(m0 + 1, m0 + 2);
      expect(after.get(code(99))).toBe(1);
      expect(after.get(code(0))).toBe(1);
      expect(after.get(OTHER_VALUE)).toBeUndefined();
      // Before the restart: exactly the first 100 by name.
      const before = totals(m0, m0 + 1);
      expect(before.get(OTHER_VALUE)).toBe(2);
      expect(before.get(code(100))).toBeUndefined();
    } finally {
      again.close();
    }
  });
});
