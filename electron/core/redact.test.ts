// Passwords in broker and management URLs never reach an error message, typed right or wrong.
import { describe, expect, it } from 'vitest';
import { validateBrokerUrl } from './broker/brokerUrl';
import { redactSecrets, redactUrl } from './redact';

describe('redactUrl', () => {
  it('hides the password of a URL and keeps the rest', () => {
    expect(redactUrl('amqp://ops:MySecretPw557@127.0.0.1:5672/%2F')).toBe('amqp://ops:***@127.0.0.1:5672/%2F');
    expect(redactUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
  });

  it('hides what may be a password in text that is not a URL (a typo)', () => {
    for (const typo of ['amqp//ops:MySecretPw557@127.0.0.1:5672', 'amqp:/ops:MySecretPw557@127.0.0.1', 'ops:MySecretPw557@127.0.0.1', 'amqp//MySecretPw557@host']) {
      const shown = redactUrl(typo);
      expect(shown, typo).not.toContain('MySecretPw557');
      expect(shown).toContain('@');
    }
  });

  it('a broker URL with a typo is refused without its password in the error', () => {
    let message = '';
    try {
      validateBrokerUrl('amqp//ops:MySecretPw557@127.0.0.1:5672');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a valid URL/);
    expect(message).not.toContain('MySecretPw557');
  });
});

describe('redactSecrets', () => {
  it('hides a password holding a literal @ whole, in text that quotes its URL', () => {
    // The URL parser takes the last @ of the authority as the end of the password, so the
    // broker accepts this URL; an error quoting it must not show the part after the first @.
    for (const [text, shown] of [
      ['failed amqp://ops:My@Secret@Pw557@127.0.0.1:5672/vh now', 'failed amqp://ops:***@127.0.0.1:5672/vh now'],
      ['at amqp://ops:My/Secret@127.0.0.1', 'at amqp://ops:***@127.0.0.1'],
      ['amqp://ops:pw@127.0.0.1/vh?x=a@b and http://u:p@w@mgmt:15672', 'amqp://ops:***@127.0.0.1/vh?x=a@b and http://u:***@mgmt:15672'],
    ]) {
      expect(redactSecrets(text)).toBe(shown);
    }
  });
});
