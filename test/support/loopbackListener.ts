// Test support: a loopback TCP listener standing for a broker that misbehaves (accepts and never
// answers, refuses at once, or passes a connection on), and the time a client's stop() takes to
// end a start() pending against it.
import net from 'node:net';
import { waitFor } from './waitFor';

export interface LoopbackListener {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Accepted connections still open. */
  open(): number;
  /** Drops every open connection (the listener goes on accepting). */
  dropAll(): void;
  close(): Promise<void>;
}

/** `onSocket` decides what each accepted connection (numbered from 1) gets. */
export async function loopbackListener(onSocket: (s: net.Socket, n: number) => void): Promise<LoopbackListener> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted += 1;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    onSocket(s, accepted);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dropAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    open: () => sockets.size,
    dropAll,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

/** Stops `client` and says how long stop() and the pending `started` took to settle (ms). */
export async function stopTimed(client: { stop(): Promise<void> }, started: Promise<unknown>): Promise<{ stop: number; start: number }> {
  const at = Date.now();
  let startSettled = -1;
  void started.then(
    () => (startSettled = Date.now() - at),
    () => (startSettled = Date.now() - at),
  );
  await client.stop();
  const stop = Date.now() - at;
  await waitFor(() => startSettled >= 0, 'start() settled', 8000);
  return { stop, start: startSettled };
}
