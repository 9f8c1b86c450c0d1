import { createConnection, createServer, type Socket } from 'node:net';

export interface Balancer {
  /** `ws://127.0.0.1:<port>`, what clients connect to. */
  readonly wsUrl: string;
  /** Sends new connections to `port` from now on. */
  target(port: number): void;
  close(): Promise<void>;
}

/**
 * A TCP load balancer on a free loopback port: each connection goes to the current target, and
 * ends (both ways) when either side does, as a real balancer's would when a node dies.
 */
export async function startBalancer(initial: number): Promise<Balancer> {
  let port = initial;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the balancer has no port');
  return {
    wsUrl: `ws://127.0.0.1:${address.port}`,
    target(next) {
      port = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
