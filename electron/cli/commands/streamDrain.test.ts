import { describe, expect, it } from 'vitest';
import { drainTarget, StreamDrain, type DrainView } from './streamDrain';

const view = (v: Partial<DrainView>): DrainView => ({ handled: 0, connected: true, pendingBatch: 0, storedNext: null, ...v });

describe('drainTarget', () => {
  it('waits for the end when the session reads from before it', () => {
    expect(drainTarget(99, { asked: 'first' })).toBe(99);
    expect(drainTarget(99, { asked: 'last' })).toBe(99);
    expect(drainTarget(99, { asked: 40 })).toBe(99);
    expect(drainTarget(99, { stored: true })).toBe(99);
  });

  it('leaves it to quiet when nothing before the end will be read, or which offset a time is is unknown', () => {
    expect(drainTarget(null, { asked: 'first' })).toBeNull();
    expect(drainTarget(99, { asked: 'next' })).toBeNull();
    expect(drainTarget(99, { asked: 100 })).toBeNull();
    expect(drainTarget(99, { asked: new Date(0) })).toBeNull();
  });
});

describe('StreamDrain', () => {
  it('is drained once the target is stored and nothing has arrived for the quiet time', () => {
    const drain = new StreamDrain(99, 1000, 0);
    expect(drain.observe(view({ handled: 60, storedNext: 60 }), 100)).toBe('consuming');
    expect(drain.observe(view({ handled: 60, storedNext: 60 }), 1200)).toBe('stalled');
    expect(drain.observe(view({ handled: 100, storedNext: 100 }), 1300)).toBe('consuming');
    expect(drain.observe(view({ handled: 100, storedNext: 100 }), 2299)).toBe('consuming');
    expect(drain.observe(view({ handled: 100, storedNext: 100 }), 2300)).toBe('drained');
  });

  it('counts no quiet while disconnected or while a batch waits to commit', () => {
    const drain = new StreamDrain(null, 1000, 0);
    expect(drain.observe(view({}), 0)).toBe('consuming');
    expect(drain.observe(view({ connected: false }), 5000)).toBe('consuming');
    expect(drain.observe(view({}), 5500)).toBe('consuming');
    expect(drain.observe(view({ pendingBatch: 3 }), 6000)).toBe('consuming');
    expect(drain.observe(view({}), 6999)).toBe('consuming');
    expect(drain.observe(view({}), 7000)).toBe('drained');
  });

  it('without a target, quiet alone ends it', () => {
    const drain = new StreamDrain(null, 500, 0);
    expect(drain.observe(view({}), 0)).toBe('consuming');
    expect(drain.observe(view({}), 499)).toBe('consuming');
    expect(drain.observe(view({}), 500)).toBe('drained');
  });
});
