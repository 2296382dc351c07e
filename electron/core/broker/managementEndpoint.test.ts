import { describe, expect, it } from 'vitest';
import { managementEndpoint } from './managementEndpoint';

describe('managementEndpoint: the AMQP URL’s credentials, as typed', () => {
  it('reads a password holding a literal % (no escape) as the AMQP login does', () => {
    expect(managementEndpoint('amqp://ops:50%off@127.0.0.1:5672')).toMatchObject({ username: 'ops', password: '50%off', baseUrl: 'http://127.0.0.1:15672' });
    expect(managementEndpoint('amqp://127.0.0.1:5672', 'http://ops:50%off@127.0.0.1:15672')).toMatchObject({ username: 'ops', password: '50%off' });
  });

  it('decodes escapes as UTF-8', () => {
    expect(managementEndpoint('amqp://ops:p%C3%A4ss%40@127.0.0.1:5672').password).toBe('päss@');
  });
});

describe('managementEndpoint: a management URL that does not parse', () => {
  it('names the URL without any part of its password, whatever the password holds', () => {
    for (const [url, secret] of [
      ['http://admin:p@ss@w0rd@[bad', 'w0rd'],
      ['http://admin:pa ss/wd@[bad', 'ss/wd'],
      ['http://admin:hunter2@:15672', 'hunter2'],
    ]) {
      let message = '';
      try {
        managementEndpoint('amqp://127.0.0.1:5672', url);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^management URL is not a valid URL: http:\/\/\*\*\*@/);
      expect(message).not.toContain(secret);
      expect(message).not.toContain('admin');
    }
  });
});
