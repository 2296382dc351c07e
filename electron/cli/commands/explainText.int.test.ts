// `payops explain` prints segment values and decline codes that came from events: a value with
// terminal control sequences (an ESC, a BEL) must reach the operator's terminal as visible text,
// not as commands to it (clear the screen, retitle the window, hide the culprit's name).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMISSION_T0, attempt } from '../../../test/support/admissionKit';
import { runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';
import { openStore } from '../../core/store/store';

const dir = tempDir('payops-explain-text-');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('payops explain text', () => {
  it('shows control characters of a segment value and a decline code escaped', async () => {
    const db = path.join(dir, 'hostile.db');
    const merchant = 'm\u001b[2J\u001b]0;owned\u0007bad';
    const code = '9\u001b[8m1';
    const store = openStore(db);
    const batch = [];
    for (let m = 0; m < 50; m++) {
      for (let k = 0; k < 40; k++) batch.push(attempt(ADMISSION_T0 + m * MIN + k * 1000, k % 10 !== 0, {}));
      for (let k = 0; k < 10; k++) batch.push(attempt(ADMISSION_T0 + m * MIN + k * 5000 + 500, m < 40, { merchantId: merchant, declineCode: code }));
    }
    store.ingest.commit(batch);
    store.close();
    const r = await runPayops(['explain', '--db', db, '--from', iso(ADMISSION_T0 + 40 * MIN), '--to', iso(ADMISSION_T0 + 50 * MIN)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('merchantId=m\\u001b[2J\\u001b]0;owned\\u0007bad');
    expect(r.stdout).toContain('9\\u001b[8m1');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
