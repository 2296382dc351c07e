// Test support: a real HTTP receiver on loopback (node:http) that records every request it
// gets, and answers as the test says: 200, 500, slowly (past the sender's timeout), or not at
// all (closed: connection refused).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  at: number;
  path: string;
  body: unknown;
  status: number;
  /** The Authorization header, if any (basic auth taken from a URL's user:password). */
  authorization: string | null;
}

export type ReceiverMode = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'slow'; delayMs: number };

export interface HttpReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  mode: ReceiverMode;
  close(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode = { kind: 'ok' }, port = 0): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { mode } as HttpReceiver;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded as text
      }
      const m = receiver.mode;
      const status = m.kind === 'status' ? m.status : 200;
      requests.push({ at: Date.now(), path: req.url ?? '', body, status: m.kind === 'slow' ? -1 : status, authorization: req.headers.authorization ?? null });
      const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'error');
      if (m.kind === 'slow') {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) answer();
        }, m.delayMs);
        timers.add(t);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback port nothing listens on (a receiver that is down). */
export async function deadPort(): Promise<number> {
  const r = await startReceiver();
  const port = r.port;
  await r.close();
  return port;
}
