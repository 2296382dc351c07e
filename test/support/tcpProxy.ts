// Test support: a loopback TCP proxy to the broker that a test can cut and restore, so a
// console loses its connection without anyone touching RabbitMQ itself.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  /** Stops passing on what the broker sends, connections kept open (a stalled broker), until `release`. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort = 5672, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  // The broker's side of each open connection, and the client's it writes to.
  const fromBroker = new Map<net.Socket, net.Socket>();
  let refusing = false;
  let holding = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    if (holding) upstream.pause();
    else upstream.pipe(client);
    fromBroker.set(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      fromBroker.delete(upstream);
      client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      refusing = false;
    },
    hold() {
      holding = true;
      for (const [upstream, client] of fromBroker) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    release() {
      holding = false;
      for (const [upstream, client] of fromBroker) upstream.pipe(client);
    },
    close: () =>
      new Promise<void>((resolve) => {
        refusing = true;
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
