// A stream's consumer thread has the engine commit how far it has received before it decodes
// there (decodeGate.ts, migration 386). Before, the thread asked for the next mark only once a
// delivery had passed the last one, and every delivery then waited for that commit, which the
// engine answers after whatever batch it is storing: one stall per 1,024 offsets, the engine left
// without decoded messages behind it. Now the next mark is asked for at half way, so a thread the
// engine keeps up with hands every delivery on as it comes; and still nothing past a committed
// mark is handed on.
import { describe, expect, it } from 'vitest';
import type { Remote } from '../../../shared/rpc';
import type { Delivery } from './brokerConsumer';
import { DecodeGate, type GateSink } from './decodeGate';
import type { DecodeAttemptControl } from './intakeProtocol';

const delivery = (offset: number): Delivery =>
  ({ raw: { body: new Uint8Array(), headers: { 'x-stream-offset': offset }, arrivalMs: 0 }, redelivered: false, ack: {} }) as unknown as Delivery;

/** The engine's side: a mark is committed a turn of the event loop after it is asked for (the engine busy with a batch). */
function engine() {
  const committed: number[] = [];
  const control: Remote<DecodeAttemptControl> = {
    begin: async () => null,
    beginRead: async () => null,
    received: (offset: number) => new Promise<void>((resolve) => setImmediate(() => (committed.push(offset), resolve()))),
  };
  return { control, committed, mark: () => Math.max(-1, ...committed) };
}

describe('a stream consumer thread and the engine’s received marks', () => {
  it('hands each delivery on as it comes once the first mark is committed, never one past the committed mark', async () => {
    const e = engine();
    const handed: number[] = [];
    const past: number[] = [];
    const sink: GateSink = {
      add: (d) => {
        const offset = d.raw.headers!['x-stream-offset'] as number;
        if (offset > e.mark()) past.push(offset);
        handed.push(offset);
      },
      flush: (decoded) => decoded?.(),
      quarantine: () => true,
    };
    const gate = new DecodeGate('q', sink, e.control, { finished: () => undefined, putBack: () => undefined }, { suspectThrough: null });
    const waited: number[] = [];
    for (let offset = 0; offset < 5_000; offset++) {
      gate.add(delivery(offset));
      if (offset > 0 && handed[handed.length - 1] !== offset) waited.push(offset);
      // Deliveries arrive in frames: the event loop turns between them.
      if (offset % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      if (offset === 0) await gate.idle();
    }
    await gate.idle();
    expect(handed).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(past).toEqual([]);
    expect(waited).toEqual([]);
    expect(e.mark()).toBeGreaterThanOrEqual(4_999);
  });
});
