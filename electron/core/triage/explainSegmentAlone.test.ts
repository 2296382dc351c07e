// A segment that falls while the whole does not move significantly: the whole's rate wanders
// between slices of its baseline (one big country swings, as PaySim's hours do), which widens
// the overall test, and one small country's approval falls to nothing. The health board marks
// that country down; explain must name it too, not say "nothing significant".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { explainRequestSchema } from '../../../shared/triage';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from './explainService';
import { healthFromStore } from './triageService';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 23, 8, 0, 0);
/** 20 minutes of baseline (4 slices of the 5-minute window), then the window. */
const WINDOW_FROM = START + 20 * MINUTE;
const WINDOW_TO = WINDOW_FROM + 5 * MINUTE;
/** US approval per 5-minute slice: it swings, so the whole wanders; the window's is in its range. */
const US_APPROVAL = [0.6, 0.9, 0.62, 0.88, 0.8];
/**
 * US (56 % of the traffic) swinging between slices, then falling in the window to 62 %, 18 points
 * under its baseline: degraded on the board, not down, while the whole's fall is within its wandering.
 */
const US_DEGRADED = [0.9, 0.7, 0.9, 0.7, 0.62];
const CALM_COUNTRIES = ['DE', 'FR', 'GB', 'NL'];

/**
 * Outcome events minute by minute: 80 US payments and 16 of each other country, approvals spread
 * evenly (70 % in the others). DE's approval is nothing in the window (`fell`) or in the baseline
 * (`recovered`); or (`retried`) it stays, and in the window each declined DE payment is tried
 * twice more, declined again; or (`calm`) it stays. `us`: US approval per slice.
 */
function traffic(de: 'fell' | 'recovered' | 'retried' | 'calm', us = US_APPROVAL): IncomingMessage[] {
  const out: IncomingMessage[] = [];
  let n = 0;
  for (let minute = 0; minute < 25; minute += 1) {
    const slice = Math.floor(minute / 5);
    const attempts: { country: string; approved: boolean; retries?: number }[] = [];
    for (let i = 0; i < 80; i += 1) attempts.push({ country: 'US', approved: (i * 37 + minute * 11) % 100 < us[slice] * 100 });
    for (const country of CALM_COUNTRIES) {
      for (let i = 0; i < 16; i += 1) {
        const deDown = country === 'DE' && (de === 'fell' ? slice === 4 : de === 'recovered' && slice < 4);
        const approved = deDown ? false : (i * 7 + minute * 3) % 10 < 7;
        attempts.push({ country, approved, retries: country === 'DE' && de === 'retried' && slice === 4 && !approved ? 2 : 0 });
      }
    }
    attempts.forEach((a, i) => {
      n += 1;
      for (let attempt = 1; attempt <= 1 + (a.retries ?? 0); attempt += 1) {
        const time = new Date(START + minute * MINUTE + i * 100 + attempt * 10).toISOString();
        const data = { paymentId: `pay_${n}`, merchantId: `m_${n % 5}`, amount: 1000, currency: 'EUR', method: 'card', country: a.country, attempt, ...(a.approved ? {} : { declineCode: a.country === 'DE' ? '91' : '05' }) };
        const event = { specversion: '1.0', id: `e_${n}_${attempt}`, source: 'test', type: a.approved ? 'payment.authorized' : 'payment.declined', time, datacontenttype: 'application/json', data };
        const raw = { body: Buffer.from(JSON.stringify(event)), headers: null, contentType: 'application/cloudevents+json', routingKey: event.type, arrivalMs: Date.parse(time) };
        out.push({ raw, result: decodeMessage(raw) });
      }
    });
  }
  return out;
}

const dir = tempDir('payops-explain-alone-');
const stores: Store[] = [];
function stored(de: Parameters<typeof traffic>[0], us = US_APPROVAL): Store {
  const s = openStore(`${dir}/segment-${de}-${us.join('-')}.db`);
  stores.push(s);
  s.ingest.commit(traffic(de, us));
  return s;
}
let store: Store;
let recovered: Store;
let retried: Store;
let dominant: Store;
beforeAll(() => {
  store = stored('fell');
  recovered = stored('recovered');
  retried = stored('retried');
  dominant = stored('calm', US_DEGRADED);
});
afterAll(() => stores.forEach((s) => s.close()));

describe('explain: a segment that fell while the whole did not move significantly', () => {
  it('names the segment the health board marks down, and says the whole did not move significantly', () => {
    const board = healthFromStore(store, { at: WINDOW_TO, windowMinutes: 5, baselineMinutes: 20 });
    const flagged = board.segments.filter((s) => s.state !== 'ok').map((s) => `${s.dimension}=${s.value}`);
    expect(flagged).toEqual(['country=DE']);

    const e = explainFromStore(store, explainRequestSchema.parse({ from: WINDOW_FROM, to: WINDOW_TO }));
    // The whole moved within its own wandering: not significant, as before.
    expect(e.significant).toBe(false);
    expect(e.overdispersion).toBeGreaterThan(1);
    const found = e.contributors.filter((c) => c.significant);
    // The same segments as the board: DE, by its own rate, 0 % against 70 %.
    expect(found.map((c) => `${c.dimension}=${c.value}`)).toEqual(flagged);
    expect(found[0]).toMatchObject({ dimension: 'country', value: 'DE', effect: 'rate', window: { attempts: 80, value: 0 } });
    expect(found[0].baseline.value).toBeCloseTo(0.7, 1);
    expect(found[0].topCodes[0]).toBe('91');
    expect(e.headline).toMatch(/not significant/);
    expect(e.headline).toMatch(/country DE approval 0\.0 % vs 70\.\d %/);
    expect(e.headline).toMatch(/code 91/);
    // By its decline rate too: declines rising is the same fall.
    const declines = explainFromStore(store, explainRequestSchema.parse({ from: WINDOW_FROM, to: WINDOW_TO, metric: 'decline-rate' }));
    expect(declines.contributors.filter((c) => c.significant).map((c) => `${c.dimension}=${c.value}`)).toEqual(['country=DE']);
  });

  it('does not report a segment that recovered on its own: the board judges falls, and so does a segment alone', () => {
    const board = healthFromStore(recovered, { at: WINDOW_TO, windowMinutes: 5, baselineMinutes: 20 });
    expect(board.segments.filter((s) => s.state !== 'ok')).toEqual([]);
    const e = explainFromStore(recovered, explainRequestSchema.parse({ from: WINDOW_FROM, to: WINDOW_TO }));
    expect(e.significant).toBe(false);
    const de = e.contributors.find((c) => c.dimension === 'country' && c.value === 'DE')!;
    expect(de).toMatchObject({ window: { attempts: 80 }, baseline: { value: 0 }, significant: false });
    expect(e.contributors.filter((c) => c.significant)).toEqual([]);
    expect(e.headline).toMatch(/nothing significant/);
  });

  it('does not report a segment whose declined payments were retried: per payment, as the board judges, its approval held', () => {
    const board = healthFromStore(retried, { at: WINDOW_TO, windowMinutes: 5, baselineMinutes: 20 });
    const boardDe = board.segments.find((s) => s.dimension === 'country' && s.value === 'DE')!;
    expect(boardDe).toMatchObject({ state: 'ok', basis: 'per payment', window: { payments: 80 } });
    for (const metric of ['approval-rate', 'decline-rate'] as const) {
      const e = explainFromStore(retried, explainRequestSchema.parse({ from: WINDOW_FROM, to: WINDOW_TO, metric }));
      const de = e.contributors.find((c) => c.dimension === 'country' && c.value === 'DE')!;
      // Per attempt it fell by more than the board's 10 points: 56 approvals in 128 attempts.
      expect(de.window).toMatchObject({ attempts: 128 });
      expect(de.significant, metric).toBe(false);
      expect(e.contributors.filter((c) => c.significant), metric).toEqual([]);
    }
  });

  it('reports a segment holding most of the traffic that the board marks degraded, with the board\'s state and reason', () => {
    // Left out before as "the whole" (it holds over half the traffic) unless the board said down:
    // the board listed US degraded beside explain's "nothing significant".
    const board = healthFromStore(dominant, { at: WINDOW_TO, windowMinutes: 5, baselineMinutes: 20 });
    const flagged = board.segments.filter((s) => s.state !== 'ok');
    expect(flagged.map((s) => `${s.dimension}=${s.value} ${s.state}`)).toEqual(['country=US degraded']);
    for (const metric of ['approval-rate', 'decline-rate'] as const) {
      const e = explainFromStore(dominant, explainRequestSchema.parse({ from: WINDOW_FROM, to: WINDOW_TO, metric }));
      expect(e.significant, metric).toBe(false);
      const found = e.contributors.filter((c) => c.significant);
      expect(found.map((c) => `${c.dimension}=${c.value}`), metric).toEqual(['country=US']);
      expect(found[0], metric).toMatchObject({ effect: 'rate', window: { attempts: 400 }, health: { state: 'degraded', reason: flagged[0].reason } });
      expect(e.headline, metric).toMatch(/not significant overall, but country US (approval|decline) /);
    }
  });
});
