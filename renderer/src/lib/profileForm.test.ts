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

  it('makes ids from names, unique', () => {
    expect(makeProfileId('Prod EU (primary)', [])).toBe('prod-eu-primary');
    expect(makeProfileId('Prod', ['prod', 'prod-2'])).toBe('prod-3');
    expect(makeProfileId('!!!', [])).toBe('profile');
  });

  it('splits on newlines and commas', () => {
    expect(splitList(' a,b\n c ,\n')).toEqual(['a', 'b', 'c']);
  });
});
