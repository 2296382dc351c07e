// Test support: traffic in which a value of a full dimension is promoted out of '(other)' at a
// known minute with no change of its own rate or share (segmentAdmission.ts), written through
// the real decoder and writer.
import { decodeMessage } from '../../shared/events/decode';
import { MAX_VALUES_PER_DIMENSION } from '../../shared/segments';
import type { IncomingMessage } from '../../electron/core/store/eventWriter';

export const ADMISSION_T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const T0 = ADMISSION_T0;
const MIN = 60_000;

let seq = 0;
export function attempt(timeMs: number, approved: boolean, data: Record<string, unknown>): IncomingMessage {
  const time = new Date(timeMs).toISOString();
  seq += 1;
  const e = {
    specversion: '1.0',
    id: `e${seq}`,
    source: 's',
    type: approved ? 'payment.authorized' : 'payment.declined',
    time,
    data: { paymentId: `p${seq}`, merchantId: 'm-main', amount: 100, currency: 'EUR', ...(approved ? {} : { declineCode: '05' }), ...data },
  };
  const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: null, routingKey: null, arrivalMs: timeMs };
  return { raw, result: decodeMessage(raw) };
}

/**
 * Minute 0: the acquirer dimension fills with MAX_VALUES_PER_DIMENSION acquirers of 45 attempts
 * each. From minute 37, acquirer acq-late trades 5 attempts a minute at 50 % approval, steadily:
 * folded into (other) until its 90th attempt (twice the weakest admitted, at minute 55), named
 * after. Traffic without an acquirer: merchant m-main 45 a minute at 90 %, and merchant m-bad 5
 * a minute whose approval falls from 80 % to nothing in the window [50, 60): a real drop.
 */
export function admissionTraffic(): IncomingMessage[] {
  const batch: IncomingMessage[] = [];
  for (let v = 0; v < MAX_VALUES_PER_DIMENSION; v++) {
    for (let k = 0; k < 45; k++) batch.push(attempt(T0 + ((v * 45 + k) % 60_000), true, { merchantId: 'm-fill', acquirer: `acq-${v}` }));
  }
  for (let m = 37; m < 60; m++) {
    for (let k = 0; k < 5; k++) batch.push(attempt(T0 + m * MIN + k * 10_000, k % 2 === 0, { merchantId: 'm-acq', acquirer: 'acq-late' }));
    for (let k = 0; k < 45; k++) batch.push(attempt(T0 + m * MIN + k * 1000 + 500, k % 10 !== 0, {}));
    for (let k = 0; k < 5; k++) batch.push(attempt(T0 + m * MIN + k * 10_000 + 700, m < 50 && k !== 0, { merchantId: 'm-bad' }));
  }
  return batch;
}

