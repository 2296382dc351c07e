// The default pack's queue-depth-growing rule reads delay, not depth: a deep queue that
// drains in seconds stays quiet, a shallower one that would make a message wait minutes fires.
import { describe, expect, it } from 'vitest';
import { AlertEvaluator } from './alertEvaluator';
import { DEFAULT_RULES } from './defaultRules';
import { rule, sec } from '../../../test/support/alertTestKit';

describe('queue_delay_seconds and queue_drain_seconds', () => {
  it('the default queue-depth-growing rule fires on delay, not on depth', () => {
    const growing = DEFAULT_RULES.find((r) => r.name === 'queue-depth-growing')!;
    expect(growing.metric).toBe('queue_delay_seconds');
    const e = new AlertEvaluator([growing], null, { allowedLatenessMs: 0 });
    for (let t = 0; t <= 600; t += 5) {
      e.observeQueues(
        [
          // 40,000 messages leaving at 10,000/s: a 4-second wait.
          { queue: 'deep-fast', messages: 40_000, consumers: 4, at: sec(t), error: null, delaySeconds: 4, drainSeconds: 8 },
          // 2,000 messages leaving at 1/s: over half an hour.
          { queue: 'shallow-slow', messages: 2_000, consumers: 1, at: sec(t), error: null, delaySeconds: 2000, drainSeconds: null },
        ],
        sec(t),
      );
    }
    e.advanceTo(sec(600));
    const alerts = e.list();
    expect(alerts.map((a) => a.labels.queue)).toEqual(['shallow-slow']);
    expect(alerts[0].summary).toContain('queue delay 33.3 min for queue shallow-slow');
  });

  it('time to drain reads the latest sample; not draining is no data', () => {
    const r = rule({ name: 'slow-drain', metric: 'queue_drain_seconds', condition: { above: 600 }, window: '1m', for: '0s' });
    const e = new AlertEvaluator([r], null, { allowedLatenessMs: 0 });
    for (let t = 0; t <= 120; t += 5) {
      e.observeQueues(
        [
          { queue: 'a', messages: 9000, consumers: 1, at: sec(t), error: null, delaySeconds: 900, drainSeconds: 1800 },
          { queue: 'b', messages: 9000, consumers: 1, at: sec(t), error: null, delaySeconds: 900, drainSeconds: null },
        ],
        sec(t),
      );
    }
    e.advanceTo(sec(120));
    expect(e.list().map((a) => [a.labels.queue, a.value])).toEqual([['a', 1800]]);
  });

  it('the default queue-consumer-stuck rule fires on a queue nothing takes from though consumers are attached', () => {
    const stuck = DEFAULT_RULES.find((r) => r.name === 'queue-consumer-stuck')!;
    expect(stuck.metric).toBe('queue_stalled_seconds');
    const e = new AlertEvaluator([stuck], null, { allowedLatenessMs: 0 });
    for (let t = 0; t <= 300; t += 5) {
      e.observeQueues(
        [
          // A consumer holds its prefetch and acknowledges nothing: delay is unknown, the stall grows.
          { queue: 'hung', messages: 500, consumers: 2, at: sec(t), error: null, delaySeconds: null, drainSeconds: null, stalledSeconds: t },
          // A deep queue that drains is never stalled.
          { queue: 'busy', messages: 40_000, consumers: 4, at: sec(t), error: null, delaySeconds: 4, drainSeconds: 8, stalledSeconds: 0 },
          // Without the management API's rates a stall cannot be judged: no data, not an alert.
          { queue: 'no-rates', messages: 900, consumers: 1, at: sec(t), error: null, delaySeconds: null, drainSeconds: null, stalledSeconds: null },
        ],
        sec(t),
      );
    }
    e.advanceTo(sec(300));
    const firing = e.list().filter((a) => a.state === 'firing');
    expect(firing.map((a) => a.labels.queue)).toEqual(['hung']);
    expect(firing[0].summary).toContain('queue stalled');
  });
});
