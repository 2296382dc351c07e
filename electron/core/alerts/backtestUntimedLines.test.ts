// A capture line without an event time (an unknown type may leave `time` out, EVENTS.md) is placed
// by a capture backtest as `payops replay` places it: at its recorded arrival, else at the newest
// event time before it, else at the capture's first event time. It was placed at its arrival
// field, 0 for a plain line: the backtest began in 1970 (`from` 1970-01-01) and evaluated every
// tick from there (100,060 evaluations for a 10-minute capture instead of 59).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import { formatRecordedLine } from '../capture/captureLine';
import { DEFAULT_RULES } from '.';
import { backtestCapture } from './backtestSources';

const dir = tempDir('payops-backtest-untimed-');
const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const heartbeat = (id: string) => JSON.stringify({ specversion: '1.0', id, source: 'ops/other', type: 'com.example.heartbeat' });

function traffic(): string[] {
  const gen = createTrafficGenerator({ seed: 7, scenario: 'decline-spike', startMs: START, rate: 5, timings: { anomalyStartMs: 240_000, anomalyDurationMs: 120_000 } });
  const lines: string[] = [];
  while (gen.nextTimeMs() < START + 600_000) lines.push(JSON.stringify(gen.next()));
  return lines;
}

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('a capture backtest places a line without an event time as a replay does', () => {
  it('before the first timed line: at the capture\'s first event time, not 1970', async () => {
    const lines = traffic();
    const plain = await backtestCapture(write('plain.ndjson', lines), DEFAULT_RULES, { includeUnfired: true });
    const withUntimed = await backtestCapture(write('untimed-first.ndjson', [heartbeat('hb-1'), ...lines]), DEFAULT_RULES, { includeUnfired: true });
    expect(withUntimed.from).toBe(START);
    expect(withUntimed.events).toBe(plain.events + 1);
    expect(withUntimed.evaluations).toBe(plain.evaluations);
    expect(withUntimed.alerts).toEqual(plain.alerts);
  });

  it('after timed lines: at the newest event time before it; a recorded line at its recorded arrival', async () => {
    const lines = traffic();
    const newestBefore = Math.max(...lines.slice(0, 100).map((l) => Date.parse((JSON.parse(l) as { time: string }).time)));
    const recordedAt = START + 5_000;
    const recorded = formatRecordedLine({ body: Buffer.from(heartbeat('hb-rec')), arrivalMs: recordedAt, routingKey: null, headers: null, contentType: null });
    const r = await backtestCapture(write('untimed-later.ndjson', [...lines.slice(0, 100), heartbeat('hb-2'), recorded, ...lines.slice(100)]), DEFAULT_RULES);
    expect(r.from).toBe(START);
    expect(newestBefore).toBeGreaterThan(START);
    expect(r.events).toBe(lines.length + 2);
    const only = await backtestCapture(write('untimed-only.ndjson', [...lines.slice(0, 100), heartbeat('hb-3')]), DEFAULT_RULES);
    expect(only.to).toBe(newestBefore);
  });
});
