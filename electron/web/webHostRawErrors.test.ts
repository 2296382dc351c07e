// The answers Node and ws would write straight to the socket (a request Node cannot parse, a
// head too large, a refused or malformed WebSocket handshake) carry the same security headers
// as every other response. Real host on 127.0.0.1, raw bytes over TCP.
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { webCsp } from './webHost';
import { webHostForFile } from '../../test/support/webHostKit';

const webHost = webHostForFile('payops-web-raw-');

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Writes the bytes as given and reads the answer until the host closes the connection. */
function exchange(bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(webHost().port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body });
    });
    socket.write(bytes);
  });
}

function expectSecurityHeaders(a: RawAnswer, label: string): void {
  expect(a.headers.get('content-security-policy'), label).toBe(webCsp(webHost().port));
  expect(a.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(a.headers.get('referrer-policy'), label).toBe('no-referrer');
  expect(a.headers.get('x-frame-options'), label).toBe('DENY');
  expect(a.headers.get('content-type'), label).toBe('text/plain; charset=utf-8');
  expect(a.headers.get('connection'), label).toBe('close');
}

const hostLine = () => `Host: 127.0.0.1:${webHost().port}\r\n`;
const handshake = (extra: string) => `Upgrade: websocket\r\nConnection: Upgrade\r\n${extra}`;
const KEY = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe('answers written to the socket', () => {
  it('a request Node cannot parse: 400 with the security headers', async () => {
    const a = await exchange('NOT HTTP AT ALL\r\n\r\n');
    expect(a.status).toBe(400);
    expectSecurityHeaders(a, 'malformed');
  });

  it('a request head larger than the limit: 431 with the security headers', async () => {
    const a = await exchange(`GET / HTTP/1.1\r\n${hostLine()}X-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(a.status).toBe(431);
    expectSecurityHeaders(a, 'header overflow');
  });

  it('a refused WebSocket upgrade: 401/403 with the security headers', async () => {
    const noToken = await exchange(`GET /api HTTP/1.1\r\n${hostLine()}${handshake(`${KEY}Sec-WebSocket-Version: 13\r\n`)}\r\n`);
    expect(noToken.status).toBe(401);
    expectSecurityHeaders(noToken, 'no token');
    const foreignHost = await exchange(`GET /api?token=${webHost().token} HTTP/1.1\r\nHost: evil.example\r\n${handshake(`${KEY}Sec-WebSocket-Version: 13\r\n`)}\r\n`);
    expect(foreignHost.status).toBe(403);
    expectSecurityHeaders(foreignHost, 'foreign host');
  });

  it('a malformed handshake with the token: 400 or 405 with the security headers, never ws text/html', async () => {
    const cases: Array<[string, string, number]> = [
      ['not websocket', `GET /api?token=${webHost().token} HTTP/1.1\r\n${hostLine()}Upgrade: h2c\r\nConnection: Upgrade\r\n\r\n`, 400],
      ['no key', `GET /api?token=${webHost().token} HTTP/1.1\r\n${hostLine()}${handshake('Sec-WebSocket-Version: 13\r\n')}\r\n`, 400],
      ['bad version', `GET /api?token=${webHost().token} HTTP/1.1\r\n${hostLine()}${handshake(`${KEY}Sec-WebSocket-Version: 99\r\n`)}\r\n`, 400],
      ['bad protocol', `GET /api?token=${webHost().token} HTTP/1.1\r\n${hostLine()}${handshake(`${KEY}Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a,,b\r\n`)}\r\n`, 400],
      ['not GET', `POST /api?token=${webHost().token} HTTP/1.1\r\n${hostLine()}Content-Length: 0\r\n${handshake(`${KEY}Sec-WebSocket-Version: 13\r\n`)}\r\n`, 405],
    ];
    for (const [label, bytes, status] of cases) {
      const a = await exchange(bytes);
      expect(a.status, label).toBe(status);
      expectSecurityHeaders(a, label);
    }
    expect(webHost().stats().clients).toBe(0);
  });
});
