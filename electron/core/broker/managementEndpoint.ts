// Where the broker's management HTTP API is: a setting of its own, or derived from the AMQP
// URL (same host, port 15672, or 15671 for amqps). The credentials are the AMQP URL's (the
// secret store puts the password there): kept apart from the base URL so neither logs nor
// errors ever carry them.
import { decodeUrlCredential } from './urlCredential';

export interface ManagementEndpoint {
  /** http(s)://host:port with no credentials and no trailing slash. */
  baseUrl: string;
  username: string;
  password: string;
  /** The vhost of the AMQP URL ('/' by default). */
  vhost: string;
}

export class ManagementUrlError extends Error {}

export function managementEndpoint(amqpUrl: string, managementUrl?: string | null): ManagementEndpoint {
  const amqp = new URL(amqpUrl);
  const username = decodeUrlCredential(amqp.username) || 'guest';
  const password = decodeUrlCredential(amqp.password) || (amqp.username ? '' : 'guest');
  const vhostPath = amqp.pathname.replace(/^\//, '');
  const vhost = vhostPath === '' ? '/' : decodeURIComponent(vhostPath);
  if (managementUrl && managementUrl.trim() !== '') {
    let m: URL;
    try {
      m = new URL(managementUrl.trim());
    } catch {
      throw new ManagementUrlError(`management URL is not a valid URL: ${redactAuth(managementUrl)}`);
    }
    if (m.protocol !== 'http:' && m.protocol !== 'https:') {
      throw new ManagementUrlError(`management URL must start with http:// or https:// (got ${m.protocol}//)`);
    }
    const user = decodeUrlCredential(m.username) || username;
    const pass = m.username ? decodeUrlCredential(m.password) : password;
    m.username = '';
    m.password = '';
    return { baseUrl: m.toString().replace(/\/+$/, ''), username: user, password: pass, vhost };
  }
  const secure = amqp.protocol === 'amqps:';
  const host = amqp.hostname.includes(':') && !amqp.hostname.startsWith('[') ? `[${amqp.hostname}]` : amqp.hostname;
  return { baseUrl: `${secure ? 'https' : 'http'}://${host}:${secure ? 15671 : 15672}`, username, password, vhost };
}

/**
 * A URL that did not parse, with everything before its last '@' after the scheme hidden: a
 * password may hold '@', '/' or a space, and the user is not told apart from it reliably.
 */
function redactAuth(text: string): string {
  return text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, '$1***@');
}
