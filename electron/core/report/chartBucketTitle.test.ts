// The risk decisions chart names its bucket: "per 43200 s" made the reader divide; it reads
// "per 12 h", in the largest of s, min, h, d that the bucket is a whole number of.
import { describe, expect, it } from 'vitest';
import { minimalReport } from '../../../test/support/reportFixture';
import { bucketText, bucketFor } from './topListRanking';
import { renderReportHtml } from './reportHtml';

describe('a chart bucket in human units', () => {
  it.each([
    [1_000, '1 s'],
    [30_000, '30 s'],
    [60_000, '1 min'],
    [900_000, '15 min'],
    [5_400_000, '90 min'],
    [3_600_000, '1 h'],
    [43_200_000, '12 h'],
    [86_400_000, '1 d'],
    [172_800_000, '2 d'],
    [1_500, '1.5 s'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(bucketText(ms)).toBe(text);
  });

  it('the HTML report of a 60-day window titles its risk chart "per 12 h"', () => {
    const bucketMs = bucketFor(60 * 86_400_000);
    expect(bucketMs).toBe(43_200_000);
    const html = renderReportHtml(minimalReport(bucketMs));
    expect(html).toContain('Risk decisions (per 12 h)');
    expect(html).not.toContain('43200 s');
  });
});
