// The committed corpus is generated, never hand-edited: corpus.json must be exactly what
// buildCorpus() gives (rebuild with `npx tsx tools/build-detection-corpus.ts`), and its
// labels must match the traffic the recipes rebuild.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrafficGenerator } from '../../electron/core/sim';
import { buildCorpus, CORPUS_START_MS, RATES, WARMUPS_MS, type DetectionCase } from './corpus';
import { SIM_EVENTS_PER_ATTEMPT, simEvents } from './traffic';

const committed = JSON.parse(readFileSync(path.join(__dirname, 'corpus.json'), 'utf8')) as { generatedBy: string; cases: DetectionCase[] };

describe('detection corpus', () => {
  it('corpus.json is the output of buildCorpus (generated, not hand-written)', () => {
    expect(committed.generatedBy).toBe('tools/build-detection-corpus.ts');
    expect(committed.cases).toEqual(buildCorpus());
  });

  it('covers every rate and warm-up, several seeds, simulator and PaySim, incidents and normal traffic', () => {
    const cases = committed.cases;
    for (const rate of RATES) for (const w of WARMUPS_MS) expect(cases.some((c) => c.attemptsPerSecond === rate && c.warmupMs === w && c.incidents.length > 0)).toBe(true);
    expect(new Set(cases.map((c) => c.recipe.seed)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.recipe.kind))).toEqual(new Set(['sim', 'paysim']));
    expect(cases.filter((c) => c.incidents.length === 0).map((c) => c.attemptsPerSecond).sort()).toEqual([20, 20, 20, 20, 200, 200, 200, 200, 2000, 2000, 2000, 2000]);
    expect(new Set(cases.flatMap((c) => c.incidents.map((i) => i.rule)))).toEqual(new Set(['decline-rate-spike', 'fraud-burst-per-merchant', 'traffic-stopped']));
  });

  it('the simulator recipe runs at the labelled attempt rate, and the decline spike starts at the labelled onset', () => {
    const c = committed.cases.find((x) => x.id === 'sim/decline-spike/20aps/warmup-60s/seed-1')!;
    let attempts = 0;
    let declinedBefore = 0;
    let declinedDuring = 0;
    let attemptsBefore = 0;
    let attemptsDuring = 0;
    const [inc] = c.incidents;
    for (const e of simEvents(c.recipe as Extract<DetectionCase['recipe'], { kind: 'sim' }>, CORPUS_START_MS)) {
      const outcome = e.type === 'payment.authorized' || e.type === 'payment.declined' || e.type === 'payment.failed';
      if (!outcome) continue;
      attempts++;
      const during = e.timeMs! >= inc.onsetMs + 10_000 && e.timeMs! < inc.endMs;
      if (e.timeMs! < inc.onsetMs) {
        attemptsBefore++;
        if (e.type === 'payment.declined') declinedBefore++;
      } else if (during) {
        attemptsDuring++;
        if (e.type === 'payment.declined') declinedDuring++;
      }
    }
    expect(attempts / (c.durationMs / 1000)).toBeGreaterThan(20 * 0.9);
    expect(attempts / (c.durationMs / 1000)).toBeLessThan(20 * 1.1);
    expect(declinedBefore / attemptsBefore).toBeLessThan(0.1);
    expect(declinedDuring / attemptsDuring).toBeGreaterThan(0.2);
    expect(SIM_EVENTS_PER_ATTEMPT).toBeGreaterThan(3.5);
  });

  it('labels the fraud burst with the merchant the simulator targets', () => {
    const c = committed.cases.find((x) => x.id === 'sim/fraud-burst/200aps/warmup-20s/seed-2')!;
    const target = createTrafficGenerator({ seed: 2 * 101, scenario: 'fraud-burst', startMs: 0, rate: 1 }).fraudTargetMerchantId;
    expect(c.incidents[0].group).toBe(`merchant=${target}`);
  });
});
