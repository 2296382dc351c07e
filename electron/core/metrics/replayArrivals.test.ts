// A replay's arrivals are the capture's recorded ones, and its clock is event time: the
// arrival-lag tile and the arrivals-by-second figures (the Events/s tile) follow that clock
// as every other live figure does. Read by the wall clock, a capture of any other day left
// them empty (lag "no data", 0 events/s) through the whole replay.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRecordedLine } from '../capture/captureLine';
import type { EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { replayedToTheEnd } from '../../../test/support/replayedSession';

const dir = tempDir('payops-replay-arrivals-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

const LAG_MS = 1_500;

describe('a replay: arrival figures on the replay clock', () => {
  it('reads the recorded arrival lag and arrivals per second of the minute before the clock', async () => {
    // 300 events at 10 a second of event time, each recorded as arriving LAG_MS after it.
    const lines = captureLines(300, 10, false).map((line) => {
      const o = JSON.parse(line) as { time: string };
      const arrivalMs = Date.parse(o.time) + LAG_MS;
      return formatRecordedLine({ body: Buffer.from(line), arrivalMs, routingKey: null, headers: null, contentType: 'application/cloudevents+json' });
    });
    const file = writeCapture(path.join(dir, 'lagged.jsonl'), lines);
    const config: EngineConfig = { dbFile: path.join(dir, 'r.db'), session: 'replay', replay: { file, speed: 'max' } as EngineConfig['replay'] };
    const session = await replayedToTheEnd(config, running);

    const s = session.engine.snapshot();
    expect(s.totals.events).toBe(300);
    const clockSec = Math.floor(s.clock / 1000);
    // Lag is reported at its histogram bin's lower edge (bins 25 % apart).
    expect(s.arrivalLagMs.p50).toBeGreaterThan(LAG_MS / 1.25);
    expect(s.arrivalLagMs.p50).toBeLessThanOrEqual(LAG_MS);
    expect(s.arrivalLagMs.p95).toBeLessThanOrEqual(LAG_MS);
    // Arrivals per second end at the clock's second, and the last minute's match event time's.
    expect(s.arrival?.endSec).toBe(clockSec);
    const arrived = s.arrival!.perSecond.reduce((a, b) => a + b, 0);
    expect(arrived).toBeGreaterThan(250);
    expect(s.arrival!.rates.m1).toBeCloseTo(s.rates.total.m1, 0);
    expect(s.arrival!.late).toBeNull();
  });
});
