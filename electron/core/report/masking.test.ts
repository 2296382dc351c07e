import { describe, expect, it } from 'vitest';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { isPan, maskPan, maskPans, Masker } from './masking';

describe('card numbers (PAN) in exports', () => {
  it('finds runs of 13-19 digits that pass the Luhn check, with spaces or dashes between groups', () => {
    expect(isPan('4111111111111111')).toBe(true);
    expect(isPan('4111 1111 1111 1111')).toBe(true);
    expect(isPan('5500-0000-0000-0004')).toBe(true);
    expect(isPan('4111111111111112')).toBe(false); // Luhn fails
    expect(isPan('411111111111')).toBe(false); // 12 digits
    expect(maskPan('4111 1111 1111 1111')).toBe('41**********1111');
    expect(maskPan('4111111111111111', 6)).toBe('411111******1111');
    expect(maskPan('4111111111111111', 9)).toBe('411111******1111'); // never more than 6 + 4
    expect(maskPans('card 4111 1111 1111 1111, exp 12/29')).toBe('card 41**********1111, exp 12/29');
    expect(maskPans('pan=5500-0000-0000-0004;')).toBe('pan=55**********0004;');
    // Not a part of a longer run of digits, not a run that fails Luhn, not dates or short ids.
    expect(maskPans('id 41111111111111110000000')).toBe('id 41111111111111110000000');
    expect(maskPans('2026-11-23T10:00:00.000Z p_EUR_11 4111111111111112')).toBe('2026-11-23T10:00:00.000Z p_EUR_11 4111111111111112');
    // Epoch milliseconds pass Luhn one time in ten: no card network's number starts with 1.
    expect(isPan('1795410000008')).toBe(false);
    expect(new Masker({ enabled: true }).deep({ createdAtMs: 1795410000008, ref: 'at 1795410000008' })).toEqual({ createdAtMs: 1795410000008, ref: 'at 1795410000008' });
  });

  it('masks them in any field at any depth, strings and numbers, only while masking is on', () => {
    const m = new Masker({ enabled: true });
    const data = { cardNumber: '4111111111111111', nested: { note: 'paid with 4111-1111-1111-1111', list: [4111111111111111] }, amount: 1250, cardBin: '411111' };
    expect(m.deep(data)).toEqual({
      cardNumber: '41**********1111', nested: { note: 'paid with 41**********1111', list: ['41**********1111'] }, amount: 1250, cardBin: '41****',
    });
    expect(new Masker({ enabled: false }).deep(data)).toEqual(data);
    expect(m.value('subject', 'x 4111111111111111')).toBe('x 41**********1111');
  });

  it('masks a subject that holds a masked field (the payment id with --mask paymentId)', () => {
    const m = new Masker({ enabled: true, extraFields: ['paymentId'] });
    const ce = m.cloudEvent(JSON.stringify({ id: 'e1', source: 's', type: 'payment.authorized', subject: 'p_1', data: { paymentId: 'p_1', amount: 5 } }));
    expect(ce.subject).toMatch(/^#[0-9a-f]{10}$/);
    expect(ce.subject).toBe((ce.data as Record<string, unknown>).paymentId);
    const plain = new Masker({ enabled: true }).cloudEvent(JSON.stringify({ subject: 'p_1', data: { paymentId: 'p_1' } }));
    expect(plain.subject).toBe('p_1');
  });

  it('masks known values in free text as whole words only', () => {
    const m = new Masker({ enabled: true });
    const values = new Map([['510002', '51****']]);
    expect(m.text('qa-bin-down/cardBin=510002/1: approval rate 30 % for cardBin 510002', values)).toBe('qa-bin-down/cardBin=51****/1: approval rate 30 % for cardBin 51****');
    expect(m.text('order 5100021 and 4111111111111111', values)).toBe('order 5100021 and 41**********1111');
    expect(new Masker({ enabled: false }).text('cardBin 510002', values)).toBe('cardBin 510002');
  });
});

describe('credentials and e-mail addresses in exports', () => {
  // QA: an event's metadata carried an API key, a password, a Bearer token, a Slack webhook URL,
  // a callback URL with a user, password and token, and e-mail addresses in fields named
  // "contact" and "note"; the JSON and CSV exports wrote them all as stored.
  const metadata = {
    contact: 'john.doe@example.com',
    note: 'mail jane@corp.example or call',
    apiKey: 'sk_live_51HxyzABCDEFGHIJKLMNOP',
    token: 'tok_1N2b3c4d5e6f7g8h',
    password: 'hunter2',
    clientSecret: 's3cr3t',
    authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
    webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX',
    callback: 'https://user:pass@merchant.example/cb?order=7&token=abcdef123456',
    relay: 'forwarded with Bearer abcdefgh12345678 and Basic dXNlcjpwYXNz',
    hook: 'posted to https://discord.com/api/webhooks/123/abcDEF at 10:00',
  };

  it('masks credential fields by name and e-mails, URL credentials and webhook paths in any field', () => {
    expect(new Masker({ enabled: true }).deep({ paymentId: 'p_1', metadata })).toEqual({
      paymentId: 'p_1',
      metadata: {
        contact: '***',
        note: 'mail *** or call',
        apiKey: '***',
        token: '***',
        password: '***',
        clientSecret: '***',
        authorization: '***',
        webhookUrl: '***',
        callback: 'https://***@merchant.example/cb?order=7&token=***',
        relay: 'forwarded with Bearer *** and Basic ***',
        hook: 'posted to https://discord.com/*** at 10:00',
      },
    });
    expect(new Masker({ enabled: false }).deep(metadata)).toEqual(metadata);
  });

  it('leaves text that only looks alike', () => {
    const m = new Masker({ enabled: true });
    for (const text of ['@SUM(A1)', '=1+2', 'Basic plan', 'Bearer', 'see https://status.example.com/incidents/42', 'm_o\'brien', 'pay@', 'a@b']) {
      expect(m.deep({ reason: text })).toEqual({ reason: text });
    }
  });

  it('costs linear time on a long value', () => {
    const long = `${'a'.repeat(200_000)}@${'b.'.repeat(50_000)}`;
    const cpuMs = cpuMsOf(() => {
      new Masker({ enabled: true }).deep({ reason: long });
    });
    expect(cpuMs).toBeLessThan(1000);
  });
});

describe('key=value secrets in free text', () => {
  // QA: a note holding "password=pa ss" (typed with a space) was exported as "password=*** ss"
  // inside a URL, and whole outside one: the mask stopped at the space, or never started.
  const m = new Masker({ enabled: true });
  const text = (t: string) => m.text(t, new Map());

  it('masks the value to its end: the line, the next key=value pair, or its closing quote', () => {
    expect(text('https://merchant.example/cb?order=7&password=pa ss')).toBe('https://merchant.example/cb?order=7&password=***');
    expect(text('https://merchant.example/cb?token=ab cd&order=7')).toBe('https://merchant.example/cb?token=***&order=7');
    expect(text('login failed: password=pa ss')).toBe('login failed: password=***');
    expect(text('db_password=pa ss user=bob retries=3')).toBe('db_password=*** user=bob retries=3');
    expect(text('PASSWORD=pa ss\nnext line')).toBe('PASSWORD=***\nnext line');
    expect(text('client_secret="pa ss" host=db1')).toBe('client_secret="***" host=db1');
    expect(text("api_key='ab cd' region=eu")).toBe("api_key='***' region=eu");
    expect(text('token="pa \\" ss" x=1')).toBe('token="***" x=1');
    expect(text('passphrase="never closed, to the end')).toBe('passphrase="***');
    expect(text('a=1 password=pa ss')).toBe('a=1 password=***');
  });

  it('leaves pairs that do not name a secret, and empty values', () => {
    for (const t of ['retries=3 reason=timeout', 'tokens=5', 'key=merchant', 'password= ', 'password=', 'x=1&y=2']) expect(text(t)).toBe(t);
  });

  it('costs linear time on a long hostile line', () => {
    const lines = [
      `password=${'a '.repeat(100_000)}`,
      ' password=x'.repeat(20_000),
      ' password='.repeat(20_000),
      `token="${'\\"'.repeat(100_000)}`,
      `${'x'.repeat(200_000)}=`,
      `https://x.example/?${'&token='.repeat(30_000)}`,
      `password=a${' b'.repeat(100_000)}=`,
      `secret=a${` ${'b'.repeat(64)}`.repeat(3_000)}`,
    ];
    for (const line of lines) {
      let masked!: ReturnType<typeof text>;
      const cpuMs = cpuMsOf(() => {
        masked = text(line);
      });
      expect(cpuMs, line.slice(0, 20)).toBeLessThan(1000);
      expect(masked).not.toMatch(/password=a|password=x|secret=a|token="\\/);
    }
    expect(text(' password=x'.repeat(20_000))).toBe(' password=***'.repeat(20_000));
  });
});
