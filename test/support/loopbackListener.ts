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

/** Reads what comes (and so sees the end of the connection), answers nothing: a broker that accepts and stalls. */
export const neverAnswers = (s: net.Socket): void => void s.resume();

/** Passes an accepted connection on to the real broker (the port of its AMQP listener). */
export function passOnToBroker(client: net.Socket, port = 5672): void {
  const upstream = net.connect(port, '127.0.0.1');
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream).pipe(client);
}

/**
 * `onSocket` decides what each accepted connection (numbered from 1) gets. With `cleanups`
 * (a test file's afterEach list), the listener's close is put on it.
 */
export async function loopbackListener(onSocket: (s: net.Socket, n: number) => void, cleanups?: (() => unknown)[]): Promise<LoopbackListener> {
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
  const listener: LoopbackListener = {
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
  cleanups?.push(() => listener.close());
  return listener;
}

/**
 * Waits for `promise` to settle, at most `withinMs` (a condition, polled: no sleep stands in
 * for it); fails naming `what` if it does not. Returns the ms it took.
 */
export async function settlesWithin(promise: Promise<unknown>, withinMs: number, what: string | (() => string)): Promise<number> {
  const at = Date.now();
  let settled = -1;
  void promise.then(
    () => (settled = Date.now() - at),
    () => (settled = Date.now() - at),
  );
  await waitFor(() => settled >= 0, () => `${typeof what === 'function' ? what() : what} within ${withinMs} ms`, withinMs);
  return settled;
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
