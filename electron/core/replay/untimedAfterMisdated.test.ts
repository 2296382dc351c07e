// A line without an event time (an unknown type without `time`) right after a line misdated
// years ahead: the misdated line is placed (its arrival) with the lines around it, and so must the
// untimed line be. It took the newest event time read, the misdated line's, and was stored years
// ahead (an unknown type is placed by its arrival). The payment figures stay those of the capture
// without the misdated line (they did before too: checked here beside the placement).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSession } from '../engine/composeEngine';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { replayedToTheEnd } from '../../../test/support/replayedSession';

const dir = tempDir('payops-untimed-misdated-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const THREE_YEARS_MS = 3 * 365 * 86_400_000;
const heartbeat = JSON.stringify({ specversion: '1.0', id: 'hb-1', source: 'ops/other', type: 'com.example.heartbeat' });

function misdatedCopy(line: string): string {
  const o = JSON.parse(line) as { id: string; time: string; subject?: string; data: { paymentId: string } };
  const paymentId = `${o.data.paymentId}-misdated`;
  return JSON.stringify({ ...o, id: `${o.id}-misdated`, subject: paymentId, time: new Date(Date.parse(o.time) + THREE_YEARS_MS).toISOString(), data: { ...o.data, paymentId } });
}

async function stored(name: string, lines: string[]) {
  const file = writeCapture(path.join(dir, `${name}.ndjson`), lines);
  const dbFile = path.join(dir, `${name}.db`);
  await replayedToTheEnd({ dbFile, session: 'replay', replay: { file, speed: 'max' } }, running);
  await running.splice(0)[0].stop();
  const db = new Database(dbFile, { readonly: true });
  try {
    return {
      heartbeatAt: db.prepare("SELECT time_ms FROM events WHERE id = 'hb-1'").pluck().get() as number,
      payments: db.prepare("SELECT minute, key, count FROM rollup_minute WHERE dim = 'payment' ORDER BY minute, key").all(),
    };
  } finally {
    db.close();
  }
}

describe('an untimed line right after a line misdated years ahead', () => {
  it('is placed with the lines around it, not years ahead; the payment figures are those of the capture without the misdated line', async () => {
    // Retries (attempt 2...) of payments under way, in the decline spike's traffic.
    const lines = captureLines(3000, 25, false, 7, 'decline-spike', { anomalyStartMs: 20_000, anomalyDurationMs: 60_000 });
    const at = 1000;
    const plain = await stored('plain', [...lines.slice(0, at), heartbeat, ...lines.slice(at)]);
    const misdated = await stored('misdated', [...lines.slice(0, at), misdatedCopy(lines[at]), heartbeat, ...lines.slice(at)]);
    expect(misdated.heartbeatAt).toBe(plain.heartbeatAt);
    // The payment figures of the capture's own minutes (the misdated line's are years ahead).
    const capturesOwn = (rows: unknown[]) => (rows as { minute: number }[]).filter((r) => r.minute * 60_000 < Date.parse((JSON.parse(lines[lines.length - 1]) as { time: string }).time) + 60_000);
    expect(capturesOwn(misdated.payments)).toEqual(plain.payments);
  });
});
