/**
 * Certificate parsing with node:crypto. Public certificate data only: a private key is never parsed,
 * stored or returned.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo, SlimTlsSecret } from '../model/k8s';
import { slimMeta } from '../model/slim';

const PEM_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reshape an `X509Certificate` into the slim, JSON-safe form. */
export function certificateInfo(cert: X509Certificate): CertificateInfo {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    sans,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    selfSigned: cert.issuer === cert.subject && signedBy(cert, cert),
  };
}

/**
 * Did `issuer`'s key sign `cert`? `checkIssued` is not enough: it also demands the keyCertSign key usage,
 * which Traefik's self-signed default certificate lacks.
 */
function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Parse every certificate of a PEM bundle, leaf first. Throws on a bundle with no certificate. */
export function parsePemChain(pem: string): CertificateInfo[] {
  const blocks = pem.match(PEM_RE) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate found');
  return blocks.map((b) => certificateInfo(new X509Certificate(b)));
}

/**
 * Reshape a Secret into `SlimTlsSecret`: only `kubernetes.io/tls` Secrets are kept, only the parsed
 * `tls.crt` survives; `tls.key` and every other data key are dropped here, at the boundary.
 * Returns undefined for Secrets of other types.
 */
export function slimTlsSecret(o: Record<string, unknown>): SlimTlsSecret | undefined {
  if (o.type !== 'kubernetes.io/tls') return undefined;
  const data = typeof o.data === 'object' && o.data !== null ? (o.data as Record<string, unknown>) : {};
  const crt = data['tls.crt'];
  const secret: SlimTlsSecret = { metadata: slimMeta(o.metadata), type: 'kubernetes.io/tls' };
  if (typeof crt !== 'string' || crt === '') {
    secret.parseError = 'tls.crt is empty';
    return secret;
  }
  try {
    const [leaf] = parsePemChain(Buffer.from(crt, 'base64').toString('utf8'));
    secret.certificate = leaf;
  } catch (e) {
    secret.parseError = `tls.crt does not parse: ${(e as Error).message}`;
  }
  return secret;
}
