/**
 * Certificates for the demo cluster and the probe tests, generated in-process at runtime on the throwaway
 * PKI of lib/testing/pki.ts: no key is ever committed, and every run gets fresh keys whose validity is
 * relative to the moment they are made (TLS verification uses the real clock, so an "expired"
 * certificate has to be expired now). This module adds what only the demo needs: the kinds of
 * certificate a host can serve, Traefik's default certificate and a look-alike of Let's Encrypt staging.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes } from 'node:crypto';
import {
  createCa,
  createKeyPair,
  issueCertificate,
  KEY_ALGORITHM,
  randomSerial,
  type CertificateAuthority,
  type DistinguishedName,
  type IssuedCertificate,
} from '../lib/testing/pki';

export type { CertificateAuthority, DistinguishedName } from '../lib/testing/pki';

const DAY = 24 * 60 * 60 * 1000;

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

/** A certificate as a TLS server loads it: leaf and intermediates, and its key. */
export type ServedCertificate = IssuedCertificate;

/** Subject and issuer common name of the certificate Traefik serves when it has none for a host. */
export const TRAEFIK_DEFAULT_CN = 'TRAEFIK DEFAULT CERT';

/**
 * Traefik's default certificate, made the way Traefik makes it (pkg/tls/generate): self-signed, subject
 * and issuer CN "TRAEFIK DEFAULT CERT", one SAN `<32 hex>.<32 hex>.traefik.default` from a random
 * SHA-256, valid for a year from now. Traefik serves it for any SNI it has no certificate for, which is
 * what a failed ACME resolver looks like from outside.
 */
export async function traefikDefaultCertificate(now: number = Date.now()): Promise<ServedCertificate> {
  const { keys, privateKeyPem } = await createKeyPair();
  const z = createHash('sha256').update(randomBytes(100)).digest('hex');
  const san = `${z.slice(0, 32)}.${z.slice(32)}.traefik.default`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [TRAEFIK_DEFAULT_CN] }],
    notBefore: new Date(now),
    notAfter: new Date(now + 365 * DAY),
    signingAlgorithm: KEY_ALGORITHM,
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
  return { cert: cert.toString('pem'), key: privateKeyPem };
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
    dns: sansFor(host, kind),
    notBefore: new Date(now + from * DAY),
    notAfter: new Date(now + to * DAY),
  });
}
