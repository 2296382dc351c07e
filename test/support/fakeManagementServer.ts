// A real HTTP server on loopback that answers like a broken management API would: the
// client under test talks to it over TCP, nothing is mocked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer = (req: IncomingMessage, res: ServerResponse) => void;

export interface LoopbackHttp {
  url: string;
  requests: string[];
  answer: Answer;
  close(): Promise<void>;
}

export async function startLoopbackHttp(answer: Answer): Promise<LoopbackHttp> {
  const sockets = new Set<import('node:net').Socket>();
  const state: LoopbackHttp = {
    url: '',
    requests: [],
    answer,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    state.requests.push(req.url ?? '');
    state.answer(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

export const answers = {
  status: (code: number, body: string, contentType = 'application/json'): Answer => (_req, res) => {
    res.writeHead(code, { 'content-type': contentType });
    res.end(body);
  },
  /** A JSON array of `megabytes` MB (blanks between its brackets), written as fast as the client reads. */
  huge: (megabytes: number): Answer => (_req, res) => {
    const chunk = Buffer.alloc(1 << 20, 0x20);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    let sent = 0;
    const more = (): void => {
      while (sent < megabytes) {
        sent++;
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
      res.end(']');
    };
    res.on('error', () => undefined);
    more();
  },
  /** Never answers (the client's timeout must fire). */
  silent: (): Answer => () => undefined,
};
