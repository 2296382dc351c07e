// Explain and the health board read only the segment rollups; here they are checked against
// plain SQL over the stored events (the `events` table/view and each event's JSON) for random
// minute-aligned windows.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NONE_VALUE, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../../shared/segments';
import { explainRequestSchema, healthRequestSchema } from '../../../shared/triage';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from './explainService';
import { healthFromStore } from './triageService';

const MINUTE = 60_000;
const dir = tempDir('payops-triage-sql-');
let s: StoredScenario;
let db: Database.Database;

beforeAll(async () => {
  s = await storeScenario(dir, 'issuer-outage', { rate: 20, baselineMinutes: 16, anomalyMinutes: 4 });
  db = new Database(s.file, { readonly: true });
});
afterAll(() => {
  db?.close();
  s?.store.close();
});

// The value of each dimension, as SQL over the stored event (none of these reach the cardinality bound here).
const VALUE_SQL: Record<SegmentDimension, string> = {
  issuer: "json_extract(json, '$.data.issuer')",
  cardBin: 'substr(card_bin, 1, 6)',
  scheme: "json_extract(json, '$.data.scheme')",
  acquirer: "json_extract(json, '$.data.acquirer')",
  merchantId: 'merchant_id',
  mcc: "json_extract(json, '$.data.mcc')",
  country: 'country',
  method: 'method',
  currency: 'currency',
  threeDS: "json_extract(json, '$.data.threeDS')",
  attempt: "CASE WHEN json_extract(json, '$.data.attempt') >= 3 THEN '3+' ELSE CAST(json_extract(json, '$.data.attempt') AS TEXT) END",
};

interface SqlCounts {
  attempts: number;
  approvals: number;
  declines: number;
  failures: number;
  /** A payment's first attempts: `attempt` absent or 1 (migration 350). */
  payments: number;
}

function bySql(dim: SegmentDimension, fromMs: number, toMs: number): Map<string, SqlCounts> {
  const rows = db
    .prepare(
      `SELECT COALESCE(${VALUE_SQL[dim]}, '${NONE_VALUE}') AS value, COUNT(*) AS attempts,
         SUM(type = 'payment.authorized') AS approvals, SUM(type = 'payment.declined') AS declines, SUM(type = 'payment.failed') AS failures,
         SUM(COALESCE(json_extract(json, '$.data.attempt'), 1) <= 1) AS payments
       FROM events WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') AND time_ms >= ? AND time_ms < ?
       GROUP BY 1`,
    )
    .all(fromMs, toMs) as (SqlCounts & { value: string })[];
  return new Map(rows.map((r) => [r.value, { attempts: r.attempts, approvals: r.approvals, declines: r.declines, failures: r.failures, payments: r.payments }]));
}

function expectRate(value: number | null, x: number, n: number): void {
  if (n === 0) expect(value).toBeNull();
  else expect(value).toBeCloseTo(x / n, 12);
}

const minuteWindow = () =>
  fc
    .tuple(fc.integer({ min: 4, max: 19 }), fc.integer({ min: 1, max: 6 }))
    .map(([end, len]) => ({ toMs: s.toMs - (20 - end) * MINUTE, len }))
    .map(({ toMs, len }) => ({ fromMs: toMs - len * MINUTE, toMs }));

describe('triage agrees with direct SQL over the stored events', () => {
  it('segment rollups (payments included) equal SQL per dimension value', () => {
    let retries = false;
    fc.assert(
      fc.property(minuteWindow(), ({ fromMs, toMs }) => {
        const rows = s.store.segments.segmentsBetween(fromMs / MINUTE, toMs / MINUTE);
        for (const dim of SEGMENT_DIMENSIONS) {
          const sql = bySql(dim, fromMs, toMs);
          const mine = new Map(rows.filter((r) => r.dim === dim).map((r) => [r.value, { attempts: r.attempts, approvals: r.approvals, declines: r.declines, failures: r.failures, payments: r.payments }]));
          expect(mine).toEqual(sql);
          if (dim === 'attempt') retries ||= [...sql.keys()].some((v) => v !== '1' && v !== NONE_VALUE);
        }
      }),
      { numRuns: 15 },
    );
    // The outage's retries make payments fewer than attempts: the count is not attempts again.
    expect(retries).toBe(true);
  });

  it('decline codes per segment, (none) included, equal SQL per dimension value and code', () => {
    let nones = 0;
    fc.assert(
      fc.property(minuteWindow(), ({ fromMs, toMs }) => {
        const rows = s.store.segments.declineCodesBetween(fromMs / MINUTE, toMs / MINUTE);
        for (const dim of SEGMENT_DIMENSIONS) {
          const sql = db
            .prepare(
              `SELECT COALESCE(${VALUE_SQL[dim]}, '${NONE_VALUE}') || '/' || COALESCE(decline_code, 'unknown') AS k, COUNT(*) AS n
               FROM events WHERE type = 'payment.declined' AND time_ms >= ? AND time_ms < ? GROUP BY 1`,
            )
            .all(fromMs, toMs) as { k: string; n: number }[];
          const mine = rows.filter((r) => r.dim === dim);
          nones += mine.filter((r) => r.value === NONE_VALUE).length;
          expect(new Map(mine.map((r) => [`${r.value}/${r.code}`, r.count]))).toEqual(new Map(sql.map((r) => [r.k, r.n])));
        }
      }),
      { numRuns: 15 },
    );
    expect(nones).toBeGreaterThan(0);
  });

  it('explain: window, baseline and every contributor equal SQL', () => {
    fc.assert(
      fc.property(minuteWindow(), fc.constantFrom('approval-rate', 'decline-rate', 'failure-rate' as const), ({ fromMs, toMs }, metric) => {
        const e = explainFromStore(s.store, explainRequestSchema.parse({ from: fromMs, to: toMs, metric }));
        const baseFrom = fromMs - 4 * (toMs - fromMs);
        const pick = (c: SqlCounts) => (metric === 'approval-rate' ? c.approvals : metric === 'decline-rate' ? c.declines : c.failures);
        const total = (m: Map<string, SqlCounts>) => [...m.values()].reduce((a, c) => ({ n: a.n + c.attempts, x: a.x + pick(c) }), { n: 0, x: 0 });
        const w = total(bySql('merchantId', fromMs, toMs));
        const b = total(bySql('merchantId', baseFrom, fromMs));
        expect(e.window.attempts).toBe(w.n);
        expect(e.baseline.attempts).toBe(b.n);
        expectRate(e.window.value, w.x, w.n);
        expectRate(e.baseline.value, b.x, b.n);
        const sqlCache = new Map<string, [Map<string, SqlCounts>, Map<string, SqlCounts>]>();
        let sumContribution = 0;
        for (const c of e.contributors) {
          if (!sqlCache.has(c.dimension)) sqlCache.set(c.dimension, [bySql(c.dimension, fromMs, toMs), bySql(c.dimension, baseFrom, fromMs)]);
          const [ws, bs] = sqlCache.get(c.dimension)!;
          expect(c.window.attempts).toBe(ws.get(c.value)?.attempts ?? 0);
          expect(c.baseline.attempts).toBe(bs.get(c.value)?.attempts ?? 0);
          if (c.window.attempts > 0) expect(c.window.value).toBeCloseTo(pick(ws.get(c.value)!) / c.window.attempts, 12);
          if (c.dimension === 'issuer') sumContribution += c.contribution;
        }
        // The decomposition is exact: over one dimension's segments, rate + mix sum to the change.
        const issuerShown = e.contributors.filter((c) => c.dimension === 'issuer').length;
        const issuerAll = new Set([...bySql('issuer', fromMs, toMs).keys(), ...bySql('issuer', baseFrom, fromMs).keys()]).size;
        if (issuerShown === issuerAll && b.n > 0) expect(sumContribution).toBeCloseTo(e.window.value! - e.baseline.value!, 9);
      }),
      { numRuns: 15 },
    );
  });

  it('health board: every segment window and baseline equal SQL', () => {
    let noneTraffic = false;
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 5, max: 10 }), (end, windowMinutes, baselineMinutes) => {
        const at = s.toMs - (20 - end) * MINUTE;
        const board = healthFromStore(s.store, healthRequestSchema.parse({ at, windowMinutes, baselineMinutes }));
        const from = at - windowMinutes * MINUTE;
        const cache = new Map<string, [Map<string, SqlCounts>, Map<string, SqlCounts>]>();
        let n = 0;
        // Traffic without a dimension is not a segment of it: no board row, though SQL has it.
        expect(board.segments.some((seg) => seg.value === NONE_VALUE)).toBe(false);
        for (const seg of board.segments) {
          if (!cache.has(seg.dimension)) cache.set(seg.dimension, [bySql(seg.dimension, from, at), bySql(seg.dimension, from - baselineMinutes * MINUTE, from)]);
          const [ws, bs] = cache.get(seg.dimension)!;
          // A segment whose traffic stopped is on the board from its baseline alone.
          const wc = ws.get(seg.value) ?? { attempts: 0, approvals: 0, declines: 0, failures: 0, payments: 0 };
          const bc = bs.get(seg.value) ?? { attempts: 0, approvals: 0, declines: 0, failures: 0, payments: 0 };
          expect(seg.window.attempts).toBe(wc.attempts);
          if (wc.attempts > 0) expect(seg.window.approval).toBeCloseTo(wc.approvals / wc.attempts, 12);
          else expect(seg.window.approval).toBeNull();
          expect(seg.baseline.attempts).toBe(bc.attempts);
          // Per payment: approvals over first attempts (a retry approved here whose payment began
          // just before counts at most the payments).
          expect([seg.window.payments, seg.baseline.payments]).toEqual([wc.payments, bc.payments]);
          for (const [figures, c] of [[seg.window, wc], [seg.baseline, bc]] as const) {
            if (c.payments > 0) expect(figures.paymentApproval).toBeCloseTo(Math.min(c.approvals, c.payments) / c.payments, 12);
            else expect(figures.paymentApproval).toBeNull();
          }
          if (seg.judged) expect(seg.basis).toBe(wc.payments > 0 && bc.payments > 0 ? 'per payment' : 'per attempt');
          n += 1;
        }
        if (cache.has('issuer')) noneTraffic ||= cache.get('issuer')![0].has(NONE_VALUE);
        const expected = [...cache.keys()].length;
        expect(expected).toBeGreaterThan(0);
        expect(n).toBe(board.segments.length);
      }),
      { numRuns: 15 },
    );
    expect(noneTraffic).toBe(true);
  });

  it('health board: issuer tamarind-card is down during its outage, with the reason; calm segments are ok', () => {
    const board = healthFromStore(s.store, healthRequestSchema.parse({ at: s.toMs, windowMinutes: 3, baselineMinutes: 15 }));
    const tamarind = board.segments.find((x) => x.dimension === 'issuer' && x.value === 'tamarind-card')!;
    expect(tamarind).toMatchObject({ state: 'down', judged: true });
    expect(tamarind.reason).toMatch(/^approval per payment .* vs .* \(own baseline\), \d+ payments \(\d+ attempts\)$/);
    expect(board.segments[0].state).toBe('down');
    const downOrDegraded = board.segments.filter((x) => x.state !== 'ok').map((x) => `${x.dimension}:${x.value}`);
    expect(downOrDegraded).toContain('cardBin:529412');
    expect(downOrDegraded.every((k) => ['issuer:tamarind-card', 'cardBin:529412', 'scheme:mastercard'].includes(k) || k.startsWith('acquirer:') || k.startsWith('merchantId:') || k.startsWith('country:'))).toBe(true);
    const before = healthFromStore(s.store, healthRequestSchema.parse({ at: s.fromMs, windowMinutes: 3, baselineMinutes: 10 }));
    expect(before.segments.filter((x) => x.state !== 'ok')).toEqual([]);
  });
});

describe('health board: where traffic went, and in which order', () => {
  it('an acquirer whose traffic stops is down ("no attempts"), first on the board, though it has no rate left to judge', async () => {
    const start = Date.UTC(2026, 10, 23, 8, 16, 0);
    const gone = await storeScenario(dir, 'normal', {
      rate: 20,
      baselineMinutes: 16,
      anomalyMinutes: 4,
      keep: (e) => !(Date.parse(e.time) >= start && (e.data as { acquirer?: string }).acquirer === 'acq-meridian'),
    });
    try {
      const board = healthFromStore(gone.store, healthRequestSchema.parse({ at: gone.toMs, windowMinutes: 3, baselineMinutes: 12 }));
      expect(board.segments[0]).toMatchObject({ dimension: 'acquirer', value: 'acq-meridian', state: 'down', judged: true, window: { attempts: 0, approval: null } });
      expect(board.segments[0].reason).toMatch(/^no attempts in the window, about \d+ expected/);
      // The other acquirers carried on: nothing else but the merchants it served went down.
      const down = board.segments.filter((x) => x.state === 'down');
      expect(down.every((x) => (x.dimension === 'acquirer' && x.value === 'acq-meridian') || x.dimension === 'merchantId')).toBe(true);
      // A window after the traffic ended singles nobody out: everything fell together.
      const after = healthFromStore(gone.store, healthRequestSchema.parse({ at: gone.toMs + 10 * MINUTE, windowMinutes: 3, baselineMinutes: 12 }));
      expect(after.segments.filter((x) => x.state !== 'ok')).toEqual([]);
    } finally {
      gone.store.close();
    }
  });

  it('acquirer-degradation: the acquirer comes before every issuer, BIN and scheme that holds some of its traffic', async () => {
    const degraded = await storeScenario(dir, 'acquirer-degradation', { seed: 1234, rate: 20, baselineMinutes: 65, anomalyMinutes: 15 });
    try {
      const board = healthFromStore(degraded.store, healthRequestSchema.parse({ at: degraded.toMs, windowMinutes: 5, baselineMinutes: 60 }));
      const notOk = board.segments.filter((x) => x.state !== 'ok').map((x) => `${x.dimension}:${x.value}`);
      const meridian = notOk.indexOf('acquirer:acq-meridian');
      expect(meridian).toBeGreaterThanOrEqual(0);
      const broader = notOk.findIndex((k) => /^(issuer|cardBin|scheme):/.test(k));
      expect(broader === -1 || broader > meridian, notOk.join(' ')).toBe(true);
    } finally {
      degraded.store.close();
    }
  });
});
