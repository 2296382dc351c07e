// Cutting a core-built sentence into the console's words and the values in it (sentenceParts),
// and the plain-text form for titles and notifications. The views' use: sentenceIsolation.test.tsx.
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { notificationBody } from './notify';
import { sentenceParts, sentencePlainText } from './sentenceParts';

const values = (sentence: string, known: Parameters<typeof sentenceParts>[1] = []) => sentenceParts(sentence, known).filter((p) => p.value).map((p) => p.text);

describe('sentence parts', () => {
  it('finds a known value only as a word: not inside a figure or another word', () => {
    expect(values('attempt 5 approval 12.5 % vs 5.0 %, 5 % of the drop', ['5'])).toEqual(['5', '5']);
    expect(values('merchant m_10 approval 12 %', ['m_1'])).toEqual([]);
    expect(values('decline 93 % vs 93.0 %', ['93'])).toEqual(['93']);
  });

  it('finds a value the core quoted (white space at its end) in its quotes', () => {
    expect(values('decline rate 23 % for merchantId "m_1 ", baseline 4 %', ['m_1 '])).toEqual(['"m_1 "']);
  });

  it('a value bound to the words before it is found only there', () => {
    expect(values('approval 12 % vs 93 %, 91 % of the drop, code 91 issuer unavailable', [{ value: '91', after: 'code ' }])).toEqual(['91']);
  });

  it('isolates right-to-left words the caller did not name, one run per value, never across a figure or a bracket', () => {
    expect(values('Most active merchant: קפה שלום-טוב (1,234 events)')).toEqual(['קפה שלום-טוב']);
    expect(values('got دينار 12 and ريال')).toEqual(['دينار', 'ريال']);
    expect(values('plain English 12 %')).toEqual([]);
  });

  it('keeps the whole sentence, with undrawn characters shown, and an empty one empty', () => {
    const s = 'merchant m_\u202e1 \u200b approval 12 %';
    expect(sentenceParts(s, ['m_\u202e1']).map((p) => p.text).join('')).toBe('merchant m_\\u202e1 \\u200b approval 12 %');
    expect(sentenceParts('')).toEqual([{ text: '', value: false }]);
  });

  it('in plain text each value is held between FSI and PDI', () => {
    expect(sentencePlainText('decline 23 % for merchantId שלום, baseline 4 %', ['שלום'])).toBe('decline 23 % for merchantId \u2068שלום\u2069, baseline 4 %');
  });

  it("a notification's body isolates its summary's values and its labels'", () => {
    const n: AlertNotification = { kind: 'firing', rule: 'merchant-decline-spike', severity: 'critical', labels: { merchantId: 'שלום' }, value: 0.23, summary: 'FIRING merchant-decline-spike: decline rate 23 % for merchantId שלום, baseline 4 %', at: 0 };
    const body = notificationBody(n);
    expect(body).toContain('for merchantId \u2068שלום\u2069, baseline 4 %');
    expect(body).toContain('merchantId=\u2068שלום\u2069');
  });
});
