/**
 * The control plane's certificates and keys, made at start: a CA, the apiserver's serving certificate,
 * client certificates for the admin and the controllers, and the ServiceAccount signing key pair.
 * ECDSA P-256, valid from an hour ago for a week.
 *
 * @see https://kubernetes.io/docs/setup/best-practices/certificates/
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

const EC: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A certificate and its private key, PEM. */
export interface Pem {
  cert: string;
  key: string;
}

/** A CA that can sign: its PEM, its certificate and its keys. */
export interface Ca {
  pem: Pem;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** A new ECDSA P-256 key pair. */
export async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

/** A private key as PKCS#8 PEM. */
export async function keyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key as never), 'PRIVATE KEY');
}

/** A public key as SPKI PEM. */
export async function publicKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('spki', key as never), 'PUBLIC KEY');
}

let serial = 1;
function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(2, '0');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + 7 * 24 * 60 * 60 * 1000) };
}

/** A self-signed CA (`CN=chainboard-e2e-ca`). */
export async function makeCa(): Promise<Ca> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=chainboard-e2e-ca',
    ...validity(),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { pem: { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) }, cert, keys };
}

/**
 * A leaf certificate signed by `ca` for serving (with DNS and IP SANs) or for client authentication
 * (the subject's CN is the user name, each O a group).
 */
export async function makeLeaf(ca: Ca, subject: string, usage: 'server' | 'client', san: { dns?: string[]; ip?: string[] } = {}): Promise<Pem> {
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  const names: x509.JsonGeneralName[] = [
    ...(san.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(san.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: ca.cert.subject,
    ...validity(),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}
