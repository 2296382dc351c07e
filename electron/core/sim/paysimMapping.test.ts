import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { openCaptureReader } from '../capture/captureReader';
import {
  PAYSIM_EPOCH_MS,
  PAYSIM_SAMPLE_SHA256,
  buildPaysimCaptureText,
  merchantIdFor,
  parsePaysimCsv,
  paysimRowToEvents,
  paysimToEvents,
  toMinorUnits,
  type PaysimRow,
} from './paysimMapping';

const SHIPPED = join(__dirname, '..', 'demo', 'paysim-demo.ndjson.gz');
// The sample lives beside the repository (/work/shared/data); the freshness check runs where it exists.
const CSV = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'paysim-10k.csv');

const HEADER = 'step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud';

function row(overrides: Partial<PaysimRow>): PaysimRow {
  return {
    row: 1,
    step: 1,
    type: 'PAYMENT',
    amount: '1250.50',
    nameOrig: 'C123',
    oldbalanceOrg: 5000,
    newbalanceOrig: 3749.5,
    nameDest: 'M555',
    oldbalanceDest: 0,
    newbalanceDest: 0,
    isFraud: false,
    isFlaggedFraud: false,
    ...overrides,
  };
}

describe('PaySim mapping', () => {
  it('parses the CSV and rejects malformed input', () => {
    const rows = parsePaysimCsv(`${HEADER}\n180,CASH_OUT,114664.45,C1911904419,0.0,0.0,C763019604,163667.97,278332.42,0,0\n`);
    expect(rows).toEqual([
      expect.objectContaining({ row: 1, step: 180, type: 'CASH_OUT', amount: '114664.45', nameOrig: 'C1911904419', isFraud: false }),
    ]);
    expect(() => parsePaysimCsv('a,b\n')).toThrow(/header/);
    expect(() => parsePaysimCsv(`${HEADER}\n1,WIRE,1.0,C1,0,0,C2,0,0,0,0\n`)).toThrow(/row 1/);
  });

  it('converts amounts to exact minor units', () => {
    expect(toMinorUnits('114664.45')).toBe(11466445);
    expect(toMinorUnits('160747.9')).toBe(16074790);
    expect(toMinorUnits('31479113.67')).toBe(3147911367);
    expect(toMinorUnits('7')).toBe(700);
  });

  it('keeps merchant destinations and groups other destinations per method', () => {
    expect(merchantIdFor({ type: 'PAYMENT', nameDest: 'M1979787155' })).toBe('M1979787155');
    expect(merchantIdFor({ type: 'CASH_OUT', nameDest: 'C763019604' })).toMatch(/^m_cash_out_\d{2}$/);
    expect(merchantIdFor({ type: 'TRANSFER', nameDest: 'C1' })).toBe(merchantIdFor({ type: 'TRANSFER', nameDest: 'C1' }));
  });

  it('maps a row to a timed, decodable lifecycle with the customer as a data field', () => {
    const events = paysimRowToEvents(row({ row: 42, step: 3 }));
    expect(events[0].type).toBe('payment.initiated');
    expect(events[1].type).toBe('risk.scored');
    expect(events[0].data).toMatchObject({ paymentId: 'pay_ps00042', merchantId: 'M555', amount: 125050, currency: 'EUR', method: 'wallet', customerId: 'C123' });
    const t0 = Date.parse(events[0].time);
    expect(t0).toBeGreaterThanOrEqual(PAYSIM_EPOCH_MS + 2 * 3_600_000);
    expect(t0).toBeLessThan(PAYSIM_EPOCH_MS + 3 * 3_600_000);
    for (let i = 1; i < events.length; i++) expect(Date.parse(events[i].time)).toBeGreaterThan(Date.parse(events[i - 1].time));
    for (const e of events) expect(decodeMessage({ body: Buffer.from(JSON.stringify(e)), arrivalMs: 0 }).ok).toBe(true);
    expect(JSON.stringify(paysimRowToEvents(row({ row: 42, step: 3 })))).toBe(JSON.stringify(events));
  });

  it('blocks PaySim-flagged fraud', () => {
    const events = paysimRowToEvents(row({ type: 'TRANSFER', nameDest: 'C9', isFraud: true, isFlaggedFraud: true }));
    expect(events.map((e) => e.type)).toEqual(['payment.initiated', 'risk.scored', 'risk.blocked', 'payment.declined']);
    expect(events[1].data).toMatchObject({ score: 99, decision: 'block' });
    expect(events[1].data.rules).toContain('paysim_flagged_transfer');
  });
});

describe('the shipped demo capture', () => {
  it('decodes fully, one payment per PaySim row, in time order, and is small', async () => {
    expect(readFileSync(SHIPPED).length).toBeLessThan(4 * 1024 * 1024);
    const initiated = new Set<string>();
    const keys = new Set<string>();
    let lastTime = 0;
    let count = 0;
    for await (const record of openCaptureReader(SHIPPED)) {
      if ('error' in record) throw new Error(`line ${record.line}: ${record.error}`);
      const result = decodeMessage(record.raw);
      if (!result.ok) throw new Error(`line ${record.line}: ${result.reason}`);
      const e = result.event;
      expect(e.timeMs!).toBeGreaterThanOrEqual(lastTime);
      lastTime = e.timeMs!;
      keys.add(`${e.source}/${e.id}`);
      if (e.type === 'payment.initiated') initiated.add(e.paymentId!);
      count++;
    }
    expect(initiated.size).toBe(10_000);
    expect(keys.size).toBe(count);
  });

  it.skipIf(!existsSync(CSV))('is current: rebuilding from the PaySim sample gives the same events', () => {
    const csv = readFileSync(CSV);
    expect(createHash('sha256').update(csv).digest('hex')).toBe(PAYSIM_SAMPLE_SHA256);
    const { text } = buildPaysimCaptureText(csv.toString('utf8'));
    expect(gunzipSync(readFileSync(SHIPPED)).toString('utf8') === text).toBe(true);
  });

  it.skipIf(!existsSync(CSV))('gives risk scores that separate the labelled fraud, and blocks most of it', () => {
    const rows = parsePaysimCsv(readFileSync(CSV, 'utf8'));
    const fraud = new Set(rows.filter((r) => r.isFraud).map((r) => `pay_ps${String(r.row).padStart(5, '0')}`));
    const events = paysimToEvents(rows);
    const scores = { fraud: [] as number[], legit: [] as number[] };
    let fraudBlocked = 0;
    let legitBlocked = 0;
    for (const e of events) {
      const isFraud = fraud.has(e.subject);
      if (e.type === 'risk.scored') (isFraud ? scores.fraud : scores.legit).push(e.data.score as number);
      if (e.type === 'risk.blocked' && isFraud) fraudBlocked++;
      if (e.type === 'risk.blocked' && !isFraud) legitBlocked++;
    }
    expect(scores.fraud).toHaveLength(500);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(scores.fraud)).toBeGreaterThan(70);
    expect(mean(scores.legit)).toBeLessThan(25);
    expect(fraudBlocked / 500).toBeGreaterThan(0.65);
    expect(legitBlocked / 9500).toBeLessThan(0.01);
    // Every row is mapped: one initiated event per CSV row.
    expect(events.filter((e) => e.type === 'payment.initiated')).toHaveLength(rows.length);
  });
});
