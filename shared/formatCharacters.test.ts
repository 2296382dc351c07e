import { describe, expect, it } from 'vitest';
import { withFormatCharactersShown } from './formatCharacters';

describe('withFormatCharactersShown', () => {
  it('writes bidirectional controls, zero-width characters and C1 as \\uXXXX', () => {
    expect(withFormatCharactersShown('merchant m_\u202e1x approval 12 %')).toBe('merchant m_\\u202e1x approval 12 %');
    expect(withFormatCharactersShown('m_\u200b1 and \u2066a\u2069 and \u0085')).toBe('m_\\u200b1 and \\u2066a\\u2069 and \\u0085');
    expect(withFormatCharactersShown('a\u2028b')).toBe('a\\u2028b');
  });
  it('keeps ordinary text, right-to-left letters, line breaks, tabs and emoji with joiners', () => {
    for (const s of ['approval 81 % vs 93 %', 'תשלום 12 %', 'a\nb\tc', '👩\u200d💻', 'KWD 1.250']) expect(withFormatCharactersShown(s)).toBe(s);
  });
});
