// Every AMQP connection payops opens goes through here. amqplib reads a URL's user and password
// with unescape(), which decodes %XX as Latin-1 bytes: a password with a character outside
// ASCII (escaped as UTF-8 in any URL, ä as %C3%A4) reached the broker mangled and the login was
// refused. The credentials are decoded here as UTF-8 and handed to amqplib as they are.
import amqp, { type ChannelModel } from 'amqplib';
import { settledWithin } from './settledWithin';
import { decodeUrlCredential } from './urlCredential';

/** `signal`: net.connect's, which amqplib passes on; aborted, it drops the socket (an attempt under way ends at once). */
type SocketOptions = NonNullable<Parameters<typeof amqp.connect>[1]> & { signal?: AbortSignal };

export function amqpConnect(url: string, socketOptions: SocketOptions = {}): Promise<ChannelModel> {
  const credentials = urlCredentials(url);
  return amqp.connect(url, credentials ? { ...socketOptions, credentials } : socketOptions);
}

/** PLAIN credentials from the URL, or null to leave amqplib's own reading (no user, no password: guest). */
function urlCredentials(url: string): SocketOptions['credentials'] | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.username === '' && u.password === '') return null;
  return amqp.credentials.plain(decodeUrlCredential(u.username), decodeUrlCredential(u.password));
}

/** Closes a connection's socket without the AMQP close handshake (a broker that answers nothing would hold the close for ever). */
export function dropSocket(conn: ChannelModel | null): void {
  (conn?.connection as unknown as { stream?: { destroy(): void } } | undefined)?.stream?.destroy();
}

/**
 * Closes a connection, or drops its socket when the broker does not answer the close within
 * `ms` (stalled, or blocking the connection): a stop never waits on the broker for ever. True
 * when it closed with the handshake.
 */
export async function closeWithin(conn: ChannelModel, ms: number): Promise<boolean> {
  const closed = await settledWithin(conn.close(), ms);
  if (!closed) dropSocket(conn);
  return closed;
}
