import { describe, expect, it } from 'vitest';
import { DECLINE_CODES, declineCodeInfo, describeDeclineCode } from './declineCodes';
import { DECLINE_CODES as SIMULATED } from '../electron/core/sim/catalog';

describe('decline codes', () => {
  it('say what the common codes mean, soft or hard', () => {
    expect(declineCodeInfo('51')).toMatchObject({ meaning: 'Insufficient funds', kind: 'soft', retry: 'later', visaCategory: 2 });
    expect(declineCodeInfo('05')).toMatchObject({ meaning: 'Do not honor', kind: 'soft', visaCategory: 4 });
    expect(declineCodeInfo('91')).toMatchObject({ kind: 'soft' });
    expect(declineCodeInfo('41')).toMatchObject({ meaning: 'Lost card, pick up', kind: 'hard', retry: 'never', visaCategory: 1 });
    expect(declineCodeInfo('54')).toMatchObject({ meaning: 'Expired card', kind: 'hard', retry: 'with-new-data', visaCategory: 3 });
    expect(describeDeclineCode('51')).toBe('51 Insufficient funds (soft)');
  });

  it('reads codes as producers send them', () => {
    expect(declineCodeInfo(' 5 ').code).toBe('05');
    expect(declineCodeInfo('n7').code).toBe('N7');
    expect(declineCodeInfo('ZZ')).toMatchObject({ code: 'ZZ', known: false, kind: 'soft', visaCategory: 4 });
    expect(declineCodeInfo(null)).toMatchObject({ code: 'unknown', known: false });
    expect(describeDeclineCode('ZZ')).toBe('ZZ (soft, not in the code table)');
  });

  it('has one row per code, and knows every code the simulator and the demo send', () => {
    const codes = DECLINE_CODES.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of Object.values(SIMULATED)) expect(declineCodeInfo(code).known, code).toBe(true);
    // Hard means "this request as it is will not be approved" (Visa categories 1 and 3).
    for (const d of DECLINE_CODES) expect(d.kind === 'hard').toBe(d.visaCategory === 1 || d.visaCategory === 3);
  });
});
