// A live session restarted on a queue that kept minutes of traffic drains that backlog in
// seconds. Its events are far behind the wall clock: the session's clock follows their own times
// until it has caught up, so an incident inside the backlog is judged and the drain does not
// look like a silence. Real SQLite, the default rules, a wall clock the test moves.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { AlertingSession } from './alertingSession';
import { DEFAULT_RULES } from './defaultRules';
import { BACKLOG_LAG_MS, IDLE_INPUT_MS, LiveClock } from './liveClock';

const dir = tempDir('payops-backlog-');
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

let n = 0;
function payments(fromMs: number, toMs: number, perSecond: number, declinedShare: (t: number) => number): IncomingMessage[] {
  const items: IncomingMessage[] = [];
  for (let t = fromMs; t < toMs; t += 1000 / perSecond) {
    const at = Math.floor(t);
    const id = `e${n++}`;
    const type = (n % 100) / 100 < declinedShare(at) ? 'payment.declined' : 'payment.authorized';
    const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: at, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
    items.push({ raw: { body: new Uint8Array(), arrivalMs: at }, result: { ok: true, event } });
  }
  return items;
}

describe('live clock', () => {
  it('follows the wall clock when caught up or idle, and the events while a backlog drains', () => {
    let now = 1_000_000;
    const clock = new LiveClock(() => now);
    expect(clock.wallTarget()).toBeNull(); // just started: a backlog may be about to arrive
    now += IDLE_INPUT_MS;
    expect(clock.wallTarget()).toBe(now); // nothing came: idle
    clock.observe(now - 1000);
    expect(clock.wallTarget()).toBe(now); // caught up
    now += 5000;
    expect(clock.wallTarget()).toBe(now);

    const draining = new LiveClock(() => now);
    draining.observe(now - 240_000);
    expect(draining.wallTarget()).toBeNull(); // four minutes behind: the events drive the clock
    draining.observe(now - BACKLOG_LAG_MS - 1);
    expect(draining.wallTarget()).toBeNull();
    draining.observe(now - BACKLOG_LAG_MS);
    expect(draining.wallTarget()).toBe(now); // caught up
    draining.observe(now - 240_000); // an old straggler does not move the newest event back
    expect(draining.wallTarget()).toBe(now);

    const stalled = new LiveClock(() => now);
    stalled.observe(now - 240_000);
    now += IDLE_INPUT_MS;
    expect(stalled.wallTarget()).toBe(now); // the backlog stopped coming: idle, wall time again

    const wrongClock = new LiveClock(() => now);
    wrongClock.observeEvents([{ timeMs: now + 3 * 365 * 86_400_000 }, { timeMs: now - 240_000 }]);
    expect(wrongClock.wallTarget()).toBeNull(); // a time years ahead is left out: still draining
  });
});

/**
 * Four minutes a queue kept while the collector was down, drained after a restart, then live
 * traffic; `misdatedFirst`: the queue's first message is stamped that far ahead (a producer's
 * wrong clock), and the session is given the engine's watermark, the newest time ever seen.
 */
function drainBacklog(file: string, misdatedFirst: number | null) {
  // The evaluator ignores events stamped past its own wall clock: the backlog ends now.
  const W1 = Math.floor(Date.now() / 1000) * 1000;
  let wall = W1;
  const store = openStore(path.join(dir, file));
  stores.push(store);
  const notifications: AlertNotification[] = [];
  const session = new AlertingSession({ store, rules: DEFAULT_RULES, replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: (x) => notifications.push(x), wallClock: () => wall });
  let watermark = -Infinity;
  const commit = (items: IncomingMessage[]) => {
    for (const i of items) if (i.result.ok) watermark = Math.max(watermark, i.result.event.timeMs ?? -Infinity);
    session.observeCommitted(store.ingest.commit(items), watermark);
  };
  if (misdatedFirst !== null) commit(payments(W1 - 240_000 + misdatedFirst, W1 - 240_000 + misdatedFirst + 1, 1, () => 0));
  const spike = (t: number) => (t >= W1 - 150_000 && t < W1 - 90_000 ? 0.4 : 0.02);
  // Drained 2 s of event time per batch, a batch every 50 ms of wall time, the wall clock's
  // tick every second.
  for (let from = W1 - 240_000; from < W1; from += 2000) {
    wall += 50;
    commit(payments(from, from + 2000, 20, spike));
    if ((wall - W1) % 1000 === 0) session.onWallTick();
  }
  // Caught up: live traffic at the wall clock's pace.
  for (let s = 0; s < 30; s++) {
    wall += 1000;
    commit(payments(wall - 1000, wall, 20, () => 0.02));
    session.onWallTick();
  }
  session.stop();
  return { W1, fired: notifications.filter((x) => x.kind === 'firing') };
}

describe('a backlog drained after a restart', () => {
  it('an incident inside the backlog fires, at its own time; no traffic-stopped while it drains', () => {
    const { W1, fired } = drainBacklog('backlog.db', null);
    expect(fired.map((x) => x.rule)).toContain('decline-rate-spike');
    const spikeAlert = fired.find((x) => x.rule === 'decline-rate-spike')!;
    expect(spikeAlert.at).toBeGreaterThan(W1 - 150_000);
    expect(spikeAlert.at).toBeLessThan(W1 - 60_000);
    expect(fired.filter((x) => x.rule === 'traffic-stopped')).toEqual([]);
  });

  it('the same when the first message is stamped 3 years ahead: a wrong clock does not end the drain', () => {
    const { W1, fired } = drainBacklog('backlog-misdated.db', 3 * 365 * 86_400_000);
    expect(fired.map((x) => x.rule)).toContain('decline-rate-spike');
    const spikeAlert = fired.find((x) => x.rule === 'decline-rate-spike')!;
    expect(spikeAlert.at).toBeGreaterThan(W1 - 150_000);
    expect(spikeAlert.at).toBeLessThan(W1 - 60_000);
    expect(fired.filter((x) => x.rule === 'traffic-stopped')).toEqual([]);
  });
});

describe('queue polls while the events drive the clock', () => {
  it('do not move the clock past the events (a poll is taken as of the clock)', () => {
    const W1 = Math.floor(Date.now() / 1000) * 1000;
    let wall = W1;
    const store = openStore(path.join(dir, 'polls.db'));
    stores.push(store);
    const session = new AlertingSession({ store, rules: DEFAULT_RULES, replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined, wallClock: () => wall });
    const from = W1 - 240_000;
    session.observeCommitted(store.ingest.commit(payments(from, from + 2000, 20, () => 0.02)), from + 1999);
    wall += 50;
    session.observeQueues([{ queue: 'payments', messages: 4000, consumers: 1, at: wall, error: null }]);
    expect(session.evaluator.clock).toBe(from + 1950); // the batch's newest event
  });
});
