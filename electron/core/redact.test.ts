// Passwords in broker and management URLs never reach an error message, typed right or wrong; nor do card numbers and IBANs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sixteenDigitPan } from '../../test/support/cardNumbers';
import { cpuMsOf } from '../../test/support/cpuTime';
import { validateBrokerUrl } from './broker/brokerUrl';
import { redactSecrets, redactUrl, safeErrorMessage } from './redact';

describe('redactUrl', () => {
  it('hides the password of a URL and keeps the rest', () => {
    expect(redactUrl('amqp://ops:MySecretPw557@127.0.0.1:5672/%2F')).toBe('amqp://ops:***@127.0.0.1:5672/%2F');
    expect(redactUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
  });

  it('hides what may be a password in text that is not a URL (a typo)', () => {
    for (const typo of ['amqp//ops:MySecretPw557@127.0.0.1:5672', 'amqp:/ops:MySecretPw557@127.0.0.1', 'ops:MySecretPw557@127.0.0.1', 'amqp//MySecretPw557@host']) {
      const shown = redactUrl(typo);
      expect(shown, typo).not.toContain('MySecretPw557');
      expect(shown).toContain('@');
    }
  });

  it('a broker URL with a typo is refused without its password in the error', () => {
    let message = '';
    try {
      validateBrokerUrl('amqp//ops:MySecretPw557@127.0.0.1:5672');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a valid URL/);
    expect(message).not.toContain('MySecretPw557');
  });
});

describe('redactSecrets', () => {
  it('hides a password holding a literal @ whole, in text that quotes its URL', () => {
    // The URL parser takes the last @ of the authority as the end of the password, so the
    // broker accepts this URL; an error quoting it must not show the part after the first @.
    for (const [text, shown] of [
      ['failed amqp://ops:My@Secret@Pw557@127.0.0.1:5672/vh now', 'failed amqp://ops:***@127.0.0.1:5672/vh now'],
      ['at amqp://ops:My/Secret@127.0.0.1', 'at amqp://ops:***@127.0.0.1'],
      ['amqp://ops:pw@127.0.0.1/vh?x=a@b and http://u:p@w@mgmt:15672', 'amqp://ops:***@127.0.0.1/vh?x=a@b and http://u:***@mgmt:15672'],
    ]) {
      expect(redactSecrets(text)).toBe(shown);
    }
  });
});

describe('redactSecrets: a password typed with a raw space', () => {
  it('hides the userinfo to its end, where the text quotes a URL whose password holds a space', () => {
    for (const [text, shown] of [
      ['connect failed amqp://user:pa ss@host:5672/vh', 'connect failed amqp://user:***@host:5672/vh'],
      ['amqp://ops:two  spaces\tand a tab@127.0.0.1 refused', 'amqp://ops:***@127.0.0.1 refused'],
      ['at amqp://ops:My Se@cret@127.0.0.1:5672', 'at amqp://ops:***@127.0.0.1:5672'],
      ['"amqp://u:a b@h1" then http://m:c d@h2:15672/api', '"amqp://u:***@h1" then http://m:***@h2:15672/api'],
    ]) {
      expect(redactSecrets(text), text).toBe(shown);
    }
  });

  it('does not read past a line, a path or another URL for the end of a password', () => {
    for (const text of [
      'amqp://127.0.0.1:5672/vh consumer stopped\nqueue of ops@example',
      'http://127.0.0.1:15672/api/queues answered 401 for guest@localhost',
      'amqp://127.0.0.1:5672 and amqp://127.0.0.2:5672',
    ]) {
      expect(redactSecrets(text), text).toBe(text);
    }
    // An e-mail address on the next line is masked as one (redactSecrets, e-mail addresses), not as a password.
    expect(redactSecrets('amqp://127.0.0.1:5672/vh consumer stopped\nqueue of ops@example.com')).toBe('amqp://127.0.0.1:5672/vh consumer stopped\nqueue of ***');
    expect(redactSecrets('amqp://127.0.0.1:5672 then amqp://u:p w@h')).toBe('amqp://127.0.0.1:5672 then amqp://u:***@h');
  });

  it('takes time in proportion to the line, whatever it holds', () => {
    // Each of these made the former pattern rescan the rest of the line from every position.
    for (const hostile of ['a'.repeat(100_000), 'a://x:'.repeat(20_000), `amqp://u:${'p '.repeat(50_000)}`, 'amqp://u:p@'.repeat(10_000)]) {
      const cpuMs = cpuMsOf(() => {
        redactSecrets(hostile);
      });
      expect(cpuMs, hostile.slice(0, 12)).toBeLessThan(1_000);
    }
  });
});

describe('redactUrl: a password typed with a raw space', () => {
  it('hides it whole, in a URL and in a typo', () => {
    for (const url of ['amqp://ops:pa ss@127.0.0.1:5672', 'amqp//ops:pa ss@127.0.0.1', 'ops:pa ss@127.0.0.1']) {
      const shown = redactUrl(url);
      expect(shown, url).not.toMatch(/pa|ss@/);
      expect(shown, url).toContain('@127.0.0.1');
    }
  });
});

// Log lines and errors quote tokens and keys as an HTTP client or a producer prints them: the
// same patterns as exports (secretText.ts).
describe('redactSecrets: tokens and keys in a log line', () => {
  it('hides header credentials, secret pairs, known tokens and private keys', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fw';
    for (const [text, shown] of [
      ['receiver answered 401 to Authorization: Token 9f8e7d6c5b4a39281706', 'receiver answered 401 to Authorization: Token ***'],
      ['request headers {"Proxy-Authorization": "Digest username=\\"ops\\""}', 'request headers {"Proxy-Authorization": "Digest ***"}'],
      ['refresh failed: {"access_token": "ya29a0AfB_byC7", "expires_in": 3599}', 'refresh failed: {"access_token": "***", "expires_in": 3599}'],
      ['x-api-key: 3f9a0c77e1d2, client_secret=GOCSPX-4f7a', 'x-api-key: ***, client_secret=***'],
      [`sent Bearer ${jwt}`, 'sent Bearer ***'],
      [`token ${jwt} refused`, 'token *** refused'],
      ['hook secret whsec_4f9a0c77e1d2b3a4 rejected', 'hook secret *** rejected'],
      ['key: -----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQ', 'key: ***'],
    ]) {
      expect(redactSecrets(text), text).toBe(shown);
    }
  });

  it('leaves ordinary log lines as they are', () => {
    for (const text of [
      'collecting from amqp://127.0.0.1:5672/%2F queue payops.q into /tmp/p.db',
      'stored 2000 events up to 2026-12-03T09:00:00.000Z (merchant m_1042, payment pay_01HZX3, amount 1250 EUR)',
      'authorization rate for issuer bank-7 dropped to 0.61; authorization: declined by issuer',
      'tokens: 3 of 10 used; key rotation at 09:00',
    ]) {
      expect(redactSecrets(text), text).toBe(text);
    }
  });

  it('takes time in proportion to a 1 MB line, whatever it holds', () => {
    const mb = 1 << 20;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    for (const hostile of [
      fill('a'), fill('token:'), fill('x-api-key: a '), fill('Authorization: '), fill('authorization: Token '), fill('"access_token": "'), fill('token=a '),
      fill('-----BEGIN PRIVATE KEY-----'), fill('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw (cut) '), fill('eyJhbGci.'), fill('Bearer '), fill('DE89 '), fill(' '), `api_key: ${fill(' ')}x`,
    ]) {
      const cpuMs = cpuMsOf(() => {
        redactSecrets(hostile);
      });
      expect(cpuMs, hostile.slice(0, 24)).toBeLessThan(1_500);
    }
  });
});

describe('redactSecrets, JSON escaped inside a log line or a text field', () => {
  it('masks a secret member whose quotes are escaped, and keeps the members around it', () => {
    const line = 'upstream said {\\"access_token\\":\\"abc123\\",\\"expires_in\\":3600}';
    expect(redactSecrets(line)).toBe('upstream said {\\"access_token\\":\\"***\\",\\"expires_in\\":3600}');
    expect(redactSecrets('body: {\\"client_secret\\": \\"s3 cr\\\\\\"et\\"}')).toBe('body: {\\"client_secret\\": \\"***\\"}');
    expect(redactSecrets('{\\"password\\":\\"hunter2\\"}')).toBe('{\\"password\\":\\"***\\"}');
  });

  it('masks an escaped Authorization member and an escaped key=value pair', () => {
    expect(redactSecrets('{\\"Authorization\\":\\"SSWS 00QCjAl4MlV\\"}')).toBe('{\\"Authorization\\":\\"SSWS ***\\"}');
    expect(redactSecrets('cmd=\\"--token=\\"abc123\\"\\"')).not.toContain('abc123');
    expect(redactSecrets('sent \\"token=\\"abc123\\" to psp')).not.toContain('abc123');
  });

  it('stays linear on a 1 MB line of escaped members', () => {
    const mb = 1 << 20;
    for (const unit of ['\\"access_token\\":\\"', '\\"access_token\\":\\"a\\\\', 'token=\\"', '\\"authorization\\":\\"']) {
      const hostile = unit.repeat(Math.ceil(mb / unit.length));
      const cpuMs = cpuMsOf(() => {
        redactSecrets(hostile);
      });
      expect(cpuMs, unit).toBeLessThan(1_500);
    }
  });
});

// A log line quoting a webhook URL (a delivery's error, a producer's callback) kept its path, the
// webhook's secret: exports mask it (masking.ts), logs did not.
describe('redactSecrets, webhook URLs', () => {
  it('hides the path of a webhook URL in a log line, and keeps other URLs whole', () => {
    expect(redactSecrets('POST https://hooks.slack.com/services/T000/B000/XXXXXXXX failed: 404')).toBe('POST https://hooks.slack.com/*** failed: 404');
    expect(redactSecrets('delivery to https://discord.com/api/webhooks/123/abcDEF timed out')).toBe('delivery to https://discord.com/*** timed out');
    expect(redactSecrets('GET http://127.0.0.1:15672/api/queues/%2F/q1 -> 200')).toBe('GET http://127.0.0.1:15672/api/queues/%2F/q1 -> 200');
  });
});

// A Cookie or Set-Cookie header quoted in a log line or a producer's note (a session id: a
// credential as good as a password) went out as it came.
describe('redactSecrets, cookie headers', () => {
  it('hides the value of a Cookie or Set-Cookie header, and keeps a line that only says cookie', () => {
    const shown = [
      'request Cookie: session=3f9a0c77e1d2; theme=dark',
      'Set-Cookie: sid=abcdef123456; Path=/; HttpOnly\nnext',
      'headers {"cookie": "sid=abcdef123456", "accept": "*/*"}',
      'no cookie: consent refused',
    ].map(redactSecrets);
    expect(shown).toEqual(['request Cookie: ***', 'Set-Cookie: ***\nnext', 'headers {"cookie": "***", "accept": "*/*"}', 'no cookie: consent refused']);
  });
});

// A log line quotes what producers sent (an alert's merchant label, an error's input): the card
// numbers and IBANs exports mask were shown as they came, in every form.
describe('redactSecrets, card numbers and IBANs', () => {
  const hex = (text: string) => Buffer.from(text).toString('hex');

  it('masks them as exports do, written plainly or encoded', () => {
    for (const [line, shown] of [
      ['alert for merchant 4111 1111 1111 1111, threshold 50 %', 'alert for merchant 41**********1111, threshold 50 %'],
      ['merchant 4111:1111|1111~1111 declined', 'merchant 41**********1111 declined'],
      ['merchant \uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11 declined', 'merchant 41**********1111 declined'],
      ['GET /cb?card=%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31 failed', 'GET /cb?card=41**********1111 failed'],
      [`body ${hex('4111111111111111')} rejected`, `body ${hex('41**********1111')} rejected`],
      [`data ${Buffer.from('card 4111111111111111').toString('base64')} rejected`, `data ${Buffer.from('card 41**********1111').toString('base64')} rejected`],
      ['refund to DE89 3704 0044 0532 0130 00 failed', 'refund to ******************3000 failed'],
    ]) {
      expect(redactSecrets(line), line).toBe(shown);
    }
    expect(safeErrorMessage(new Error('no merchant "5555555555554444"'))).toBe('no merchant "55**********4444"');
    // Something thrown that String cannot write (no prototype): said, never a second throw.
    expect(safeErrorMessage(Object.create(null))).toBe('an error that cannot be written as text');
  });

  it('leaves the numbers a log line holds: times, offsets, counts, sizes, ports, ids', () => {
    for (const line of [
      '2026-12-07T10:00:00.000Z replaying stream payments.stream on amqp://127.0.0.1:5672 from offset 4111111 into c.db',
      'replayed 1234567 lines: 4111 events, 1111 duplicates, 0 quarantined in 12.5 s',
      'delivery not taken, tag 41111111 (3 so far): ack failed at 1796640645123',
      'wrote out.csv (csv, 1,234,567 bytes, 4,111 events) in 1.1 s',
      'event 0f8fad5b-d9cb-469f-a165-70867728950e stored at 2026-12-07 12:30:45',
      '--drain: stops once offset 4111111111111112 is stored',
    ]) {
      expect(redactSecrets(line), line).toBe(line);
    }
  });

  it('hides a card written with any separator in any log line (property)', () => {
    fc.assert(
      fc.property(sixteenDigitPan, fc.constantFrom('', ' ', '-', '.', ':', '|', '\u00a0'), fc.constantFrom('merchant ', 'error: "', 'label=', ''), (pan, sep, before) => {
        const line = `${before}${pan.match(/\d{4}/g)!.join(sep)} at 12:30:45`;
        expect(redactSecrets(line).replace(/\D/g, ''), line).not.toContain(pan.slice(2, 12));
      }),
      { numRuns: 300 },
    );
  });
});

// A log line quoting a producer's reason, an alert's label or an error's input showed an e-mail
// address or a phone number whole, where exports and CLI listings mask them. A broker URL's
// "user@host" reads as an e-mail address too: it stays, the broker's login (its password is
// hidden above), and so does everything else of a URL but an address in its path or query.
describe('redactSecrets, e-mail addresses and phone numbers', () => {
  it('masks them in a log line as exports do', () => {
    for (const [line, shown] of [
      ['quarantined pay_1: customer alice.smith@example.com refused', 'quarantined pay_1: customer *** refused'],
      ['alert for merchant=ops+billing@mail.example.co.uk fired', 'alert for merchant=*** fired'],
      ['reply to josé@exämple.de or bob\uFF20example.org', 'reply to *** or ***'],
      ['contact mailto:oncall@example.com', 'contact mailto:***'],
      ['GET https://wiki.example.com/people/alice@example.com?cc=bob@example.org -> 404', 'GET https://wiki.example.com/people/***?cc=*** -> 404'],
      ['reason: call +44 20 7946 0958 before refund', 'reason: call *** before refund'],
      ['note "tel: 0049 30 1234567"', 'note "tel: ***"'],
    ]) {
      expect(redactSecrets(line), line).toBe(shown);
    }
  });

  it("keeps a URL's user before its host, with or without a password", () => {
    for (const [line, shown] of [
      ['collecting from amqp://guest@rabbit.example.com:5672/%2F queue q', 'collecting from amqp://guest@rabbit.example.com:5672/%2F queue q'],
      ['cannot reach amqps://ops:MySecretPw557@mq.prod.example.com/vh: refused', 'cannot reach amqps://ops:***@mq.prod.example.com/vh: refused'],
      ['management http://monitor.user@mgmt.example.net:15672/api answered 401', 'management http://monitor.user@mgmt.example.net:15672/api answered 401'],
      ['"amqp://a@h1.example.com" then carol@example.com', '"amqp://a@h1.example.com" then ***'],
    ]) {
      expect(redactSecrets(line), line).toBe(shown);
    }
  });

  it('keeps any broker URL with a user (property), and masks any address beside it', () => {
    const user = fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}$/);
    const host = fc.domain();
    const address = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), fc.domain()).filter(([, d]) => /\.[a-z]{2,}$/.test(d)).map(([l, d]) => `${l}@${d}`);
    fc.assert(
      fc.property(fc.constantFrom('amqp', 'amqps', 'http', 'https'), user, host, fc.option(fc.integer({ min: 1, max: 65_535 })), address, (scheme, u, h, port, email) => {
        const url = `${scheme}://${u}@${h}${port === null ? '' : `:${port}`}/vh`;
        expect(redactSecrets(`connecting to ${url} as configured`)).toBe(`connecting to ${url} as configured`);
        expect(redactSecrets(`${url} refused ${email}; retrying`)).toBe(`${url} refused ***; retrying`);
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves ordinary log lines with numbers as they are', () => {
    for (const text of [
      'follow: payops.metrics on amqp://127.0.0.1:5672/ into /tmp/f.db',
      'warning: collector c-1 jumped from sequence 1234567 to 1234599: 32 of its messages were not read here',
      'stored 2000 events up to 2026-12-03T09:00:00.000+01:00 in 1523 ms, offset 987654321',
      '--drain: stream queue, stops once offset 20261207 is stored and nothing has arrived for 3000 ms',
    ]) {
      expect(redactSecrets(text), text).toBe(text);
    }
  });

  it('takes time in proportion to a 1 MB line of URLs and at-signs', () => {
    const mb = 1 << 20;
    for (const unit of ['a@', 'amqp://u@', 'amqp://', 'a.b@c.', '@a.', 'x://a ']) {
      const hostile = unit.repeat(Math.ceil(mb / unit.length));
      expect(cpuMsOf(() => redactSecrets(hostile)), unit).toBeLessThan(1_500);
    }
  });
});
