/**
 * Certificates for the demo cluster and the probe tests, generated in-process at runtime: no key is ever
 * committed, and every run gets fresh keys whose validity is relative to the moment they are made (TLS
 * verification uses the real clock, so an "expired" certificate has to be expired now).
 *
 * ECDSA P-256 keys through node's WebCrypto: fast enough to generate a dozen per test run.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, KeyObject, randomBytes, webcrypto } from 'node:crypto';

// @peculiar/x509 defaults to the global `crypto`; pin node's WebCrypto so it works the same everywhere.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const DAY = 24 * 60 * 60 * 1000;
const ALG: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** The states a demo/test host can serve. */
export type CertKind =
  | 'valid'
  | 'expiring'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-host'
  | 'wildcard'
  | 'default'
  | 'untrusted';

/** Every state, in the order the demo lists them. */
export const CERT_KINDS: readonly CertKind[] = [
  'valid',
  'expiring',
  'expired',
  'not-yet-valid',
  'wrong-host',
  'wildcard',
  'default',
  'untrusted',
];

/** A certificate as a TLS server loads it. */
export interface ServedCertificate {
  /** PEM, leaf first, followed by the intermediates a server sends (never the root). */
  cert: string;
  /** PKCS#8 PEM private key. Lives only in memory. */
  key: string;
}

/** A certificate authority able to sign certificates. */
export interface CertificateAuthority {
  /** The CA's own certificate (PEM). */
  certPem: string;
  /** Intermediates between this CA and its root, as a server would send them after its leaf. */
  chainPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** Distinguished name as @peculiar/x509 takes it: one attribute per RDN, in order. */
export type DistinguishedName = Array<Record<string, string[]>>;

function randomSerial(): string {
  // Positive (high bit clear) 16-byte serial, as CAs issue them.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function keyPem(keys: CryptoKeyPair): string {
  return KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Create a CA: a self-signed root, or an intermediate when `issuer` is given.
 */
export async function createCa(opts: {
  name: DistinguishedName;
  issuer?: CertificateAuthority;
  notBefore?: Date;
  notAfter?: Date;
  now?: number;
}): Promise<CertificateAuthority> {
  const now = opts.now ?? Date.now();
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, opts.issuer ? 0 : undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const notBefore = opts.notBefore ?? new Date(now - 365 * DAY);
  const notAfter = opts.notAfter ?? new Date(now + 5 * 365 * DAY);
  let cert: x509.X509Certificate;
  if (opts.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.keys.publicKey));
    cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: opts.name,
      issuer: opts.issuer.cert.subjectName,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: opts.issuer.keys.privateKey,
      extensions,
    });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: opts.name,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      keys,
      extensions,
    });
  }
  const certPem = cert.toString('pem');
  const chainPem = opts.issuer ? `${certPem}\n${opts.issuer.chainPem}`.trim() : '';
  return { certPem, chainPem, cert, keys };
}

/** Issue a server certificate for `sans`, signed by `ca`. */
export async function issueCertificate(
  ca: CertificateAuthority,
  opts: { sans: string[]; commonName?: string; notBefore: Date; notAfter: Date },
): Promise<ServedCertificate> {
  const keys = await newKeys();
  const cn = opts.commonName ?? opts.sans[0] ?? 'localhost';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [cn] }],
    issuer: ca.cert.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(opts.sans.map((value) => ({ type: 'dns' as const, value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  const cert_ = [cert.toString('pem'), ca.chainPem].filter(Boolean).join('\n');
  return { cert: cert_, key: keyPem(keys) };
}

/** Subject and issuer common name of the certificate Traefik serves when it has none for a host. */
export const TRAEFIK_DEFAULT_CN = 'TRAEFIK DEFAULT CERT';

/**
 * Traefik's default certificate, made the way Traefik makes it (pkg/tls/generate): self-signed, subject
 * and issuer CN "TRAEFIK DEFAULT CERT", one SAN `<32 hex>.<32 hex>.traefik.default` from a random
 * SHA-256, valid for a year from now. Traefik serves it for any SNI it has no certificate for, which is
 * what a failed ACME resolver looks like from outside.
 */
export async function traefikDefaultCertificate(now: number = Date.now()): Promise<ServedCertificate> {
  const keys = await newKeys();
  const z = createHash('sha256').update(randomBytes(100)).digest('hex');
  const san = `${z.slice(0, 32)}.${z.slice(32)}.traefik.default`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [TRAEFIK_DEFAULT_CN] }],
    notBefore: new Date(now),
    notAfter: new Date(now + 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyAgreement |
          x509.KeyUsageFlags.dataEncipherment,
      ),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: san }]),
    ],
  });
  return { cert: cert.toString('pem'), key: keyPem(keys) };
}

/** Names of Let's Encrypt's staging hierarchy, which browsers and system stores do not trust. */
export const STAGING_ROOT_NAME: DistinguishedName = [
  { C: ['US'] },
  { O: ['(STAGING) Internet Security Research Group'] },
  { CN: ['(STAGING) Pretend Pear X1'] },
];
/** The staging intermediate that signs the `untrusted` certificates. */
export const STAGING_INTERMEDIATE_NAME: DistinguishedName = [
  { C: ['US'] },
  { O: ["(STAGING) Let's Encrypt"] },
  { CN: ['(STAGING) Artificial Apricot R3'] },
];
/** The demo's trusted root. */
export const DEMO_CA_NAME: DistinguishedName = [{ O: ['Chainboard Demo'] }, { CN: ['Chainboard Demo Root CA'] }];

/**
 * Every issuer the demo needs: a trusted root (pass `trusted.certPem` as the probe's `ca`), a look-alike of
 * Let's Encrypt staging that is deliberately NOT trusted, and one Traefik default certificate.
 */
export interface DemoPki {
  trusted: CertificateAuthority;
  staging: CertificateAuthority;
  traefikDefault: ServedCertificate;
  now: number;
}

/** Generate the demo's issuers; `now` anchors every validity window (whole seconds compare exactly). */
export async function createDemoPki(now: number = Date.now()): Promise<DemoPki> {
  const [trusted, stagingRoot, traefikDefault] = await Promise.all([
    createCa({ name: DEMO_CA_NAME, now }),
    createCa({ name: STAGING_ROOT_NAME, now }),
    traefikDefaultCertificate(now),
  ]);
  const staging = await createCa({ name: STAGING_INTERMEDIATE_NAME, issuer: stagingRoot, now });
  return { trusted, staging, traefikDefault, now };
}

/** The host's parent domain (`a.b.c` -> `b.c`), for wildcard and wrong-host certificates. */
function parent(host: string): string {
  const i = host.indexOf('.');
  return i >= 0 ? host.slice(i + 1) : host;
}

/**
 * The SANs a certificate of `kind` carries for `host`: `wrong-host` names a sibling, so it covers
 * neither the host nor (by RFC 6125) anything under it.
 */
export function sansFor(host: string, kind: Exclude<CertKind, 'default'>): string[] {
  switch (kind) {
    case 'wildcard':
      return [`*.${parent(host)}`];
    case 'wrong-host':
      return [`other-${host}`];
    default:
      return [host];
  }
}

/**
 * The certificate a host of the given kind serves. Validity windows are 90 days, like Let's Encrypt:
 * `expiring` has 5 days left (under a third of its lifetime), `expired` ended 10 days ago,
 * `not-yet-valid` starts in 2 days.
 */
export async function certificateFor(pki: DemoPki, host: string, kind: CertKind): Promise<ServedCertificate> {
  if (kind === 'default') return pki.traefikDefault;
  const now = pki.now;
  const window: Record<Exclude<CertKind, 'default'>, [number, number]> = {
    valid: [-10, 80],
    expiring: [-85, 5],
    expired: [-100, -10],
    'not-yet-valid': [2, 92],
    'wrong-host': [-10, 80],
    wildcard: [-10, 80],
    untrusted: [-10, 80],
  };
  const [from, to] = window[kind];
  return issueCertificate(kind === 'untrusted' ? pki.staging : pki.trusted, {
    sans: sansFor(host, kind),
    notBefore: new Date(now + from * DAY),
    notAfter: new Date(now + to * DAY),
  });
}
