// Clients that hold connections without finishing a request: a slow-loris (headers a byte at a
// time, never done) and a flood of idle sockets. Any local process can connect without the
// token, so these must neither keep sockets for long nor take every file descriptor of the
// process (the engine's database and broker connections share them).
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/waitFor';
import { idleWebHosts } from '../../test/support/webHostKit';

// Registered first, so its hosts close after the sockets below are destroyed (after-hooks run last-registered first).
const startHost = idleWebHosts('payops-slow-');
const sockets: net.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

function open(port: number): Promise<net.Socket & { closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1') as net.Socket & { closedByServer: boolean };
    s.closedByServer = false;
    s.on('close', () => (s.closedByServer = true));
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    sockets.push(s);
  });
}

function status(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    s.on('error', reject);
    s.write(`GET /?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

describe('slow and idle clients', () => {
  it('closes a slow-loris connection once the header timeout has passed', async () => {
    const host = await startHost({ headersTimeoutMs: 500 });
    const s = await open(host.port);
    s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const started = Date.now();
    // It keeps trickling header bytes and never ends the headers.
    const trickle = setInterval(() => s.writable && s.write('X-a: b\r\n'), 100);
    try {
      await waitFor(() => s.closedByServer, 'the server to close the slow-loris socket', 5000);
    } finally {
      clearInterval(trickle);
    }
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('caps open connections: a flood of idle sockets is cut off and the page still loads afterwards', async () => {
    const host = await startHost();
    const flood = await Promise.all(Array.from({ length: 600 }, () => open(host.port)));
    await waitFor(() => flood.filter((s) => s.closedByServer).length >= 600 - 256, () => `at most 256 of 600 idle sockets kept (${flood.filter((s) => !s.closedByServer).length} open)`, 5000);
    for (const s of flood) s.destroy();
    await waitFor(async () => (await status(host.port, host.token)) === 200, 'the page to load once the flood has gone', 5000);
  });
});
