/**
 * A throwaway PKI for tests, the demo and the control-plane harness: certificate authorities (roots and
 * intermediates) and the server or client certificates they sign, generated in-process. No key is ever
 * written to the repository, and validity windows are relative to the moment the certificates are made,
 * because TLS verification uses the real clock.
 *
 * ECDSA P-256 keys through node's WebCrypto: fast enough to make a dozen per test run. Test and demo
 * support only; the app (lib/server, app/, components/) never imports lib/testing.
 *
 * @see https://kubernetes.io/docs/setup/best-practices/certificates/
 * @packageDocumentation
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';

// @peculiar/x509 defaults to the global `crypto`; pin node's WebCrypto so it works the same everywhere.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The key and signature algorithm of every key this module makes. */
export const KEY_ALGORITHM: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/**
 * A distinguished name: one attribute per RDN in order (`[{ CN: ['x'] }, { O: ['y'] }]`), or the string
 * form (`'CN=x, O=y'`).
 */
export type DistinguishedName = string | Array<Record<string, string[]>>;

/** A certificate as a TLS server or client loads it. */
export interface IssuedCertificate {
  /** PEM, leaf first, followed by the intermediates a peer sends (never the root). */
  cert: string;
  /** PKCS#8 PEM private key. Lives only in memory unless the caller writes it out. */
  key: string;
}

/** A certificate authority able to sign certificates. */
export interface CertificateAuthority {
  /** The CA's own certificate (PEM): what a peer trusts, e.g. a kubeconfig's `certificate-authority-data`. */
  certPem: string;
  /** PKCS#8 PEM of the CA's private key, for a process that signs with it (kube-controller-manager). */
  keyPem: string;
  /** Intermediates between this CA and its root, as a server sends them after its leaf; empty for a root. */
  chainPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** A bare key pair, e.g. for signing service-account tokens. */
export interface KeyPair {
  keys: CryptoKeyPair;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
}

/** A positive 16-byte serial number (high bit clear) in hex, as CAs issue them. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function privatePem(keys: CryptoKeyPair): string {
  return KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A fresh ECDSA P-256 key pair with both halves as PEM. */
export async function createKeyPair(): Promise<KeyPair> {
  const keys = await newKeys();
  const publicKeyPem = KeyObject.from(keys.publicKey as webcrypto.CryptoKey).export({ type: 'spki', format: 'pem' }).toString();
  return { keys, privateKeyPem: privatePem(keys), publicKeyPem };
}

/** What {@link createCa} makes. */
export interface CaOptions {
  name: DistinguishedName;
  /** Signs the new CA, which is then an intermediate (path length 0); without it, a self-signed root. */
  issuer?: CertificateAuthority;
  /** A year before `now` unless given. */
  notBefore?: Date;
  /** Five years after `now` unless given. */
  notAfter?: Date;
  /** Anchors the default validity window; the current time unless given. */
  now?: number;
}

/** Creates a CA: a self-signed root, or an intermediate when `issuer` is given. */
export async function createCa(opts: CaOptions): Promise<CertificateAuthority> {
  const now = opts.now ?? Date.now();
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, opts.issuer ? 0 : undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (opts.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: opts.name,
    issuer: opts.issuer ? opts.issuer.cert.subjectName : opts.name,
    notBefore: opts.notBefore ?? new Date(now - 365 * DAY),
    notAfter: opts.notAfter ?? new Date(now + 5 * 365 * DAY),
    signingAlgorithm: KEY_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: (opts.issuer?.keys ?? keys).privateKey,
    extensions,
  });
  const certPem = cert.toString('pem');
  const chainPem = opts.issuer ? `${certPem}\n${opts.issuer.chainPem}`.trim() : '';
  return { certPem, keyPem: privatePem(keys), chainPem, cert, keys };
}

/** What {@link issueCertificate} makes. */
export interface CertificateOptions {
  /** `server` (serverAuth, the default) or `client` (clientAuth). */
  usage?: 'server' | 'client';
  /** DNS names for the SAN extension; wildcards such as `*.example.com` are taken as they are. */
  dns?: string[];
  /** IP addresses for the SAN extension. */
  ip?: string[];
  /**
   * The subject, e.g. `'CN=admin, O=system:masters'` for a Kubernetes client; `CN=<first SAN>` unless
   * given. Without any SAN the certificate has no SAN extension (a client certificate needs none).
   */
  subject?: DistinguishedName;
  /** An hour before `now` unless given. */
  notBefore?: Date;
  /** A week after `now` unless given. */
  notAfter?: Date;
  /** Anchors the default validity window; the current time unless given. */
  now?: number;
}

/** Issues a server or client certificate signed by `ca`, with the CA's intermediates after the leaf. */
export async function issueCertificate(ca: CertificateAuthority, opts: CertificateOptions = {}): Promise<IssuedCertificate> {
  const now = opts.now ?? Date.now();
  const keys = await newKeys();
  const names: x509.JsonGeneralName[] = [
    ...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  extensions.push(
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  );
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: opts.subject ?? [{ CN: [names[0]?.value ?? 'localhost'] }],
    issuer: ca.cert.subjectName,
    notBefore: opts.notBefore ?? new Date(now - HOUR),
    notAfter: opts.notAfter ?? new Date(now + 7 * DAY),
    signingAlgorithm: KEY_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { cert: [leaf.toString('pem'), ca.chainPem].filter(Boolean).join('\n'), key: privatePem(keys) };
}
