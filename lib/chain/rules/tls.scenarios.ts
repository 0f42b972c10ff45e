/**
 * The scenarios of the tls rules, from the objects (resolver, cert-manager, Secret) and from what the host serves (probe results built by hand; real handshakes are tested in lib/probe) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. tls.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import type { CertificateInfo } from '../../model/k8s';
import type { TlsProbeResult } from '../../model/probe';
import { f, HOST, NOW, NS, ref, resolverInfo } from '../__fixtures__/load';
import { gap, ing, one, probes, type Scenario, tlsNode } from '../__fixtures__/scenario';

const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

/** A leaf certificate valid from `from` days (relative to NOW) for `days` days. */
export function leaf(o: { sans?: string[]; from: number; days: number; subject?: string; issuer?: string }): CertificateInfo {
  const sans = o.sans ?? [HOST];
  return {
    subject: o.subject ?? `CN=${sans[0]}`,
    issuer: o.issuer ?? "C=US, O=Let's Encrypt, CN=R11",
    sans,
    notBefore: at(o.from),
    notAfter: at(o.from + o.days),
    serialNumber: '04A1B2C3D4E5F6',
    fingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
    selfSigned: false,
  };
}

export function served(chain: CertificateInfo[], trusted = true, verifyError?: string): TlsProbeResult {
  return { status: 'ok', host: HOST, target: '203.0.113.10:443', checkedAt: NOW.toISOString(), chain, trusted, ...(verifyError ? { verifyError } : {}) };
}

const withTls = (tls: TlsProbeResult) => probes({ tls });
const secretRef = ref('Secret', 'my-app-tls');
const VALID_90 = leaf({ from: -30, days: 90 });

export const TLS_SCENARIOS: Scenario[] = [
  {
    title: 'the seed example is healthy: the resolver keeps the certificate, so no tls.secret-missing',
    fixture: 'seed',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a Secret named in spec.tls that does not exist, with no resolver, is down with tls.secret-missing when Secrets are readable',
    fixture: 'tls-secret-missing',
    domains: one('down', f('tls.secret-missing', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a missing Secret is not guessed about when Secrets are not read at all',
    fixture: 'tls-secret-unreadable',
    domains: one('healthy'),
  },
  {
    title: 'a missing Secret is not guessed about when reading Secrets is forbidden',
    fixture: 'tls-secret-missing',
    edit: gap({ reason: 'forbidden', kind: 'Secret', namespace: NS, message: 'secrets is forbidden' }),
    domains: one('healthy'),
  },
  {
    title: 'a valid certificate for the host in the Secret is healthy',
    fixture: 'tls-secret-valid',
    domains: one('healthy'),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.tls.secretCertificate?.sans, [HOST]),
  },
  {
    title: 'a wildcard certificate in the Secret covers the host',
    fixture: 'tls-secret-wildcard',
    domains: one('healthy'),
  },
  {
    title: 'a Secret whose tls.crt does not parse is down with tls.secret-invalid',
    fixture: 'tls-secret-invalid',
    domains: one('down', f('tls.secret-invalid', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'an expired certificate in the Secret is down with tls.secret-cert-expired',
    fixture: 'tls-secret-cert-expired',
    domains: one('down', f('tls.secret-cert-expired', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a certificate in the Secret for other names is down with tls.secret-host-mismatch',
    fixture: 'tls-secret-host-mismatch',
    domains: one('down', f('tls.secret-host-mismatch', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a 90-day certificate in the Secret with 10 days left is degraded with tls.secret-cert-expiring',
    fixture: 'tls-secret-cert-expiring',
    domains: one('degraded', f('tls.secret-cert-expiring', 'warning', secretRef, tlsNode)),
  },
  {
    title: 'the Secret of a host whose certificate a resolver keeps is not judged',
    fixture: 'seed',
    edit: (s) => {
      s.tlsSecrets = [{ metadata: { name: 'my-app-tls', namespace: NS }, type: 'kubernetes.io/tls', certificate: leaf({ from: -100, days: 90, sans: ['old.example.com'] }) }];
    },
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a cert-manager Certificate not Ready while the Secret still holds a valid certificate is a tls.certificate-not-ready warning',
    fixture: 'tls-certificate-not-ready',
    domains: one(
      'degraded',
      f('tls.certificate-not-ready', 'warning', ref('Certificate', 'my-app-tls'), tlsNode),
      f('tls.managed-by-resolver', 'info', ing, tlsNode),
    ),
  },
  {
    title: 'a cert-manager Certificate not Ready with no Secret to serve is a critical tls.certificate-not-ready',
    fixture: 'tls-certificate-not-ready-no-secret',
    domains: one(
      'down',
      f('tls.certificate-not-ready', 'critical', ref('Certificate', 'my-app-tls'), tlsNode),
      f('tls.managed-by-resolver', 'info', ing, tlsNode),
    ),
  },
  {
    title: 'a Ready cert-manager Certificate with a valid Secret is healthy',
    fixture: 'tls-cert-manager-ready',
    domains: one('healthy', f('tls.managed-by-resolver', 'info', ing, tlsNode)),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.tls.source, { type: 'cert-manager', issuer: 'ClusterIssuer letsencrypt-prod', secretName: 'my-app-tls' }),
  },
  {
    title: 'the Secret cert-manager writes is what is served, so its expired certificate is judged too',
    fixture: 'tls-cert-manager-ready',
    edit: (s) => {
      s.tlsSecrets![0]!.certificate = leaf({ from: -100, days: 90 });
    },
    domains: one('down', f('tls.secret-cert-expired', 'critical', secretRef, tlsNode), f('tls.managed-by-resolver', 'info', ing, tlsNode)),
  },
  // What the domain serves (probe results built by hand; real handshakes are tested in lib/probe).
  {
    title: 'a served certificate that verifies, covers the host and has most of its life left is healthy',
    fixture: 'seed',
    edit: withTls(served([VALID_90])),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.tls.probe?.status, 'ok'),
  },
  {
    title: 'an expired served certificate is down with tls.cert-expired alone, its verify error explained by it',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -100, days: 90 })], false, 'CERT_HAS_EXPIRED')),
    domains: one('down', f('tls.cert-expired', 'critical', ing, tlsNode), resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.tls.health, 'down'),
  },
  {
    title: 'a served certificate valid only from tomorrow is down with tls.cert-not-yet-valid',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: 1, days: 90 })], false, 'CERT_NOT_YET_VALID')),
    domains: one('down', f('tls.cert-not-yet-valid', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a 90-day served certificate with 20 days left is degraded with tls.cert-expiring',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -70, days: 90 })])),
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a 6-day certificate with 3 days left is not expiring: half its lifetime is left',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -3, days: 6 })])),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a 6-day certificate with 1 day left is expiring',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -5, days: 6 })])),
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'expiringMinDays flags a long-lived certificate with fewer days left than that',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -345, days: 365 })])),
    opts: { tls: { expiringFraction: 0.01, expiringMinDays: 30 } },
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a served certificate for other names is down with tls.host-mismatch alone',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['other.junovy.com'] })], false, 'ERR_TLS_CERT_ALTNAME_INVALID')),
    domains: one('down', f('tls.host-mismatch', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a wildcard covers exactly one label: *.junovy.com does not cover app.my-client.junovy.com',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['*.junovy.com'] })])),
    domains: one('down', f('tls.host-mismatch', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a served wildcard certificate for *.my-client.junovy.com covers app.my-client.junovy.com',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['*.my-client.junovy.com'] })])),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: "Traefik's self-signed default certificate is down with tls.default-certificate alone",
    fixture: 'seed',
    edit: withTls(
      served(
        [{ ...leaf({ from: -1, days: 365, sans: ['0b1c2d3e4f.a5b6c7d8e9.traefik.default'] }), subject: 'CN=TRAEFIK DEFAULT CERT', issuer: 'CN=TRAEFIK DEFAULT CERT', selfSigned: true }],
        false,
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      ),
    ),
    domains: one('down', f('tls.default-certificate', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a chain from a staging issuer that does not verify is down with tls.untrusted',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, issuer: 'C=US, O=(STAGING) Let\'s Encrypt, CN=(STAGING) Ersatz Edamame E1' })], false, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY')),
    domains: one('down', f('tls.untrusted', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a refused TLS handshake is down with tls.handshake-failed',
    fixture: 'seed',
    edit: withTls({ status: 'error', host: HOST, target: '203.0.113.10:443', checkedAt: NOW.toISOString(), errorKind: 'refused', error: 'connect ECONNREFUSED 203.0.113.10:443' }),
    domains: one('down', f('tls.handshake-failed', 'critical', ing, tlsNode), resolverInfo()),
  },
];

const SERVED_OK = 'a served certificate that verifies, covers the host and has most of its life left is healthy';
/** For every tls code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const TLS_NEAR_MISSES: Record<string, string> = {
  'tls.managed-by-resolver': 'tls-secret-valid',
  'tls.secret-missing': 'tls-secret-unreadable',
  'tls.secret-invalid': 'tls-secret-valid',
  'tls.secret-cert-expired': 'tls-secret-valid',
  'tls.secret-host-mismatch': 'tls-secret-wildcard',
  'tls.secret-cert-expiring': 'tls-secret-valid',
  'tls.certificate-not-ready': 'tls-cert-manager-ready',
  'tls.handshake-failed': SERVED_OK,
  'tls.default-certificate': SERVED_OK,
  'tls.cert-expired': SERVED_OK,
  'tls.cert-not-yet-valid': SERVED_OK,
  'tls.cert-expiring': 'a 6-day certificate with 3 days left is not expiring: half its lifetime is left',
  'tls.host-mismatch': 'a served wildcard certificate for *.my-client.junovy.com covers app.my-client.junovy.com',
  'tls.untrusted': SERVED_OK,
};
