/**
 * Recording relays between Chainboard and the demo's DNS server and Traefik stand-in: Chainboard is
 * configured with the relays' addresses, so every DNS question it asks and every TLS handshake it starts
 * passes through here and is written down (the name asked, the SNI sent) before it is forwarded. The demo
 * servers still give the answers; the relays only count, so the SSRF check can say exactly which names
 * Chainboard looked up or dialled.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** A loopback UDP relay in front of one DNS server, recording every question it passes on. */
export interface DnsRelay {
  /** `127.0.0.1:PORT`, the form `CHAINBOARD_DNS_SERVERS` takes. */
  readonly server: string;
  /** Every datagram received, in order: the first question's name (lower-case), or `(undecodable)`. */
  queries(): readonly string[];
  stop(): Promise<void>;
}

/** A loopback TCP relay in front of one TLS server, recording the SNI of every ClientHello. */
export interface TlsRelay {
  readonly port: number;
  /** Every connection accepted, in order: its SNI (lower-case), or `(none)` when the hello named none. */
  handshakes(): readonly string[];
  stop(): Promise<void>;
}

/** Starts a DNS relay to `upstream` (`127.0.0.1:PORT`). Queries are matched to answers by their ID. */
export async function startDnsRelay(upstream: string): Promise<DnsRelay> {
  const [upHost = '127.0.0.1', upPort = '53'] = upstream.split(':');
  const seen: string[] = [];
  const pending = new Map<number, RemoteInfo>();
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  front.on('message', (msg, rinfo) => {
    let name = '(undecodable)';
    try {
      const q = dnsPacket.decode(msg);
      name = (q.questions?.[0]?.name ?? '(no question)').toLowerCase().replace(/\.$/, '');
    } catch {
      // Recorded as undecodable, and still forwarded: the upstream decides what to answer.
    }
    seen.push(name);
    if (msg.length >= 2) pending.set(msg.readUInt16BE(0), rinfo);
    back.send(msg, Number(upPort), upHost);
  });
  back.on('message', (msg) => {
    const to = msg.length >= 2 ? pending.get(msg.readUInt16BE(0)) : undefined;
    if (!to) return;
    pending.delete(msg.readUInt16BE(0));
    front.send(msg, to.port, to.address);
  });
  // A client that went away before its answer must not crash the battery.
  front.on('error', () => {});
  back.on('error', () => {});
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${front.address().port}`,
    queries: () => seen,
    stop: async () => {
      await Promise.all([front, back].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

/**
 * The SNI of a TLS ClientHello at the start of `buf`: `undefined` while more bytes are needed, `null`
 * when the hello names no server or is not a ClientHello at all.
 * @see https://www.rfc-editor.org/rfc/rfc8446#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6066#section-3
 */
export function clientHelloSni(buf: Buffer): string | null | undefined {
  if (buf.length < 5) return undefined;
  if (buf[0] !== 0x16) return null;
  const recordEnd = 5 + buf.readUInt16BE(3);
  if (buf.length < recordEnd) return buf.length > 16_384 ? null : undefined;
  if (buf[5] !== 0x01) return null;
  // Handshake header (4), version (2), random (32), then the variable-length fields.
  let p = 5 + 4 + 2 + 32;
  const skip = (lenBytes: 1 | 2) => {
    if (p + lenBytes > recordEnd) return false;
    p += lenBytes + (lenBytes === 1 ? buf.readUInt8(p) : buf.readUInt16BE(p));
    return p <= recordEnd;
  };
  if (!skip(1) || !skip(2) || !skip(1)) return null;
  if (p + 2 > recordEnd) return null;
  const extEnd = Math.min(recordEnd, p + 2 + buf.readUInt16BE(p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = buf.readUInt16BE(p);
    const len = buf.readUInt16BE(p + 2);
    p += 4;
    // server_name: list length (2), name type (1, 0 = host_name), name length (2), name.
    if (type === 0 && len >= 5 && p + 5 <= extEnd) {
      const nameLen = buf.readUInt16BE(p + 3);
      return buf.subarray(p + 5, p + 5 + nameLen).toString('latin1').toLowerCase();
    }
    p += len;
  }
  return null;
}

/** Starts a TLS relay to `127.0.0.1:upstreamPort`. */
export async function startTlsRelay(upstreamPort: number): Promise<TlsRelay> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const sni = clientHelloSni(head);
      if (sni === undefined) return;
      client.off('data', onData);
      client.pause();
      seen.push(sni ?? '(none)');
      const up = connect(upstreamPort, '127.0.0.1', () => {
        up.write(head);
        client.pipe(up).pipe(client);
        client.resume();
      });
      sockets.add(up);
      up.on('close', () => {
        sockets.delete(up);
        client.destroy();
      });
      up.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    handshakes: () => seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
