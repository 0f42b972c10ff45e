/**
 * A local stand-in for Traefik's websecure entrypoint: one TLS server on 127.0.0.1 that picks the
 * certificate by SNI, with certificates generated at start for each demo host. Hosts it does not know
 * get Traefik's self-signed default certificate, exactly like Traefik, so the demo and the probe tests
 * see every certificate state through real handshakes.
 *
 * It answers any HTTP request with a one-line body naming the host, so `curl -k --resolve` works too.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { certificateFor, createDemoPki, type CertKind, type DemoPki } from './certs';

export type { CertKind } from './certs';

export interface TlsEndpointOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A loopback IPv4 address (127.0.0.0/8); the demo never listens elsewhere. Default 127.0.0.1. */
  address?: string;
  /** Host (SNI) -> the certificate state it serves. */
  hosts: Record<string, CertKind>;
  /** Reuse issuers (e.g. to share the trusted root between endpoints). */
  pki?: DemoPki;
}

export interface TlsEndpoint {
  address: string;
  port: number;
  /** The root that signs the trusted certificates: pass it to probes as `ca`. */
  caPem: string;
  /** Change (or add) the state a host serves; resolves once new handshakes use it. */
  set(host: string, kind: CertKind): Promise<void>;
  /** The certificate chain (PEM, public part only) served for an SNI; unknown hosts get the default. */
  certificatePem(host: string): string;
  /** TCP connections accepted since start (tests count probes with it). */
  connections(): number;
  stop(): Promise<void>;
}

function isLoopbackV4(a: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Start the endpoint. Certificates are generated before it listens. */
export async function startTlsEndpoint(opts: TlsEndpointOptions): Promise<TlsEndpoint> {
  const address = opts.address ?? '127.0.0.1';
  if (!isLoopbackV4(address)) throw new Error(`the demo TLS endpoint only listens on 127.0.0.0/8, not ${address}`);
  const pki = opts.pki ?? (await createDemoPki());
  const contexts = new Map<string, SecureContext>();
  const pems = new Map<string, string>();

  async function set(host: string, kind: CertKind): Promise<void> {
    const served = await certificateFor(pki, host.toLowerCase(), kind);
    contexts.set(host.toLowerCase(), createSecureContext(served));
    pems.set(host.toLowerCase(), served.cert);
  }
  await Promise.all(Object.entries(opts.hosts).map(([host, kind]) => set(host, kind)));

  const fallback = createSecureContext(pki.traefikDefault);
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer(
    {
      ...pki.traefikDefault,
      SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase()) ?? fallback),
    },
    (req, res) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`chainboard demo endpoint: ${req.headers.host ?? '(no host)'}\n`);
    },
  );
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A handshake a client abandons is routine for probes; it must not surface as an unhandled error.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    address,
    port,
    caPem: pki.trusted.certPem,
    set,
    certificatePem: (host) => pems.get(host.toLowerCase()) ?? pki.traefikDefault.cert,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
