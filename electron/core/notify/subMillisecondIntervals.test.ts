// A policy interval under the router's smallest step (1 ms) is refused naming the field: a
// groupInterval of 0.0001 (seconds) rounded to 0 and silently meant "send every change at once",
// a repeatInterval of 0 "never repeat". Alertmanager refuses a zero group_interval and
// repeat_interval too; a groupWait of 0 stays allowed (send the first message at once), as there.
import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';

const texts = (policy: object) => {
  const r = validateRouting({ defaultPolicy: { contactPoint: 'desktop', ...policy }, policies: [{ contactPoint: 'desktop', matchers: ['severity=critical'], ...policy }] });
  return r.ok ? [] : r.issues.map((i) => i.text).sort();
};

describe('policy intervals under a millisecond', () => {
  it('refuses a groupInterval or repeatInterval that rounds to 0 ms, or is 0, naming the field', () => {
    const interval = 'must be at least 1ms (0.001 s): the router would send every change at once';
    const repeat = 'must be at least 1ms (0.001 s): the router would never repeat';
    for (const v of [0.0001, 0, '0s', 0.0004]) {
      expect(texts({ groupInterval: v })).toEqual([`defaultPolicy.groupInterval: ${interval}`, `policies[0].groupInterval: ${interval}`]);
      expect(texts({ repeatInterval: v })).toEqual([`defaultPolicy.repeatInterval: ${repeat}`, `policies[0].repeatInterval: ${repeat}`]);
    }
  });

  it('refuses a groupWait above 0 that rounds to 0 ms; 0 itself means at once', () => {
    expect(texts({ groupWait: 0.0001 })).toEqual(['defaultPolicy.groupWait: must be 0 or at least 1ms (0.001 s)', 'policies[0].groupWait: must be 0 or at least 1ms (0.001 s)']);
    expect(texts({ groupWait: 0 })).toEqual([]);
    expect(texts({ groupWait: '0s', groupInterval: 0.001, repeatInterval: 0.0005 })).toEqual([]);
  });
});
