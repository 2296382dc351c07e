// A broker password with characters outside ASCII, against the real broker: a URL escapes them
// as UTF-8 (%C3%A4 for ä), and the login must send them as the broker user has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerUser, deleteBrokerUser, type BrokerUser } from '../../../test/support/brokerUser';
import { testBrokerConnection } from './connectionTest';

let user: BrokerUser;
beforeAll(() => {
  user = createBrokerUser('qa-amqp-utf8', 'pässwörd€-50%off');
});
afterAll(() => deleteBrokerUser(user.name));

const config = (url: string) => ({ url, exchange: 'amq.topic', exchangeType: 'topic' as const, bindings: [], queueType: 'classic' as const, prefetch: 1, watchQueues: [] });

describe('broker login with the URL’s credentials', () => {
  it('logs in with a password that has non-ASCII characters, escaped as any URL escapes them', async () => {
    expect(user.url).toContain('p%C3%A4ssw%C3%B6rd%E2%82%AC-50%25off');
    const result = await testBrokerConnection(config(user.url));
    expect(result).toMatchObject({ ok: true });
  });

  it('still refuses a wrong password', async () => {
    const result = await testBrokerConnection(config(`amqp://${user.name}:${encodeURIComponent('passwörd')}@127.0.0.1:5672`));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the login/);
  });
});
