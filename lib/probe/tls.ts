/**
 * One TLS handshake with SNI = the host, against the address that serves it, reading the certificate
 * chain the server actually presents. With Traefik's ACME resolver this is the only place the truth about
 * a domain's certificate lives.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
 */
import 'server-only';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, createSecureContext, rootCertificates, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import { certificateInfo } from '../cluster/certificate';
import type { CertificateInfo } from '../model/k8s';
import type { TlsProbeResult } from '../model/probe';

/** Default handshake budget: connect + handshake together. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

export interface TlsProbeOptions {
  /** The domain: sent as SNI. */
  host: string;
  /** The IP or hostname to dial (the Ingress load balancer, or the configured probe address). */
  address: string;
  port?: number;
  timeoutMs?: number;
  /**
   * Extra trusted roots (PEM), added to node's bundled Mozilla roots: for private CAs and tests. Without
   * it node's default store is used (bundled roots plus NODE_EXTRA_CA_CERTS).
   */
  ca?: string;
  /** Clock for `checkedAt` (epoch ms). */
  now?: () => number;
  /** Aborting ends the probe at once with an `other` error. */
  signal?: AbortSignal;
}

type ErrorKind = Extract<TlsProbeResult, { status: 'error' }>['errorKind'];

/** `ip:port`, with brackets around IPv6 so the port stays readable. */
export function formatTarget(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

// Building a context parses ~150 roots; probes of many hosts share one per CA bundle.
const contexts = new Map<string, SecureContext>();
function contextFor(ca: string): SecureContext {
  let ctx = contexts.get(ca);
  if (!ctx) {
    // `ca` replaces the default roots in node, so the bundled roots are passed along to keep them trusted.
    ctx = createSecureContext({ ca: [...rootCertificates, ca] });
    if (contexts.size > 8) contexts.clear();
    contexts.set(ca, ctx);
  }
  return ctx;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/** Map a socket/TLS error to the kind the findings speak of. */
export function classifyTlsError(e: unknown): ErrorKind {
  const err = e as NodeJS.ErrnoException & { library?: string };
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (UNREACHABLE.has(code)) return 'unreachable';
  // ECONNRESET before the handshake completes: the peer hung up on our ClientHello, which is how
  // endpoints that reject an SNI or do not speak TLS behave; it is a protocol failure, not a network one.
  if (code === 'EPROTO' || code === 'ECONNRESET' || code.startsWith('ERR_SSL_') || err?.library === 'SSL routines') {
    return 'protocol';
  }
  return 'other';
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (!err || typeof err !== 'object') return String(e);
  // OpenSSL messages carry an internal prefix ("C0B7...:error:0A00010B:SSL routines:..."); its reason reads better.
  const text = err.reason ?? err.message ?? String(e);
  return err.code && !text.includes(err.code) ? `${text} (${err.code})` : text;
}

/** Walk the peer chain leaf first; node links a self-signed certificate to itself, so stop at repeats. */
function readChain(socket: TLSSocket): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    const x = new X509Certificate(c.raw);
    chain.push(certificateInfo(x));
    c = c.issuerCertificate;
  }
  return chain;
}

/**
 * Handshake with `address:port` using SNI = `host` and report what was served. Never throws; the socket
 * is always destroyed. Verification is recorded, not enforced: an untrusted chain is a result to show.
 */
export function probeTls(opts: TlsProbeOptions): Promise<TlsProbeResult> {
  const { host, address } = opts;
  const port = opts.port ?? 443;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const target = formatTarget(address, port);

  return new Promise<TlsProbeResult>((resolve) => {
    let socket: TLSSocket | undefined;
    let settled = false;
    const finish = (r: TlsProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(r);
    };
    const fail = (errorKind: ErrorKind, error: string) =>
      finish({ status: 'error', host, target, checkedAt: new Date(now()).toISOString(), errorKind, error });
    const onAbort = () => fail('other', 'probe cancelled');

    const timer = setTimeout(() => fail('timeout', `no TLS handshake within ${timeoutMs} ms`), timeoutMs);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      socket = connect({
        host: address,
        port,
        // SNI must be a name: node rejects IP literals there.
        servername: isIP(host) ? undefined : host,
        rejectUnauthorized: false,
        // Host matching is judged by the engine from the SANs (RFC 6125); `trusted` means the chain alone.
        checkServerIdentity: () => undefined,
        ...(opts.ca ? { secureContext: contextFor(opts.ca) } : {}),
      });
    } catch (e) {
      return fail(classifyTlsError(e), describe(e));
    }
    const s = socket;
    s.once('secureConnect', () => {
      try {
        const chain = readChain(s);
        if (chain.length === 0) return fail('protocol', 'the server presented no certificate');
        const authError = s.authorizationError as unknown;
        const verifyError =
          typeof authError === 'string' ? authError : authError instanceof Error ? ((authError as NodeJS.ErrnoException).code ?? authError.message) : undefined;
        finish({
          status: 'ok',
          host,
          target,
          checkedAt: new Date(now()).toISOString(),
          chain,
          trusted: s.authorized,
          ...(s.authorized || !verifyError ? {} : { verifyError }),
          ...(s.getProtocol() ? { protocol: s.getProtocol() ?? undefined } : {}),
        });
      } catch (e) {
        fail('other', `could not read the served certificate: ${describe(e)}`);
      }
    });
    s.once('error', (e) => fail(classifyTlsError(e), describe(e)));
    s.once('close', () => fail('protocol', 'connection closed before the TLS handshake completed'));
  });
}
