// payops explain's contributor lines said "10.0 % vs -" for a merchant new in the window and
// "- vs 90.0 %" for one whose traffic stopped: "-" reads as a figure nobody can name. The side
// without attempts is now said in words; the JSON keeps its null value and its attempts of 0.
import { describe, expect, it } from 'vitest';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { computeExplanation } from '../../core/triage/explain';
import { explanationText } from './explainCommand';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('payops explain text, a side without attempts', () => {
  it('is "no attempts in the baseline" / "no attempts in the window", not "-"', () => {
    // m_1..m_3 steady at 90 %; m_new (new in the window) approves 10 %; m_4's traffic stopped.
    const baseline = ['m_1', 'm_2', 'm_3', 'm_4'].map((m) => segmentRow('merchantId', m, 400, 360));
    const window = [...['m_1', 'm_2', 'm_3'].map((m) => segmentRow('merchantId', m, 100, 90)), segmentRow('merchantId', 'm_new', 100, 10)];
    const e = computeExplanation({ metric: 'approval-rate', fromMs: FROM, toMs: FROM + 15 * MIN, baselineFromMs: FROM - 60 * MIN, baselineToMs: FROM, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
    const line = (m: string) => explanationText(e).split('\n').find((l) => l.startsWith(`  merchantId=${m} `));
    expect(e.contributors.find((c) => c.value === 'm_new')).toMatchObject({ significant: true, window: { attempts: 100, value: 0.1 }, baseline: { attempts: 0, value: null } });
    expect(e.contributors.find((c) => c.value === 'm_4')).toMatchObject({ significant: true, window: { attempts: 0, value: null }, baseline: { attempts: 400, value: 0.9 } });
    expect(line('m_new')).toMatch(/^ {2}merchantId=m_new {2}10\.0 % vs no attempts in the baseline {2}-/);
    expect(line('m_4')).toMatch(/^ {2}merchantId=m_4 {2}no attempts in the window vs 90\.0 % {2}[-+]/);
    expect(explanationText(e)).not.toMatch(/ vs -|- vs /);
  });
});
