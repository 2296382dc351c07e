// The desktop's log lines and error box: an error quoting a broker URL with its password, a
// webhook URL with its token, is printed without them (before, main.ts printed the message whole).
import { describe, expect, it } from 'vitest';
import { consoleLine, shownErrorText } from './consoleLine';

const SECRET_ERROR = new Error('connect failed: amqp://ops:hunter2pw@broker.internal:5672/ then https://hooks.slack.com/services/T0000/B0000/XXXXsecretPATH');

describe('consoleLine', () => {
  it('hides a broker password and a webhook token in an error it quotes', () => {
    const line = consoleLine('engine did not close cleanly', SECRET_ERROR);
    expect(line).toMatch(/^payops: engine did not close cleanly: connect failed: amqp:\/\/ops:\*\*\*@broker\.internal:5672\//);
    expect(line).not.toMatch(/hunter2pw|secretPATH/);
  });

  it('hides them in a stack too, and in what the line says itself', () => {
    const line = consoleLine('start failed', SECRET_ERROR, { stack: true });
    expect(line).toContain('at ');
    expect(line).not.toMatch(/hunter2pw|secretPATH/);
    expect(consoleLine('blocked https://x.example/?token=tok3nSECRET')).not.toContain('tok3nSECRET');
  });

  it('writes what is not an Error as text, and never throws on what cannot be', () => {
    expect(consoleLine('start failed', 'amqp://a:pw1234567@h/')).toBe('payops: start failed: amqp://a:***@h/');
    expect(consoleLine('start failed', Object.create(null))).toBe('payops: start failed: an error that cannot be written as text');
    const hostile = { toString: () => { throw new Error('no'); } };
    expect(consoleLine('x', hostile)).toBe('payops: x: an error that cannot be written as text');
    expect(consoleLine('no detail')).toBe('payops: no detail');
  });

  it('shownErrorText: the message an error box shows, secrets hidden', () => {
    expect(shownErrorText(SECRET_ERROR)).not.toMatch(/hunter2pw|secretPATH/);
    expect(shownErrorText(SECRET_ERROR)).toMatch(/^connect failed: amqp:\/\/ops:\*\*\*@/);
  });
});
