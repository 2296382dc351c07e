// QA with data payops did not shape: personal data and credentials where producers really put
// them (map keys, unicode, look-alike field names, other scripts' digits), through the real
// writer into a real SQLite file and out through the CSV and JSON exports.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuMsOf } from '../../../test/support/cpuTime';
import { storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { Masker } from './masking';
import { runExport } from './reportExport';

const dir = tempDir('payops-hostile-mask-');
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
let db: Database.Database;
let store: Store;
let n = 0;

const event = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0', id: `hm-${++n}`, source: 'qa/psp', type: 'payment.authorized', time: new Date(T0 + n * 1000).toISOString(),
  data: { paymentId: `p_hm_${n}`, merchantId: 'm_1', amount: 1000, currency: 'EUR', ...data }, ...extra,
});

/** Exports [T0, T0 + 1 h) as CSV and JSON and gives both texts together. */
async function exported(events: Record<string, unknown>[]): Promise<string> {
  const file = path.join(dir, `db-${++n}.db`);
  db?.close();
  db = openDatabase(file);
  storeEvents(db, events);
  store = storeOn(db);
  const csv = path.join(dir, `out-${n}.csv`);
  const json = path.join(dir, `out-${n}.json`);
  await runExport(store, { from: T0, to: T0 + 3_600_000, format: 'csv', outFile: csv });
  await runExport(store, { from: T0, to: T0 + 3_600_000, format: 'json', outFile: json });
  return `${fs.readFileSync(csv, 'utf8')}\n${fs.readFileSync(json, 'utf8')}`;
}

beforeAll(() => fs.mkdirSync(dir, { recursive: true }));
afterAll(() => db?.close());

describe('exports mask data that producers put where nobody looked', () => {
  it('an e-mail address or a card number used as a map key', async () => {
    const text = await exported([
      event({ contacts: { 'alice.payer@example.com': 'primary', 'bob@example.org': 'backup' }, byCard: { '4111111111111111': 2 } }),
    ]);
    expect(text).not.toContain('alice.payer@example.com');
    expect(text).not.toContain('bob@example.org');
    expect(text).not.toContain('4111111111111111');
    // Both keys survive (masked apart), the values with them.
    expect(text).toContain('primary');
    expect(text).toContain('backup');
    expect(text).toContain('41**********1111');
  });
});

describe('exports mask unicode e-mail addresses', () => {
  it('internationalised addresses (RFC 6531), full-width letters and signs, whole and not in part', async () => {
    const text = await exported([
      event({ note: 'refund to josé.müller@exämple.de asap', contact: 'Ünïcödé.user@example.com', alt: 'ｊｏｈｎ@example.com', jp: '山田＠例え．jp', ru: 'почта: иван@пример.рф' }),
    ]);
    for (const leak of ['josé', 'müller', 'exämple', 'Ünïcödé', 'ｊｏｈｎ', '山田', 'иван', 'пример']) expect(text).not.toContain(leak);
    expect(text).toContain('refund to *** asap');
    expect(text).toContain('почта: ***');
  });
});

describe('exports mask HTTP credentials whatever their case', () => {
  it('"bearer", "BEARER" and "basic" are the same schemes as "Bearer" and "Basic" (RFC 9110)', async () => {
    const basic = Buffer.from('merchant:hunter2').toString('base64');
    const text = await exported([
      event({ lastRequest: 'authorization: bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', h2: 'AUTHORIZATION: BEARER sk_live_abcdefghijkl', h3: `authorization: basic ${basic}` }),
    ]);
    for (const leak of ['eyJhbGciOiJIUzI1NiJ9', 'sk_live_abcdefghijkl', basic]) expect(text).not.toContain(leak);
    expect(text).toContain('authorization: bearer ***');
  });
});

describe('exports mask fields whose names only look different', () => {
  it('full-width letters and Cyrillic or Greek look-alikes in a sensitive field name', async () => {
    const text = await exported([
      event({
        'ｅｍａｉｌ': 'leak_fullwidth', 'е_mail': 'leak_cyrillic_e', 'Ｃｕｓｔｏｍｅｒ': 'leak_customer', 'tοken': 'leak_greek_o', 'pаsswоrd': 'leak_password',
        'сardBin': '41111199',
      }),
    ]);
    for (const leak of ['leak_fullwidth', 'leak_cyrillic_e', 'leak_customer', 'leak_greek_o', 'leak_password', '41111199']) expect(text).not.toContain(leak);
  });
});

describe('exports mask card numbers written in other digits', () => {
  it('full-width (a Japanese form), Arabic-Indic and Devanagari digits', async () => {
    const text = await exported([
      event({ note: 'カード ４１１１１１１１１１１１１１１１ で支払い', ar: 'بطاقة ٤١١١١١١١١١١١١١١١', hi: 'कार्ड ४१११ ११११ ११११ ११११', mixed: '4111１１１１11111111' }),
    ]);
    for (const leak of ['４１１１１１１１１１１１１１１１', '٤١١١١١١١١١١١١١١١', '४१११ ११११ ११११ ११११', '4111１１１１11111111']) expect(text).not.toContain(leak);
    expect(text).toContain('カード 41**********1111 で支払い');
    // Not every long run of other digits: Luhn still decides.
    const kept = await exported([event({ note: 'ref ４１１１１１１１１１１１１１１２' })]);
    expect(kept).toContain('４１１１１１１１１１１１１１１２');
  });
});

describe('exports mask keys and card data under the names producers give them', () => {
  it('private, access and signing keys, passphrases, PIN blocks and magnetic-stripe track data', async () => {
    const text = await exported([
      event(
        { gateway: { privateKey: 'leak_pk', accessKey: 'leak_ak', signing_key: 'leak_sk', passphrase: 'leak_pp' }, card: { pinBlock: 'leak_pb', track2: 'leak_t2', pin: 'leak_pin' } },
        { privatekey: 'leak_ext' },
      ),
    ]);
    for (const leak of ['leak_pk', 'leak_ak', 'leak_sk', 'leak_pp', 'leak_pb', 'leak_t2', 'leak_pin', 'leak_ext']) expect(text).not.toContain(leak);
    // Names that merely contain the letters stay as they are.
    const kept = await exported([event({ shipping: 'kept_shipping', pinned: 'kept_pinned', keyboard: 'kept_kb' })]);
    for (const k of ['kept_shipping', 'kept_pinned', 'kept_kb']) expect(kept).toContain(k);
  });
});

describe('exports mask well-known secret tokens in free text', () => {
  it('webhook signing secrets and API keys by their published prefixes, in any field', async () => {
    const secrets = ['whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH', 'sk_live_51HqLyjWDarjtT1zdp7dc', 'rk_test_4eC39HqLyjWDarjtT1zdp7dc', 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'AKIAIOSFODNN7EXAMPLE'];
    const text = await exported([event({ note: `rotated ${secrets[0]} after the incident`, config: secrets.slice(1).join(' ') }, { opsnote: `key ${secrets[0]}` })]);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).toContain('rotated *** after the incident');
    // Words that only start the same way stay.
    const kept = await exported([event({ note: 'sk_live_ is a prefix; risk_live_x and AKIA alone are kept' })]);
    expect(kept).toContain('sk_live_ is a prefix; risk_live_x and AKIA alone are kept');
  });
});

describe('reports mask what a producer wrote into a decline code', () => {
  it('a card number or e-mail address in declineCode is masked in the figures, the top list and the summary', async () => {
    const code = 'refused card 4111111111111111 ask alice@example.com';
    const text = await exported([event({ declineCode: code }, { type: 'payment.declined' }), event({ declineCode: '51' }, { type: 'payment.declined' })]);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('alice@example.com');
    expect(text).toContain('refused card 41**********1111 ask ***');
    // The code known to the table keeps its meaning.
    expect(text).toContain('Insufficient funds');
  });
});

describe('exports mask what data_base64 carries', () => {
  it('card numbers, e-mail addresses and credentials inside base64 data (UTF-8 text, JSON or bytes)', async () => {
    const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
    const json = b64(JSON.stringify({ note: 'card 4111111111111111', email: 'alice@example.com' }));
    const text = b64('operator note: customer bob@example.org paid with 5500 0000 0000 0004');
    const bytes = b64(Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('PAN=4111111111111111;'), Buffer.from([0x80])]));
    const events = [json, text, bytes].map((d, i) => ({
      specversion: '1.0', id: `b64-${i}`, source: 'ops/audit', type: 'audit.note', time: new Date(T0 + 50_000 + i * 1000).toISOString(),
      datacontenttype: i === 0 ? 'application/json' : 'application/octet-stream', data_base64: d,
    }));
    const out = await exported(events);
    expect(out).toContain('"data_base64"');
    const decoded = [...out.matchAll(/"data_base64": "([A-Za-z0-9+/=]*)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('latin1')).join('\n');
    expect(decoded).toContain('41**********1111');
    for (const leak of ['4111111111111111', 'alice@example.com', 'bob@example.org', '5500 0000 0000 0004']) {
      expect(decoded).not.toContain(leak);
      expect(out).not.toContain(b64(leak).slice(0, 12));
    }
    for (const d of [json, text, bytes]) expect(out).not.toContain(d);
  });
});

// A card number base64-encoded into an ordinary field (a gateway's opaque "payload" or "ref", a
// note quoting one) went out as it came: only a CloudEvent's data_base64 was decoded. A base64
// token (standard or URL-safe, padded or not) whose text holds a card number, an e-mail address
// or a credential is now decoded, masked and encoded again, as data_base64 is.
describe('exports mask card numbers base64-encoded in any field', () => {
  const m = new Masker({ enabled: true });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');

  it('decodes, masks and encodes again a token that carries a card number; leaves other tokens', () => {
    for (const [encode, plain] of [[b64, '4111111111111111'], [b64, '4111 1111 1111 1111'], [b64url, '5500000000000004'], [b64, '{"pan":"4111111111111111","exp":"12/29"}'], [b64url, 'card=378282246310005;cvv=123']] as const) {
      const token = encode(plain);
      const out = (m.deep({ ref: token, note: `payload ${token} rejected` }) as { ref: string; note: string });
      expect(out.ref, plain).not.toBe(token);
      expect(Buffer.from(out.ref, 'base64').toString('utf8'), plain).toMatch(/^[^]*(41|55|37)\*+(1111|0004|0005)[^]*$/);
      expect(out.note, plain).toBe(`payload ${out.ref} rejected`);
      // The same variant (URL-safe or not), so what reads it still can.
      expect(/[-_]/.test(token) ? /[+/=]/.test(out.ref) : /[-_]/.test(out.ref), out.ref).toBe(false);
    }
    const kept = [b64('4111111111111112'), b64('order 12345 shipped to warehouse 7'), 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=', '0123456789abcdef0123456789abcdef', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'd2b7c0a4-8f1e-4c4b-9b1a-2f6c7e8d9a0b'];
    for (const t of kept) expect(m.deep({ ref: t }), t).toEqual({ ref: t });
  });

  it('costs a long token and many tokens their length', () => {
    for (const line of ['NDEx'.repeat(100_000), `${b64('4111111111111111')} `.repeat(20_000), 'A'.repeat(400_000) + '===', `${'QUJD'.repeat(8)}= `.repeat(10_000)]) {
      expect(cpuMsOf(() => m.scrub(line)), line.slice(0, 12)).toBeLessThan(1_000);
    }
  });

  it('no such card number reaches a CSV, JSON or HTML export', async () => {
    const token = b64('4111111111111111');
    const out = await exported([event({ gatewayPayload: token, note: `ref ${b64url('{"card":"5500 0000 0000 0004"}')}` })]);
    expect(out).not.toContain(token);
    expect(out).not.toContain(b64url('{"card":"5500 0000 0000 0004"}'));
    expect(out).not.toContain(token.slice(0, 16));
  });
});

describe('reports mask what a producer wrote into an event type', () => {
  it('a card number or e-mail address in a CloudEvent type is masked in the counts by type and the chart series', async () => {
    const text = await exported([
      { specversion: '1.0', id: 'ty-1', source: 'ops', type: 'com.example.card.4111111111111111', time: new Date(T0 + 5000).toISOString(), data: { a: 1 } },
      { specversion: '1.0', id: 'ty-2', source: 'ops', type: 'com.example.notify.alice@example.com', time: new Date(T0 + 6000).toISOString(), data: { a: 1 } },
    ]);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('alice@example.com');
    expect(text).toContain('"com.example.card.41**********1111": 1');
  });
});
