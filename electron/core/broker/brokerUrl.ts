import { redactUrl } from '../redact';

export class BrokerUrlError extends Error {}

/** Checks an amqp:// or amqps:// URL before any connection attempt; the error never shows the password. */
export function validateBrokerUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BrokerUrlError(`not a valid URL: ${redactUrl(url)}`);
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new BrokerUrlError(`broker URL must start with amqp:// or amqps:// (got ${parsed.protocol}//)`);
  }
  if (!parsed.hostname) throw new BrokerUrlError(`broker URL has no host: ${redactUrl(url)}`);
  return parsed;
}
