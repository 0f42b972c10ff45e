/**
 * Test helpers: raw TCP servers on 127.0.0.1 whose behaviour the test controls (silent, hanging up,
 * speaking plain HTTP, holding connections), and a refused port. Used only by the probe tests; polling is
 * lib/testing/net.ts.
 */
import 'server-only';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { freePort } from '../testing/net';

/** A TCP server a probe test controls, with counts of the connections it saw. */
export interface TestTcpServer {
  port: number;
  /** Connections accepted since start. */
  accepted(): number;
  /** Connections open now. */
  open(): number;
  /** The most connections ever open at once. */
  maxOpen(): number;
  /** Destroy every open connection (the client sees a reset). */
  release(): void;
  stop(): Promise<void>;
}

/** A TCP server on 127.0.0.1; `onSocket` decides what each connection gets (default: silence). */
export async function startTcpServer(onSocket: (s: Socket) => void = () => {}): Promise<TestTcpServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let max = 0;
  // Counting happens here, and release() removes sockets synchronously, so `open` is exact: a client
  // cannot open its next connection before the server has counted the previous one as closed.
  const drop = (s: Socket) => sockets.delete(s);
  const server = createServer((s) => {
    accepted++;
    sockets.add(s);
    max = Math.max(max, sockets.size);
    s.on('close', () => drop(s));
    s.on('error', () => {});
    onSocket(s);
    // Read (and drop) what the client sends, so its close is noticed: a paused socket never sees the FIN.
    if (!s.destroyed) s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => {
    for (const s of [...sockets]) {
      drop(s);
      s.destroy();
    }
  };
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    open: () => sockets.size,
    maxOpen: () => max,
    release,
    stop: () =>
      new Promise<void>((resolve) => {
        release();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that was just bound and closed again, so connecting to it is refused. */
export function closedPort(): Promise<number> {
  return freePort();
}
