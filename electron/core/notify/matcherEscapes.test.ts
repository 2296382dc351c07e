// Matchers copied from an Alertmanager config: inside a quoted value, \\ is one backslash,
// \" a quote and \n a newline (Alertmanager's ParseMatcher); another backslash stays as written.
import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { NotificationRouter } from './router';

function routesTo(matcher: string, value: string): boolean {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', url: 'http://127.0.0.1:9/hook' }],
    policies: [{ contactPoint: 'oncall', matchers: [matcher] }],
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return new NotificationRouter(v.config).routesFor({ merchant: value })[0].contactPoint.name === 'oncall';
}

describe('matcher values with escapes, as Alertmanager reads them', () => {
  it('\\\\ in a quoted regex is one backslash: m_\\\\d+ takes m_42 (it did not: the policy was skipped and the page went to the default)', () => {
    expect(routesTo(String.raw`merchant=~"m_\\d+"`, 'm_42')).toBe(true);
    expect(routesTo(String.raw`merchant=~"shop\\.example"`, 'shop.example')).toBe(true);
    expect(routesTo(String.raw`merchant=~"shop\\.example"`, 'shopXexample')).toBe(false);
  });
  it('a single backslash before another character stays (\\d is a digit class), \\" is a quote, \\n a newline', () => {
    expect(routesTo(String.raw`merchant=~"m_\d+"`, 'm_42')).toBe(true);
    expect(routesTo(String.raw`merchant="say \"hi\""`, 'say "hi"')).toBe(true);
    expect(routesTo(String.raw`merchant="a\nb"`, 'a\nb')).toBe(true);
    expect(routesTo(String.raw`merchant="C:\\shops"`, 'C:\\shops')).toBe(true);
  });
});
