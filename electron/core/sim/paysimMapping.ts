// Turns PaySim rows (E. A. Lopez-Rojas et al., EMSS 2016; CC BY-SA 4.0) into payment and
// risk CloudEvents for the shipped demo capture. The mapping is documented, with the
// attribution, in electron/core/demo/README.md; keep the two in step.
import { decodeMessage } from '../../../shared/events/decode';
import { DECLINE_CODES, FAILURE_REASONS, NORMAL_DECLINE_MIX, SOURCES } from './catalog';
import { makeCloudEvent, type CloudEventObject } from './cloudEvent';
import { createRng, hash32 } from './prng';

export interface PaysimRow {
  /** 1-based data row number in the CSV (header excluded): the payment's stable identity. */
  row: number;
  step: number;
  type: 'CASH_IN' | 'CASH_OUT' | 'DEBIT' | 'PAYMENT' | 'TRANSFER';
  /** Amount as written in the CSV (major units, up to 2 decimals). */
  amount: string;
  nameOrig: string;
  oldbalanceOrg: number;
  newbalanceOrig: number;
  nameDest: string;
  oldbalanceDest: number;
  newbalanceDest: number;
  isFraud: boolean;
  isFlaggedFraud: boolean;
}

/** sha256 of the 10k-row sample the demo capture is built from (see /work/shared/data/README.md). */
export const PAYSIM_SAMPLE_SHA256 = '0a3f6f26872684989862e729ce4759168146f2f4c53d62a2859fe7a9a18e80b0';

/** PaySim step 1 (its first hour) starts here. */
export const PAYSIM_EPOCH_MS = Date.UTC(2026, 10, 2, 0, 0, 0);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const COLUMNS = 'step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud';
const TYPES = new Set(['CASH_IN', 'CASH_OUT', 'DEBIT', 'PAYMENT', 'TRANSFER']);

export const PAYSIM_METHODS: Readonly<Record<PaysimRow['type'], string>> = {
  PAYMENT: 'wallet',
  TRANSFER: 'transfer',
  CASH_OUT: 'cash_out',
  DEBIT: 'debit',
  CASH_IN: 'cash_in',
};

// All euro-area markets: PaySim has a single currency, mapped to EUR.
const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'AT', 'PT', 'IE', 'FI'] as const;
// Non-merchant destinations (other customers, agents) are grouped into this many
// partner accounts per method, so per-merchant views have something to aggregate.
const PARTNER_BUCKETS = 20;

/** Parses the PaySim CSV (no quoted fields in PaySim). Throws on a malformed row: the input is ours to fix. */
export function parsePaysimCsv(text: string): PaysimRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== COLUMNS) throw new Error(`unexpected PaySim header: ${lines[0]?.slice(0, 200)}`);
  return lines.slice(1).map((line, i) => {
    const f = line.split(',');
    const row = i + 1;
    if (f.length !== 11 || !TYPES.has(f[1]) || !/^\d+(\.\d{1,2})?$/.test(f[2])) {
      throw new Error(`PaySim data row ${row}: malformed: ${line.slice(0, 200)}`);
    }
    return {
      row,
      step: Number(f[0]),
      type: f[1] as PaysimRow['type'],
      amount: f[2],
      nameOrig: f[3],
      oldbalanceOrg: Number(f[4]),
      newbalanceOrig: Number(f[5]),
      nameDest: f[6],
      oldbalanceDest: Number(f[7]),
      newbalanceDest: Number(f[8]),
      isFraud: f[9] === '1',
      isFlaggedFraud: f[10] === '1',
    };
  });
}

/** "114664.45" -> 11466445, exactly (no float rounding of the cents). */
export function toMinorUnits(amount: string): number {
  const [whole, cents = ''] = amount.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

export function merchantIdFor(row: Pick<PaysimRow, 'type' | 'nameDest'>): string {
  if (row.nameDest.startsWith('M')) return row.nameDest;
  const bucket = hash32(row.nameDest) % PARTNER_BUCKETS;
  return `m_${PAYSIM_METHODS[row.type]}_${String(bucket).padStart(2, '0')}`;
}

/** The rules a risk engine would see fire for this row (PaySim's fraud signatures). */
function rulesFor(row: PaysimRow, amountMinor: number): string[] {
  const rules: string[] = [];
  if (row.isFlaggedFraud) rules.push('paysim_flagged_transfer');
  if (row.oldbalanceOrg > 0 && row.newbalanceOrig === 0 && amountMinor >= Math.round(row.oldbalanceOrg * 100) * 0.99) {
    rules.push('balance_drained');
  }
  if (!row.nameDest.startsWith('M') && row.oldbalanceDest === 0 && row.newbalanceDest === 0) rules.push('dest_balance_unchanged');
  if (amountMinor > 200_000_00) rules.push('large_amount');
  return rules;
}

/**
 * The events of one PaySim row, in lifecycle order. Deterministic: every draw comes
 * from a PRNG seeded by the row number, so rows can be mapped in any order.
 */
export function paysimRowToEvents(row: PaysimRow): CloudEventObject[] {
  const rng = createRng(hash32(`paysim:${row.row}`));
  const paymentId = `pay_ps${String(row.row).padStart(5, '0')}`;
  const merchantId = merchantIdFor(row);
  const amount = toMinorUnits(row.amount);
  const currency = 'EUR';
  const method = PAYSIM_METHODS[row.type];
  const country = COUNTRIES[hash32(row.nameOrig) % COUNTRIES.length];
  const customerId = row.nameOrig;
  const base = { paymentId, merchantId, amount, currency, method, country };
  const events: CloudEventObject[] = [];
  const add = (source: string, type: CloudEventObject['type'], timeMs: number, data: Record<string, unknown>) => {
    events.push(makeCloudEvent(rng.uuid(), source, type, timeMs, paymentId, data));
  };

  // PaySim's step is the hour; the minute within it is ours to draw.
  const t0 = PAYSIM_EPOCH_MS + (row.step - 1) * HOUR_MS + rng.int(0, HOUR_MS - 1);
  add(SOURCES.gateway, 'payment.initiated', t0, { ...base, customerId });

  // Scores separate the label with some overlap, as a real model would:
  // fraud mostly 80-99 (blocked), some 60-79 (review), ~10 % missed at 30-59;
  // legitimate mostly 1-40, ~2.4 % 41-79, ~0.6 % false blocks at 80-92.
  let score: number;
  const r = rng.float();
  if (row.isFlaggedFraud) score = 99;
  else if (row.isFraud) score = r < 0.78 ? rng.int(80, 99) : r < 0.9 ? rng.int(60, 79) : rng.int(30, 59);
  else score = r < 0.006 ? rng.int(80, 92) : r < 0.03 ? rng.int(41, 79) : 1 + Math.floor(39 * rng.float() ** 1.5);
  const decision = score >= 80 ? 'block' : score >= 60 ? 'review' : 'approve';
  const rules = score >= 40 ? rulesFor(row, amount) : [];
  const reasons = decision === 'block' ? ['score above block threshold 80'] : decision === 'review' ? ['score above review threshold 60'] : [];
  const risk = { paymentId, merchantId, score, decision, rules, reasons, country, amount, currency, customerId };
  const tScored = t0 + rng.int(40, 250);
  add(SOURCES.risk, 'risk.scored', tScored, risk);

  if (decision === 'block') {
    const tBlocked = tScored + rng.int(1, 10);
    add(SOURCES.risk, 'risk.blocked', tBlocked, risk);
    add(SOURCES.authorizer, 'payment.declined', tBlocked + rng.int(5, 40), {
      ...base,
      latencyMs: rng.int(20, 90),
      declineCode: DECLINE_CODES.suspectedFraud,
      reason: 'risk_blocked',
    });
    return events;
  }
  if (decision === 'review') add(SOURCES.risk, 'risk.flagged', tScored + rng.int(1, 10), risk);

  const latencyMs = Math.round(Math.min(rng.logNormal(180, 0.5), 2500));
  const tDecided = tScored + latencyMs;
  if (rng.chance(0.008)) {
    const reason = rng.pick(FAILURE_REASONS);
    add(SOURCES.authorizer, 'payment.failed', tDecided, { ...base, latencyMs: reason === 'timeout' ? rng.int(5000, 15000) : latencyMs, reason });
    return events;
  }
  // Fraud that got past the risk engine is still declined more often by issuers.
  if (rng.chance(row.isFraud ? 0.35 : 0.04)) {
    let declineCode: string;
    if (row.isFraud) {
      declineCode = rng.weighted([
        [DECLINE_CODES.doNotHonor, 50],
        [DECLINE_CODES.suspectedFraud, 30],
        [DECLINE_CODES.exceedsLimit, 20],
      ]);
    } else if (row.oldbalanceOrg > 0 && amount > Math.round(row.oldbalanceOrg * 100)) {
      declineCode = DECLINE_CODES.insufficientFunds;
    } else {
      declineCode = rng.weighted(NORMAL_DECLINE_MIX);
    }
    add(SOURCES.authorizer, 'payment.declined', tDecided, { ...base, latencyMs, declineCode });
    return events;
  }
  add(SOURCES.authorizer, 'payment.authorized', tDecided, { ...base, latencyMs });
  if (!rng.chance(0.97)) return events;

  const tCaptured = tDecided + rng.int(60_000, 20 * 60_000);
  const settled = { paymentId, merchantId, amount, currency };
  add(SOURCES.settlement, 'payment.captured', tCaptured, settled);
  // Missed fraud comes back as disputes days later; a few honest payments are refunded.
  if (row.isFraud ? rng.chance(0.6) : rng.chance(0.001)) {
    add(SOURCES.disputes, 'payment.chargeback', tCaptured + rng.int(2 * DAY_MS, 10 * DAY_MS), {
      ...settled,
      reason: row.isFraud ? 'fraudulent' : 'product_not_received',
    });
  } else if (!row.isFraud && row.type === 'PAYMENT' && rng.chance(0.015)) {
    add(SOURCES.settlement, 'payment.refunded', tCaptured + rng.int(HOUR_MS, 5 * DAY_MS), { ...settled, reason: 'requested_by_customer' });
  }
  return events;
}

/**
 * Every row's events, merged into one timeline (ties keep row order, then lifecycle
 * order). The log ends with PaySim's last hour: disputes and refunds that would come
 * later are not in it, as in any capture cut at a point in time.
 */
export function paysimToEvents(rows: readonly PaysimRow[]): CloudEventObject[] {
  const lastStep = rows.reduce((max, r) => Math.max(max, r.step), 0);
  const endMs = PAYSIM_EPOCH_MS + lastStep * HOUR_MS;
  const all = rows
    .flatMap((row) => paysimRowToEvents(row).map((event, i) => ({ event, t: Date.parse(event.time), row: row.row, i })))
    .filter((x) => x.t < endMs);
  all.sort((a, b) => a.t - b.t || a.row - b.row || a.i - b.i);
  return all.map((x) => x.event);
}

/**
 * The demo capture's text: one CloudEvent per line (the minimal capture form), in time
 * order. Throws if any event would not decode, so a broken mapping cannot ship.
 */
export function buildPaysimCaptureText(csvText: string): { text: string; rows: number; events: number } {
  const rows = parsePaysimCsv(csvText);
  const events = paysimToEvents(rows);
  const lines: string[] = [];
  for (const event of events) {
    const line = JSON.stringify(event);
    const result = decodeMessage({ body: Buffer.from(line), arrivalMs: 0 });
    if (!result.ok) throw new Error(`event ${event.id} (${event.type}) of ${event.subject} does not decode: ${result.reason}`);
    lines.push(line);
  }
  return { text: lines.join('\n') + '\n', rows: rows.length, events: events.length };
}
