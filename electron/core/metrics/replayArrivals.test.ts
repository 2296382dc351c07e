// A replay's arrivals are the capture's recorded ones, and its clock is event time: the
// arrival-lag tile and the arrivals-by-second figures (the Events/s tile, the late banner) are
// read at the newest recorded arrival, as live they are at the wall clock. Read by the wall
// clock, a capture of any other day left them empty (lag "no data", 0 events/s) through the
// whole replay; read at event time, a backlog recorded 20 minutes late was never in them.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRecordedLine } from '../capture/captureLine';
import type { EngineSession } from '../engine/composeEngine';
import type { EngineConfig } from '../engine/engineConfig';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { replayedToTheEnd } from '../../../test/support/replayedSession';
import { decodeMessage } from '../../../shared/events/decode';
import { LATE_AFTER_MS } from './arrivalMetrics';
import { LiveMetrics } from './liveMetrics';

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
    // Lag is reported at its histogram bin's upper edge (bins 5 % wide): never below the true lag.
    expect(s.arrivalLagMs.p50).toBeGreaterThanOrEqual(LAG_MS);
    expect(s.arrivalLagMs.p50).toBeLessThanOrEqual(LAG_MS * 1.05);
    expect(s.arrivalLagMs.p95).toBeLessThanOrEqual(LAG_MS * 1.05);
    // Arrivals per second end at the newest recorded arrival's second (LAG_MS after the clock's,
    // as a live snapshot's end at the wall clock), and the last minute's match event time's.
    expect(s.arrival?.endSec).toBe(Math.floor(s.lastEventAt! / 1000));
    expect(s.arrival!.endSec - clockSec).toBeLessThanOrEqual(Math.ceil(LAG_MS / 1000));
    const arrived = s.arrival!.perSecond.reduce((a, b) => a + b, 0);
    expect(arrived).toBeGreaterThan(250);
    expect(s.arrival!.rates.m1).toBeCloseTo(s.rates.total.m1, 0);
    expect(s.arrival!.late).toBeNull();
  });

  it('a backlog recorded arriving 20 minutes after its events raises the late banner, as it did live', async () => {
    // 300 events of 30 s of event time, drained 20 minutes later at 100 a second: the capture of
    // a backlog after an outage, with nothing else arriving.
    const BEHIND_MS = 20 * 60_000;
    const events = captureLines(300, 10, false);
    const first = Date.parse((JSON.parse(events[0]) as { time: string }).time);
    const recorded = events.map((line, i) => ({ line, arrivalMs: first + BEHIND_MS + i * 10 }));
    const lines = recorded.map(({ line, arrivalMs }) => formatRecordedLine({ body: Buffer.from(line), arrivalMs, routingKey: null, headers: null, contentType: 'application/cloudevents+json' }));
    const file = writeCapture(path.join(dir, 'backlog.jsonl'), lines);
    const config: EngineConfig = { dbFile: path.join(dir, 'backlog.db'), session: 'replay', replay: { file, speed: 'max' } as EngineConfig['replay'] };
    const session = await replayedToTheEnd(config, running);
    const replayed = session.engine.snapshot();

    // Live: the same events committed as they arrived, and a snapshot as the last one is stored.
    const live = new LiveMetrics();
    for (const { line, arrivalMs } of recorded) {
      const d = decodeMessage({ body: Buffer.from(line), headers: null, contentType: null, routingKey: null, arrivalMs });
      if (!d.ok) throw new Error(d.reason);
      live.observe([{ ...d.event, arrivalMs, routingKey: null }], arrivalMs);
    }
    const liveArrival = live.figures(recorded[recorded.length - 1].arrivalMs).arrival!;
    expect(liveArrival.late).not.toBeNull();

    expect(replayed.totals.events).toBe(300);
    expect(replayed.arrival?.late).not.toBeNull();
    expect(replayed.arrival!.late!.behindMs).toBeGreaterThan(LATE_AFTER_MS);
    expect(replayed.arrival!.late).toEqual(liveArrival.late);
    expect(replayed.arrival!.perSecond.reduce((a, b) => a + b, 0)).toBe(liveArrival.perSecond.reduce((a, b) => a + b, 0));
  });
});

