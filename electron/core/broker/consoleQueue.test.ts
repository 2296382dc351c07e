import { describe, expect, it } from 'vitest';
import { DEFAULT_BROKER } from './brokerConfig';
import { brokerRefusal } from './brokerErrors';
import { consoleQueueName, newConsoleId, profileQueue, queueExpiresMs, queueHostPart, resolveConsoleQueue } from './consoleQueue';
import { queueArguments } from './topology';

const base = { ...DEFAULT_BROKER, url: 'amqp://h:5672' };

describe("the console's own queue", () => {
  it('is named after the host and an id of this installation', () => {
    expect(consoleQueueName('Jans-MacBook-Pro.local', 'a1b2c3d4')).toBe('payops.console.jans-macbook-pro.a1b2c3d4');
    expect(queueHostPart('ops_desk 7')).toBe('ops-desk-7');
    expect(queueHostPart('...')).toBe('host');
    expect(queueHostPart('x'.repeat(90))).toHaveLength(40);
    expect(newConsoleId()).toMatch(/^[0-9a-f]{8}$/);
    expect(newConsoleId()).not.toBe(newConsoleId());
  });

  it('is the default; a named queue is used as named', () => {
    let asked = 0;
    const id = () => (asked++, 'cafe0001');
    expect(resolveConsoleQueue(base, 'desk', id)).toMatchObject({ queue: 'payops.console.desk.cafe0001', ownQueue: true });
    expect(resolveConsoleQueue({ ...base, queue: ' team.q ' }, 'desk', id)).toMatchObject({ queue: 'team.q', ownQueue: false });
    expect(asked).toBe(1);
  });

  it('expires after 24 h unused by default; a named queue only when asked; a stream never', () => {
    const own = resolveConsoleQueue(base, 'desk', () => 'cafe0001');
    expect(queueExpiresMs(own)).toBe(86_400_000);
    expect(queueArguments(own)).toEqual({ 'x-expires': 86_400_000 });
    expect(queueExpiresMs({ ...own, queueExpiresMs: 0 })).toBeNull();
    expect(queueArguments({ ...own, queueType: 'quorum', queueExpiresMs: 3_600_000 })).toEqual({ 'x-queue-type': 'quorum', 'x-expires': 3_600_000 });
    const named = resolveConsoleQueue({ ...base, queue: 'team.q' }, 'desk', () => 'x');
    expect(queueArguments(named)).toBeUndefined();
    expect(queueExpiresMs({ ...named, queueExpiresMs: 7_200_000 })).toBe(7_200_000);
    expect(queueArguments({ ...own, queueType: 'stream' })).toEqual({ 'x-queue-type': 'stream' });
  });

  it('replaces the old shared default of saved profiles', () => {
    expect(profileQueue('payops.console')).toBeUndefined();
    expect(profileQueue(undefined)).toBeUndefined();
    expect(profileQueue('team.q')).toBe('team.q');
  });

  it('says how to match a queue that exists with another expiry', () => {
    const err = brokerRefusal(
      new Error(`Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'x-expires' for queue 'team.q' in vhost '/': received the value '86400000' of type 'signedint' but current is none"`),
      'amqp://h',
    );
    expect(err?.message).toBe('queue team.q exists with x-expires=none; use --queue-expires 0 (hours) or another --queue');
  });
});
