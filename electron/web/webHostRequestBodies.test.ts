// No endpoint of the web host takes a request body, so one is never read past the answer: a
// client (any local process, or a page's fetch) streaming a body, with or without the token,
// has its connection closed once it is answered, instead of the host reading and discarding
// what it sends for as long as it keeps sending. Real host on 127.0.0.1, raw TCP.
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { webHostForFile } from '../../test/support/webHostKit';

const webHost = webHostForFile('payops-web-body-');

const MiB = 1024 * 1024;

/**
 * Sends the head, then body bytes as fast as the host takes them, until it closes the
 * connection or `limitBytes` have gone. Returns the status line and what was sent.
 */
async function streamBody(head: string, chunked: boolean, limitBytes: number): Promise<{ status: string; sentBytes: number; closed: boolean }> {
  const socket = net.connect(webHost().port, '127.0.0.1');
  let answer = '';
  let closed = false;
  socket.on('data', (d) => (answer += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(head);
  const piece = Buffer.alloc(MiB, 0x61);
  const frame = chunked ? Buffer.concat([Buffer.from(`${MiB.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
  let sentBytes = 0;
  while (!closed && sentBytes < limitBytes) {
    const more = socket.write(frame);
    sentBytes += frame.length;
    if (!more) {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        socket.once('drain', done);
        socket.once('close', done);
      });
    }
  }
  const deadline = Date.now() + 5_000;
  while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
  return { status: answer.split('\r\n')[0] ?? '', sentBytes, closed };
}

describe('request bodies', () => {
  const cases: Array<[string, (port: number, token: string) => string, boolean, string]> = [
    ['POST without a token, Content-Length', (p) => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: 1000000000\r\n\r\n`, false, '401'],
    ['POST without a token, chunked', (p) => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nTransfer-Encoding: chunked\r\n\r\n`, true, '401'],
    ['POST with the token', (p, t) => `POST /?token=${t} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: 1000000000\r\n\r\n`, false, '405'],
    ['GET with the token and a body', (p, t) => `GET /?token=${t} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nTransfer-Encoding: chunked\r\n\r\n`, true, '200'],
  ];
  for (const [label, head, chunked, status] of cases) {
    it(`${label}: answered, then the connection is closed rather than the body read on`, async () => {
      const r = await streamBody(head(webHost().port, webHost().token), chunked, 256 * MiB);
      expect(r.status).toContain(status);
      expect(r.closed).toBe(true);
      // What the kernel's socket buffers hold, and what was in flight when the answer went out.
      expect(r.sentBytes).toBeLessThan(64 * MiB);
    });
  }
});
