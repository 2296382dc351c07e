// "Traffic all but stopped" needs a baseline share that was learned: a merchant with 2 attempts
// in a quiet baseline and 1 in a window ten times busier was "down: 1 attempt in the window,
// about 20 expected" on the board and in explain. With 3 attempts in all, 1 of them in the
// window happens by chance once in 40 (the window holds 10 in 11 of the traffic): no outage.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { explainRequestSchema, TRIAGE_METRICS } from '../../../shared/triage';
import { parsePaysimCsv, paysimToEvents } from '../sim/paysimMapping';
import { openStore, type Store } from '../store/store';
import type { SegmentRow } from '../store/segmentRow';
import { segmentRow } from '../../../test/support/segmentRowKit';
import { tempDir } from '../../../test/support/tempDir';
import { computeExplanation } from './explain';
import { explainFromStore } from './explainService';
import { computeHealthBoard } from './health';
import { healthFromStore } from './triageService';

const MIN = 60_000;
const FROM = Date.UTC(2026, 10, 23, 9, 0, 0);
const TO = FROM + 120 * MIN;
const notOk = (rows: ReturnType<typeof computeHealthBoard>) => rows.segments.filter((s) => s.state !== 'ok').map((s) => `${s.dimension}=${s.value} ${s.state}: ${s.reason}`);

describe('a segment whose baseline share was learned from a handful of attempts', () => {
  // Baseline (8 hours): 8 attempts, 2 of them m_a's. Window (2 hours): 81 attempts, 1 of them m_a's.
  const baseline: SegmentRow[] = [segmentRow('merchantId', 'm_a', 2, 2), segmentRow('merchantId', 'm_b', 6, 6)];
  const window: SegmentRow[] = [segmentRow('merchantId', 'm_a', 1, 1), segmentRow('merchantId', 'm_b', 80, 80)];

  it('is not down on the board, nor reported by explain, when the rest of the traffic grew tenfold', () => {
    expect(notOk(computeHealthBoard({ fromMs: FROM, toMs: TO, window, baseline }))).toEqual([]);
    for (const metric of TRIAGE_METRICS) {
      const e = computeExplanation({ metric, fromMs: FROM, toMs: TO, baselineFromMs: FROM - 480 * MIN, baselineToMs: FROM, window, baseline, baselineSlices: [], windowCodes: [], baselineCodes: [] });
      expect(e.contributors.filter((c) => c.significant), metric).toEqual([]);
    }
  });

  it('a segment that did stop, with a baseline share learned from enough attempts, is still down', () => {
    const learned = [segmentRow('merchantId', 'm_a', 40, 40), segmentRow('merchantId', 'm_b', 120, 120)];
    const now = [segmentRow('merchantId', 'm_a', 1, 1), segmentRow('merchantId', 'm_b', 600, 600)];
    expect(notOk(computeHealthBoard({ fromMs: FROM, toMs: TO, window: now, baseline: learned }))).toEqual([
      'merchantId=m_a down: 1 attempt in the window, about 150 expected from its own baseline share of traffic',
    ]);
  });
});

// The same on the PaySim sample (../shared/data), stored through the real decoder and writer: its
// hours hold from none to dozens of rows. Steps 185-205 (2026-11-09 16:00 to 2026-11-10 13:00 UTC)
// hold the window where it was seen, and load in a moment.
const csv = path.resolve(__dirname, '../../../../shared/data/paysim-10k.csv');
describe.runIf(fs.existsSync(csv))('the PaySim sample', () => {
  let store: Store;
  beforeAll(() => {
    store = openStore(`${tempDir('payops-vanished-paysim-')}/paysim.db`);
    const rows = parsePaysimCsv(fs.readFileSync(csv, 'utf8')).filter((r) => r.step >= 185 && r.step <= 205);
    const batch = paysimToEvents(rows).map((e) => {
      const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: Date.parse(e.time) };
      return { raw, result: decodeMessage(raw) };
    });
    for (let i = 0; i < batch.length; i += 5000) store.ingest.commit(batch.slice(i, i + 5000));
  }, 30_000);
  afterAll(() => store?.close());

  it('2026-11-10 08:02-10:02 against the 8 hours before (8 attempts, then 81): no merchant is down', () => {
    const to = Date.UTC(2026, 10, 10, 10, 2);
    const board = healthFromStore(store, { at: to, windowMinutes: 120, baselineMinutes: 480 });
    expect(board.segments.filter((s) => s.state !== 'ok').map((s) => `${s.dimension}=${s.value} ${s.state}: ${s.reason}`)).toEqual([]);
    for (const metric of TRIAGE_METRICS) {
      const e = explainFromStore(store, explainRequestSchema.parse({ from: to - 120 * MIN, to, metric }));
      expect(e.window.attempts).toBe(81);
      expect(e.baseline.attempts).toBe(8);
      expect(e.contributors.filter((c) => c.significant), metric).toEqual([]);
    }
  });
});
