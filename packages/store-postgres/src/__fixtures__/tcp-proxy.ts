import { connect, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy that can cut every connection (with a reset) to inject network faults. */
export interface TcpProxy {
  port: number;
  /** Bytes forwarded from clients to the server so far. */
  bytesFromClients(): number;
  /** Reset every connection once clients have sent `bytes` bytes in total (now, if already past). */
  cutAfter(bytes: number): void;
  close(): Promise<void>;
}

/** Start a proxy on 127.0.0.1 (a free port) in front of `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let forwarded = 0;
  let threshold = Number.POSITIVE_INFINITY;
  const cutAll = (): void => {
    threshold = Number.POSITIVE_INFINITY;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      upstream.write(chunk);
      if (forwarded >= threshold) cutAll();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    port: address.port,
    bytesFromClients: () => forwarded,
    cutAfter(bytes) {
      threshold = bytes;
      if (forwarded >= threshold) cutAll();
    },
    close: () =>
      new Promise((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
