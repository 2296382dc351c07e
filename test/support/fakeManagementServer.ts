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
  /** Never answers (the client's timeout must fire). */
  silent: (): Answer => () => undefined,
};
