// Certificates for the sample's TLS Secrets. Generated once with @peculiar/x509 and kept in pki.json so
// that regenerating the sample writes the same bytes; delete pki.json to mint fresh ones. The keys are
// throwaway sample keys: they protect nothing and are used nowhere else.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/**
 * The certificates the sample needs, by name: who issued them, for which names, valid when.
 * The valid ones run to 2036 so the sample does not rot; the expired one expired before the sample's
 * reference time and stays expired.
 */
const LEAVES = {
  'portal-umbrella': {
    issuer: 'umbrella-ca',
    dnsNames: ['portal.umbrella.junovy.com'],
    notBefore: '2026-01-15T08:00:00Z',
    notAfter: '2036-01-13T08:00:00Z',
  },
  'billing-umbrella': {
    issuer: 'sample-public-ca',
    dnsNames: ['billing.umbrella.junovy.com'],
    notBefore: '2025-10-31T00:00:00Z',
    notAfter: '2026-10-31T23:59:59Z',
  },
  'records-umbrella': {
    issuer: 'sample-public-ca',
    dnsNames: ['records.umbrella-health.com', 'www.records.umbrella-health.com'],
    notBefore: '2026-03-02T00:00:00Z',
    notAfter: '2036-03-01T23:59:59Z',
  },
};

const CAS = {
  'umbrella-ca': 'CN=Umbrella Health Internal CA,O=Umbrella Health',
  'sample-public-ca': 'CN=Chainboard Sample DV CA,O=Chainboard Samples',
};

const pem = (label, der) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

async function mint() {
  const cas = {};
  for (const [id, name] of Object.entries(CAS)) {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: Buffer.from(id).toString('hex').slice(0, 16),
      name,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      signingAlgorithm: ALG,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    cas[id] = { keys, cert };
  }
  const out = { cas: {}, leaves: {} };
  for (const [id, { cert }] of Object.entries(cas)) out.cas[id] = cert.toString('pem') + '\n';
  for (const [id, leaf] of Object.entries(LEAVES)) {
    const ca = cas[leaf.issuer];
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: Buffer.from(id).toString('hex').slice(0, 20),
      subject: `CN=${leaf.dnsNames[0]}`,
      issuer: ca.cert.subject,
      notBefore: new Date(leaf.notBefore),
      notAfter: new Date(leaf.notAfter),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(leaf.dnsNames.map((value) => ({ type: 'dns', value }))),
      ],
    });
    const key = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    out.leaves[id] = {
      ...leaf,
      crt: cert.toString('pem') + '\n' + out.cas[leaf.issuer],
      key: pem('PRIVATE KEY', key),
      ca: out.cas[leaf.issuer],
    };
  }
  return out;
}

/** Load the sample PKI, minting it first when pki.json is missing. */
export async function loadPki(path) {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const pki = await mint();
  writeFileSync(path, JSON.stringify(pki, null, 2) + '\n');
  return pki;
}
