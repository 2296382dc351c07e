import { describe, expect, it } from 'vitest';
import { draftFromProfile, draftToProfile, emptyDraft, makeProfileId, splitList } from './profileForm';

describe('profile form', () => {
  it('accepts a valid draft and splits lists', () => {
    const r = draftToProfile({ ...emptyDraft(), id: 'local', name: 'Local', watchQueues: 'payments.in, risk.in\n\n', prefetch: '250' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile).toMatchObject({ id: 'local', prefetch: 250, watchQueues: ['payments.in', 'risk.in'], bindings: ['payment.#', 'risk.#'] });
    expect(draftFromProfile({ ...r.profile, hasPassword: true }).watchQueues).toBe('payments.in\nrisk.in');
  });

  it('reports errors by field', () => {
    const r = draftToProfile({ ...emptyDraft(), id: 'x', name: '', url: 'http://nope', prefetch: 'abc', queue: 'bad queue' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['name', 'prefetch', 'queue', 'url']);
    expect(r.errors.url).toMatch(/amqp/);
    expect(r.errors.prefetch).toBe('must be a whole number');
  });

  // Issue 11: Settings showed zod's own text ("Too small: expected string to have >=1 characters").
  it('says what is wrong in words, never in zod\'s', () => {
    const r = draftToProfile({ ...emptyDraft(), id: 'x', name: '  ', exchange: '', bindings: 'a\n\n', watchQueues: 'ok, has space', prefetch: '0', queueExpires: '-1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: 'required: give the profile a name',
      exchange: 'required',
      watchQueues: 'letters, digits and . _ - : @ / only (no spaces) (item 2)',
      prefetch: 'at least 1',
      queueExpires: '0 or more (0: the queue never expires)',
    });
    const long = draftToProfile({ ...emptyDraft(), id: 'x', name: 'n'.repeat(101), prefetch: '70000', queueExpires: 'soon' });
    expect(long.ok ? {} : long.errors).toEqual({ name: 'at most 100 characters', prefetch: 'at most 65,535', queueExpires: 'a number of hours (0: never expires)' });
    for (const e of [...Object.values(r.errors), ...Object.values(long.ok ? {} : long.errors)]) expect(e).not.toMatch(/Too small|Too big|expected|Invalid input/);
  });

  it("leaves the queue empty for the console's own, and keeps an expiry in hours", () => {
    const r = draftToProfile({ ...emptyDraft(), id: 'x', name: 'X' });
    expect(r.ok && r.profile.queue).toBeUndefined();
    const named = draftToProfile({ ...emptyDraft(), id: 'x', name: 'X', queue: 'team.q', queueExpires: '12' });
    expect(named.ok && named.profile).toMatchObject({ queue: 'team.q', queueExpiresHours: 12 });
    // A profile saved with the old shared default is shown as the console's own queue.
    expect(draftFromProfile({ ...emptyDraft(), id: 'x', name: 'X', bindings: [], watchQueues: [], prefetch: 1, queue: 'payops.console', queueExpiresHours: undefined }).queue).toBe('');
  });

  it('makes ids from names, unique', () => {
    expect(makeProfileId('Prod EU (primary)', [])).toBe('prod-eu-primary');
    expect(makeProfileId('Prod', ['prod', 'prod-2'])).toBe('prod-3');
    expect(makeProfileId('!!!', [])).toBe('profile');
  });

  it('splits on newlines and commas', () => {
    expect(splitList(' a,b\n c ,\n')).toEqual(['a', 'b', 'c']);
  });
});
