// Rules grouped by a segment (issuer, acquirer, BIN, ...) fire in a backtest as they do live:
// over a capture file and over the stored events, whose dimensions are in the stored text only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import { backtestCapture, backtestStoredRange } from './backtestSources';
import { DEFAULT_RULES } from './defaultRules';

const dir = tempDir('payops-backtest-segments-');
const MINUTE = 60_000;
const opened: StoredScenario[] = [];
afterAll(() => opened.forEach((s) => s.store.close()));

const firedIssuerDown = (alerts: { rule: string; labels: Record<string, string>; firedAt: number | null }[]) =>
  alerts.filter((a) => a.rule === 'issuer-down' && a.firedAt !== null).map((a) => a.labels.issuer);

describe('backtest of rules grouped by a segment', () => {
  it('issuer-outage: issuer-down fires for tamarind-card over the stored events and over its capture', async () => {
    const s = await storeScenario(dir, 'issuer-outage', { rate: 30, baselineMinutes: 10, anomalyMinutes: 4 });
    opened.push(s);
    const stored = await backtestStoredRange(s.store, DEFAULT_RULES, { from: s.fromMs - 10 * MINUTE, to: s.toMs, yieldBetweenPages: false, nowMs: s.toMs });
    expect(firedIssuerDown(stored.alerts)).toEqual(['tamarind-card']);

    // The same traffic as a capture (one CloudEvent per line).
    const gen = createTrafficGenerator({ seed: 13, scenario: 'issuer-outage', startMs: s.fromMs - 10 * MINUTE, rate: 30, timings: { anomalyStartMs: 10 * MINUTE, anomalyDurationMs: 4 * MINUTE } });
    const lines: string[] = [];
    while (gen.nextTimeMs() < s.toMs) lines.push(JSON.stringify(gen.next()));
    const file = path.join(dir, 'issuer-outage.ndjson');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const captured = await backtestCapture(file, DEFAULT_RULES);
    expect(firedIssuerDown(captured.alerts)).toEqual(['tamarind-card']);
  });
});
