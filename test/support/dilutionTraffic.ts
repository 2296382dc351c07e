// Test support: card payments at PaySim's cardinality (its PAYMENT rows: 3 168 merchants, nearly
// every one seen once, so the merchant dimension fills its 200 named values and folds the tail
// into '(other)'), with an issuer outage in the window, alone or during a card-testing flood at a
// few merchants that dilutes every other segment's share. Written through the real decoder and
// writer. The PaySim sample: /work/shared/data/paysim-10k.csv (CC BY-SA 4.0, see its README).
import fs from 'node:fs';
import path from 'node:path';
import { decodeMessage } from '../../shared/events/decode';
import type { IncomingMessage } from '../../electron/core/store/eventWriter';
import { ACQUIRERS, ISSUERS } from '../../electron/core/sim/catalog';
import { hash32, mulberry32 } from '../../electron/core/sim/prng';

export const DILUTION_T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const MIN = 60_000;
/** Minutes of calm baseline, then the window's. */
export const DILUTION_BASELINE_MINUTES = 40;
export const DILUTION_WINDOW_MINUTES = 10;
/** Calm card attempts a minute. */
const CALM_PER_MINUTE = 60;
/** The issuer that goes down in the window (one BIN range, as the simulator's). */
export const FAILING_ISSUER = 'tamarind-card';
export const FAILING_BIN = '529412';
/** Merchants of the card-testing flood: PaySim merchant ids absent from the calm traffic. */
export const FLOOD_MERCHANTS = ['M1000000001', 'M1000000002', 'M1000000003'];
const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'AT', 'PT', 'IE', 'FI'];

const PAYSIM_CSV = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'paysim-10k.csv');

/** PaySim's PAYMENT rows, in file order: the merchant (nameDest) and the amount in cents. */
function paysimPayments(): { merchantId: string; amount: number }[] {
  const lines = fs.readFileSync(PAYSIM_CSV, 'utf8').split(/\r?\n/).slice(1);
  const out: { merchantId: string; amount: number }[] = [];
  for (const line of lines) {
    const f = line.split(',');
    if (f[1] === 'PAYMENT') out.push({ merchantId: f[6], amount: Math.round(Number(f[2]) * 100) });
  }
  return out;
}

export interface DilutionOptions {
  /** Card-testing attempts in the window, against its CALM_PER_MINUTE x DILUTION_WINDOW_MINUTES calm ones (0: no flood). */
  flood: number;
  /** Whether FAILING_ISSUER declines nearly everything (code 91) in the window. */
  outage: boolean;
  seed?: number;
}

let seq = 0;
function event(timeMs: number, approved: boolean, declineCode: string, data: Record<string, unknown>): IncomingMessage {
  seq += 1;
  const e = {
    specversion: '1.0',
    id: `dil-${seq}`,
    source: 'dilution',
    type: approved ? 'payment.authorized' : 'payment.declined',
    time: new Date(timeMs).toISOString(),
    data: { paymentId: `pay-${seq}`, currency: 'EUR', method: 'card', ...(approved ? {} : { declineCode }), ...data },
  };
  const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: timeMs };
  return { raw, result: decodeMessage(raw) };
}

/**
 * The traffic, time-ordered: CALM_PER_MINUTE card attempts a minute over PaySim's payments
 * (merchant and amount), each card of an issuer drawn by the simulator's weights (its BIN, its
 * scheme), the merchant's acquirer fixed by its id, 7 % declined (05, 51). In the window
 * FAILING_ISSUER declines 90 % with 91 (`outage`), and `flood` card-testing attempts at
 * FLOOD_MERCHANTS (small amounts, cards of every issuer by the same weights, 95 % declined with
 * 05 / 14 / 54) are spread over it.
 */
export function dilutionTraffic({ flood, outage, seed = 7 }: DilutionOptions): IncomingMessage[] {
  const rng = mulberry32(seed);
  const payments = paysimPayments();
  const totalWeight = ISSUERS.reduce((a, i) => a + i.weight, 0);
  const issuerOf = () => {
    let u = rng() * totalWeight;
    for (const i of ISSUERS) if ((u -= i.weight) < 0) return i;
    return ISSUERS[ISSUERS.length - 1];
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const card = () => {
    const issuer = issuerOf();
    return { issuer: issuer.name, cardBin: pick(issuer.bins), scheme: issuer.scheme, country: pick(COUNTRIES) };
  };
  const acquirerOf = (merchantId: string) => ACQUIRERS[hash32(merchantId) % ACQUIRERS.length];
  const out: { t: number; m: IncomingMessage }[] = [];
  const minutes = DILUTION_BASELINE_MINUTES + DILUTION_WINDOW_MINUTES;
  let p = 0;
  for (let minute = 0; minute < minutes; minute++) {
    const inWindow = minute >= DILUTION_BASELINE_MINUTES;
    for (let k = 0; k < CALM_PER_MINUTE; k++) {
      const t = DILUTION_T0 + minute * MIN + Math.floor((k * MIN) / CALM_PER_MINUTE);
      const { merchantId, amount } = payments[p++ % payments.length];
      const c = card();
      const down = outage && inWindow && c.issuer === FAILING_ISSUER;
      const approved = rng() >= (down ? 0.9 : 0.07);
      const code = down ? '91' : rng() < 0.6 ? '05' : '51';
      out.push({ t, m: event(t, approved, code, { merchantId, amount, acquirer: acquirerOf(merchantId), ...c }) });
    }
  }
  const windowFrom = DILUTION_T0 + DILUTION_BASELINE_MINUTES * MIN;
  for (let k = 0; k < flood; k++) {
    const t = windowFrom + Math.floor((k * DILUTION_WINDOW_MINUTES * MIN) / flood) + 7;
    const merchantId = FLOOD_MERCHANTS[k % FLOOD_MERCHANTS.length];
    const c = card();
    // A tester's card of the failing issuer is declined by the outage as any other.
    const down = outage && c.issuer === FAILING_ISSUER;
    const approved = rng() >= (down ? 0.9 : 0.95);
    const code = down ? '91' : pick(['05', '14', '54']);
    out.push({ t, m: event(t, approved, code, { merchantId, amount: 100 + Math.floor(rng() * 200), acquirer: acquirerOf(merchantId), ...c }) });
  }
  return out.sort((a, b) => a.t - b.t).map((x) => x.m);
}

export const DILUTION_WINDOW = {
  from: DILUTION_T0 + DILUTION_BASELINE_MINUTES * MIN,
  to: DILUTION_T0 + (DILUTION_BASELINE_MINUTES + DILUTION_WINDOW_MINUTES) * MIN,
};
