// The "End silence" button was named by the silence's matchers whole ('End silence
// merchantId="4111111111111111", email="alice@example.com", ...'): a screen reader read every
// value at every row, uncut where the table cuts it (a 4,000-character id), and a value from the
// events (a card number as a merchant id, an e-mail address) went into the name whole. Now the
// button is named by the silence's short id, shown in the table's ID column too, as
// Alertmanager's UI names a silence.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertSilence, SilenceMatcher } from '../../../shared/alerts';
import { SilencesTable, silenceShortId } from './AlertsSilences';

const silence = (id: string, matchers: SilenceMatcher[]): AlertSilence => ({ id, matchers, endsAt: 2_000_000, comment: 'card 4111111111111111 reported', createdBy: 'ops', createdAt: 0, expiredAt: null });
const labelsOf = (html: string) => Array.from(html.matchAll(/aria-label="([^"]*)"/g), (m) => m[1]);

describe('the "End silence" button', () => {
  const values = ['4111111111111111', 'alice@example.com', 'm'.repeat(4000)];
  const matchers: SilenceMatcher[] = [
    { label: 'merchantId', op: '=', value: values[0] },
    { label: 'email', op: '=~', value: values[1] },
    { label: 'acquirer', op: '!=', value: values[2] },
  ];
  const html = renderToStaticMarkup(
    <SilencesTable
      silences={[silence('5f0c2a9e-8b1d-4c3e-9f7a-2b6d1e0c4a11', matchers), silence('0b7e41d2-1c2f-4e9a-8d3b-6a5f4e3d2c1b', [matchers[0]])]}
      alerts={[]}
      now={1_000_000}
      onExpire={() => undefined}
    />,
  );

  it('is named by the short id of its silence, one name per row', () => {
    expect(labelsOf(html)).toEqual(['End silence 5f0c2a9e', 'End silence 0b7e41d2']);
  });

  it('holds no matcher value, nor the comment', () => {
    for (const label of labelsOf(html)) {
      for (const v of [...values, 'merchantId', '4111']) expect(label).not.toContain(v);
      expect(label.length).toBeLessThanOrEqual('End silence '.length + 8);
    }
  });

  it('names what the table shows: the ID column holds the same short id, the whole id in its title', () => {
    expect(html).toContain('title="5f0c2a9e-8b1d-4c3e-9f7a-2b6d1e0c4a11" data-testid="silence-id">5f0c2a9e</td>');
  });
});

describe('silenceShortId', () => {
  it('is at most 8 characters of the id (never half a surrogate pair), its undrawn characters shown', () => {
    expect(silenceShortId('abc')).toBe('abc');
    expect(silenceShortId('😀😀😀😀😀😀😀😀😀')).toBe('😀'.repeat(8));
    expect(silenceShortId('a\u202eb')).toBe('a\\u202eb');
  });
});
