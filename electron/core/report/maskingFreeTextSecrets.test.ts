// Secrets and card data that exports let through in free text and nested fields, each checked on
// the masker and through the real exporters (CSV, JSON, HTML) from a real SQLite file.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { redactSecrets } from '../redact';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn } from '../store/store';
import { Masker } from './masking';
import { runExport } from './reportExport';

const dir = tempDir('payops-mask-free-text-');
const open: Database.Database[] = [];
afterAll(() => open.forEach((db) => db.close()));

/** Each export's text of a database holding one declined payment per `data` given. */
async function exportedTexts(name: string, datas: Record<string, unknown>[]): Promise<Record<string, string>> {
  const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
  const db = openDatabase(path.join(dir, `${name}.db`));
  open.push(db);
  storeEvents(db, datas.map((data, i) => ({
    specversion: '1.0', id: `${name}-${i}`, source: 'psp', type: 'payment.declined', time: new Date(T0 + i * 1000).toISOString(),
    data: { paymentId: `p${i}`, merchantId: 'm_1', amount: 100, currency: 'EUR', declineCode: '05', ...data },
  })));
  const out: Record<string, string> = {};
  for (const format of ['csv', 'json', 'html'] as const) {
    const file = path.join(dir, `${name}.${format}`);
    await runExport(storeOn(db), { from: T0, to: T0 + 60_000, format, outFile: file });
    out[format] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

describe('masking, an Authorization header of any scheme', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;

  it('masks the credential and keeps the scheme', () => {
    expect(note('sent Authorization: Token 9f8e7d6c5b4a39281706')).toBe('sent Authorization: Token ***');
    expect(note('Proxy-Authorization: Digest username="ops", response="6629fae49393a0539745"')).toBe('Proxy-Authorization: Digest ***');
    expect(note('authorization: ApiKey-v1 c2VjcmV0a2V5dmFsdWU\nnext line')).toBe('authorization: ApiKey-v1 ***\nnext line');
    expect(note('{"Authorization": "SSWS 00QCjAl4MlV-WPXM", "Accept": "json"}')).toBe('{"Authorization": "SSWS ***", "Accept": "json"}');
    // A header value that is the credential alone (no scheme).
    expect(note('Authorization: 9f8e7d6c5b4a39281706 then')).toBe('Authorization: ***');
  });

  it('leaves words after "authorization" that are no credential', () => {
    for (const text of ['authorization: declined by issuer', 'Authorization: approved', 'authorization timeout after 30s']) expect(note(text)).toBe(text);
  });

  it('no such credential reaches an export', async () => {
    const texts = await exportedTexts('auth', [{ reason: 'Authorization: Token 9f8e7d6c5b4a39281706' }, { reason: 'Proxy-Authorization: Custom QWxhZGRpbjpvcGVuX3Nlc2FtZQ' }]);
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toContain('9f8e7d6c5b4a39281706');
      expect(text, format).not.toContain('QWxhZGRpbjpvcGVuX3Nlc2FtZQ');
      // The events' free text is in the CSV and the JSON, masked: the check above reads it (the
      // HTML's sample table shows no free text).
      if (format !== 'html') expect(text, format).toContain('Authorization: Token ***');
    }
  });
});

describe('masking, a secret written as name: value', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;

  it('masks the value after a colon, in plain text and in JSON text', () => {
    for (const [text, shown] of [
      ['access_token: ya29a0AfB_byC7', 'access_token: ***'],
      ['refresh_token:1//0gLq9Zx and more', 'refresh_token:***'],
      ['{"access_token": "ya29a0AfB_byC7", "expires_in": 3599}', '{"access_token": "***", "expires_in": 3599}'],
      ["{'client_secret':'GOCSPX-4f7a'}", "{'client_secret':'***'}"],
      ['x-api-key: 3f9a0c77e1d2, x-request-id: r_1', 'x-api-key: ***, x-request-id: r_1'],
      ['api_key : 3f9a0c77e1d2', 'api_key : ***'],
      ['APIKEY: 3f9a0c77e1d2', 'APIKEY: ***'],
      ['{token: 3f9a0c77e1d2}', '{token: ***}'],
    ]) {
      expect(note(text), text).toBe(shown);
    }
  });

  it('leaves names that only contain the words, and a colon far from them', () => {
    for (const text of ['tokens: 3', 'secretary: Bob', 'reason: token expired at 2026-12-03T09:00:00Z', 'keyboard: us']) expect(note(text)).toBe(text);
  });

  it('no such value reaches an export', async () => {
    const texts = await exportedTexts('colon', [{ reason: 'upstream said {"access_token": "ya29a0AfB_byC7"}' }, { note: 'x-api-key: 3f9a0c77e1d2' }, { note: 'client_secret: GOCSPX-4f7a' }]);
    for (const [format, text] of Object.entries(texts)) {
      for (const secret of ['ya29a0AfB_byC7', '3f9a0c77e1d2', 'GOCSPX-4f7a']) expect(text, format).not.toContain(secret);
    }
  });
});

describe('masking, a PEM private key cut before its END line', () => {
  const m = new Masker({ enabled: true });
  const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

  it('masks from BEGIN to the end of the value', () => {
    expect(m.deep({ note: `key was:\n-----BEGIN PRIVATE KEY-----\n${body}\nMIIBOgIBAAJB` })).toEqual({ note: 'key was:\n***' });
    expect(m.deep({ note: `-----BEGIN EC PRIVATE KEY-----${body}` })).toEqual({ note: '***' });
    // An END of another block does not close it; the key's lines end where base64 does.
    expect(m.deep({ note: `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END CERTIFICATE-----\nx` })).toEqual({ note: '***\n-----END CERTIFICATE-----\nx' });
    // A whole block still ends at its END line, and a certificate stays.
    expect(m.deep({ note: `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nok` })).toEqual({ note: '***\nok' });
    expect(m.deep({ cert: `-----BEGIN CERTIFICATE-----\n${body}` })).toEqual({ cert: `-----BEGIN CERTIFICATE-----\n${body}` });
  });

  // A key cut short used to hide everything after its BEGIN line, to the end of the value: the
  // merchant, the reason, the rest of a log line an incident is read for. Now the key is its BEGIN
  // line, the encrypted form's headers and its run of base64 lines (each line after the first
  // taken while the one before it is a full line, 32+ characters; a line break, an escaped \n of
  // JSON in a log line, or the spaces of a key flattened onto one line between them); what follows stays.
  it('masks the BEGIN line and the base64 lines of a key cut short, and keeps what follows them', () => {
    const line = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    expect(m.deep({ note: `key was:\n-----BEGIN PRIVATE KEY-----\n${line}\n${line}\nMIIBOg\n(cut by the log)\nmerchant m_1 declined` })).toEqual({ note: 'key was:\n***\n(cut by the log)\nmerchant m_1 declined' });
    // JSON in a log line: its line breaks are escaped.
    expect(m.text(`body {"key":"-----BEGIN PRIVATE KEY-----\\n${line}\\nMIIBOg","merchant":"m_1"}`, new Map())).toBe('body {"key":"***","merchant":"m_1"}');
    // The encrypted form (RFC 1421 headers, a blank line), and a key flattened onto one line.
    const encrypted = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n${line}\nAbCd==\n- end of paste`;
    expect(m.text(encrypted, new Map())).toBe('***\n- end of paste');
    expect(m.text(`k=-----BEGIN PRIVATE KEY----- ${line} ${line} AbCd (truncated) for m_1`, new Map())).toBe('k=*** (truncated) for m_1');
  });

  it('any cut of a key: no base64 of it is left, and a note after its last short line stays', () => {
    const b64 = fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), { minLength: 64, maxLength: 64 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.array(b64, { minLength: 1, maxLength: 6 }), fc.integer({ min: 8, max: 31 }), fc.constantFrom('\n', '\r\n', '\\n', ' '), fc.constantFrom('RSA PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'EC PRIVATE KEY'), (lines, last, sep, kind) => {
        const key = [...lines, lines[0].slice(0, last)];
        const text = `before: -----BEGIN ${kind}-----${sep}${key.join(sep)}${sep}(the rest was cut) m_1`;
        const masked = m.text(text, new Map());
        expect(masked).toBe(`before: ***${sep}(the rest was cut) m_1`);
        expect(redactSecrets(text)).toBe(masked);
      }),
      { numRuns: 200 },
    );
  });

  it('a key line holding what reads as an account number is still masked whole', () => {
    // 'Cr43c5GhAb8Y6ZmZiTmbgK' after the '/' passes Costa Rica's IBAN check: masked first as an
    // IBAN, its stars ended the key's base64 there and left the rest of the key in the text.
    const line = `${'A'.repeat(41)}/Cr43c5GhAb8Y6ZmZiTmbgK`;
    for (const sep of ['\n', ' ']) {
      const text = `before: -----BEGIN RSA PRIVATE KEY-----${sep}${line}${sep}${'A'.repeat(64)}${sep}AAAAAAAA${sep}(the rest was cut) m_1`;
      expect(m.text(text, new Map())).toBe(`before: ***${sep}(the rest was cut) m_1`);
      expect(redactSecrets(text)).toBe(`before: ***${sep}(the rest was cut) m_1`);
    }
  });

  it('no such key reaches an export', async () => {
    const texts = await exportedTexts('pem', [{ reason: `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}` }]);
    for (const [format, text] of Object.entries(texts)) expect(text, format).not.toContain(body.slice(0, 24));
  });
});

describe('masking, card data under short names in a card object', () => {
  const m = new Masker({ enabled: true });

  it('masks bin as a card BIN, and pan, number and cardNumber as a card number, Luhn or not', () => {
    const data = { card: { bin: '424242', pan: '4111111111111112', number: '4000 0566 5566 5557', last4: '5557', brand: 'visa', expMonth: 12 } };
    expect(m.deep(data)).toEqual({ card: { bin: '42****', pan: '41**********1112', number: '40**********5557', last4: '5557', brand: 'visa', expMonth: 12 } });
    expect(m.deep({ paymentCard: { number: 4111111111111112, bin: 41111111 } })).toEqual({ paymentCard: { number: '41**********1112', bin: '41****' } });
    expect(m.deep({ cards: [{ bin: '555555' }], source: { card_number: '5555555555554445', cardNumber: 'tok_4f9a' } })).toEqual({ cards: [{ bin: '55****' }], source: { card_number: '55**********4445', cardNumber: '***' } });
    expect(m.value('pan', '4111111111111112')).toBe('41**********1112');
  });

  it('leaves a number or a bin that belongs to no card', () => {
    const data = { invoice: { number: '10425566' }, order: { number: 7, bin: 'A3' }, merchantId: 'm_1042' };
    expect(m.deep(data)).toEqual(data);
  });

  it('no such value reaches an export', async () => {
    const texts = await exportedTexts('card', [{ card: { bin: '411111', number: '4111111111111112', pan: '5555555555554445' } }]);
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toMatch(/411111|4111111111111112|5555555555554445/);
    }
  });
});

describe('masking, an IBAN in free text', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;

  it('keeps the last four characters of an IBAN that passes its check, written electronically or in groups', () => {
    for (const [text, shown] of [
      ['refund to DE89370400440532013000 today', `refund to ${'*'.repeat(18)}3000 today`],
      ['IBAN: GB82 WEST 1234 5698 7654 32.', `IBAN: ${'*'.repeat(18)}5432.`],
      ['(FR1420041010050500013M02606)', `(${'*'.repeat(23)}2606)`],
      ['NO9386011117947', `${'*'.repeat(11)}7947`],
      ['BE68 5390 0754 7034 EUR', `${'*'.repeat(12)}7034 EUR`],
    ]) {
      expect(note(text), text).toBe(shown);
    }
  });

  it('leaves what only looks alike: a failed check, a wrong length for its country, a part of a longer word', () => {
    for (const text of ['DE89370400440532013001', 'DE8937040044053201300', 'xDE89370400440532013000', 'DE89370400440532013000x', 'pay_DE89370400440532013000']) expect(note(text), text).toBe(text);
  });

  // An IBAN typed in lower or mixed case (a form that does not upper-case it) went out whole: the
  // scanner read upper-case letters only. Its check digits keep words and ids out.
  it('masks an IBAN in lower or mixed case, or with no-break spaces or dashes between groups, and leaves text whose check fails', () => {
    for (const [text, shown] of [
      ['refund to de89370400440532013000 today', `refund to ${'*'.repeat(18)}3000 today`],
      ['iban gb82 west 1234 5698 7654 32.', `iban ${'*'.repeat(18)}5432.`],
      ['Gb82West12345698765432', `${'*'.repeat(18)}5432`],
      ['fr1420041010050500013m02606', `${'*'.repeat(23)}2606`],
      // Copied from a web page or a PDF (no-break or thin spaces), or written with dashes.
      ['to DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000.', `to ${'*'.repeat(18)}3000.`],
      ['to DE89\u202f3704\u202f0044\u202f0532\u202f0130\u202f00', `to ${'*'.repeat(18)}3000`],
      ['to DE89-3704-0044-0532-0130-00 now', `to ${'*'.repeat(18)}3000 now`],
      ['BE68\u00a05390\u00a00754\u00a07034 EUR', `${'*'.repeat(12)}7034 EUR`],
    ]) {
      expect(note(text), text).toBe(shown);
    }
    for (const text of ['de89370400440532013001', 'ab12cdef34567890abcdef', 'id de12 abcd efgh ijkl mn', 'sha ab34f00dcafe0123456789abcdef0123456789', 'xde89370400440532013000']) expect(note(text), text).toBe(text);
    const long = 'de89 3704 0044 0532 0130 01x '.repeat(20_000);
    expect(cpuMsOf(() => expect(note(long)).toBe(long))).toBeLessThan(1_000);
  });

  it('no such IBAN reaches an export', async () => {
    const texts = await exportedTexts('iban', [{ reason: 'refund to DE89370400440532013000' }, { note: 'pay GB82 WEST 1234 5698 7654 32' }, { note: 'to de89370400440532013000' }]);
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toMatch(/DE89370400|GB82 WEST|WEST 1234|de89370400/i);
    }
  });
});

describe('masking, JSON escaped inside a text field', () => {
  it('no secret of an escaped JSON member reaches an export', async () => {
    const texts = await exportedTexts('escaped', [
      { note: 'upstream said {\\"access_token\\":\\"abc123SECRET\\",\\"expires_in\\":3600}', reason: '{\\"Authorization\\":\\"SSWS 00QCjAl4MlVkey\\"}' },
    ]);
    for (const [format, text] of Object.entries(texts)) {
      expect(text, format).not.toMatch(/abc123SECRET|00QCjAl4MlVkey/);
      // The HTML report shows no note; the CSV and JSON rows carry it, masked where the secret was.
      if (format !== 'html') expect(text, format).toMatch(/access_token[^*]{1,16}\*\*\*[^*]{1,24}expires_in/);
    }
  });
});

// Vendor keys that exports and log lines let through: the masker knew Stripe's, GitHub's ghp_ and
// gho_, GitLab's, Slack's xox[abposr]- and AWS's AKIA only. GitHub's user, server and refresh
// tokens, Slack's app and refresh tokens, AWS's temporary keys (ASIA), Checkout.com's sandbox keys,
// SendGrid, Google API and OAuth, npm, Shopify, Square, OpenAI and Anthropic keys, Braintree access
// tokens, Adyen API keys (AQE...) and PagerDuty integration keys (in an events URL, or as a
// routing_key of 32 characters) went out whole.
describe('masking, vendor keys by their published forms', () => {
  const m = new Masker({ enabled: true });
  const note = (text: string) => (m.deep({ note: text }) as { note: string }).note;
  const a = (n: number) => 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'.repeat(4).slice(0, n);
  const hex = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
  const keys = [
    `ghu_${a(36)}`, `ghs_${a(36)}`, `ghr_${a(36)}`, `xapp-1-A0123456789-1234567890123-${hex}`, `xoxe.xoxp-1-${a(40)}`, `xoxe-1-${a(40)}`,
    'ASIAIOSFODNN7EXAMPLE', `sk_sbox_${a(26)}`, `SG.${a(22)}.${a(43)}`, `AIza${a(35)}`, `ya29.${a(60)}`, `npm_${a(36)}`, `shpat_${hex}`, `shpss_${hex}`,
    `sq0atp-${a(22)}`, `sq0csp-${a(43)}`, `sk-ant-api03-${a(60)}`, `sk-proj-${a(60)}`, `access_token$production$${a(16)}$${hex}`,
    `AQE${a(60)}==-${a(43)}=-W+t7NF;s4}%=kUSD`, `key-${hex}`,
  ];

  it('masks each in free text, in a log line, and as a whole value', () => {
    for (const key of keys) {
      expect(note(`rotated ${key} after the incident`), key).toBe('rotated *** after the incident');
      expect(note(key), key).toBe('***');
      expect(redactSecrets(`worker: rejected ${key}`), key).toBe('worker: rejected ***');
    }
  });

  it('masks a PagerDuty integration key in an events URL and as a routing or service key', () => {
    expect(note(`posted to https://events.pagerduty.com/integration/${hex}/enqueue`)).toBe('posted to https://events.pagerduty.com/***');
    expect(note(`{"routing_key":"${hex}","event_action":"trigger"}`)).toBe('{"routing_key":"***","event_action":"trigger"}');
    expect(note(`service_key=${hex} ok`)).toBe('service_key=*** ok');
    expect(redactSecrets(`pagerduty: routing_key: ${hex}`)).toBe('pagerduty: routing_key: ***');
    expect(m.deep({ pagerduty: { routing_key: hex, serviceKey: hex } })).toEqual({ pagerduty: { routing_key: '***', serviceKey: '***' } });
  });

  it('leaves words and ids that only start the same way, and an AMQP routing key', () => {
    for (const text of [
      'asia-east1 ASIA region', 'SG.ok', 'AIza short', 'key-value store', 'sk-learn', 'ghost_mode', 'AQE is a prefix', 'npm_config', 'ya29.x',
      'routing_key: payment.declined', '{"routing_key":"payments.eu.authorized"}', 'https://events.pagerduty.com/v2/enqueue', 'shpat_', 'task-sk-ant',
    ]) {
      expect(note(text), text).toBe(text);
    }
    expect(m.deep({ routing_key: 'payment.declined', routingKey: 'payment.declined' })).toEqual({ routing_key: 'payment.declined', routingKey: 'payment.declined' });
    // The CSV's routing_key column is the AMQP message's: kept whatever its form.
    expect(m.value('routingKey', hex)).toBe(hex);
  });

  it('no such key reaches a CSV, JSON or HTML export', async () => {
    const texts = await exportedTexts('vendor-keys', [{ note: keys.join(' ') }, { reason: `sent to https://events.pagerduty.com/integration/${hex}/enqueue` }]);
    for (const [format, text] of Object.entries(texts)) {
      for (const key of keys) expect(text, `${format} ${key}`).not.toContain(key.slice(0, 24));
      expect(text, format).not.toContain(hex);
    }
  });

  it('costs a long line of near keys its length', () => {
    for (const line of ['AQE'.repeat(100_000), `${'sk-'.repeat(60_000)}`, 'SG.'.repeat(60_000), `routing_key=${'a'.repeat(31)} `.repeat(10_000)]) {
      expect(cpuMsOf(() => note(line)), line.slice(0, 12)).toBeLessThan(1_000);
    }
  });
});
