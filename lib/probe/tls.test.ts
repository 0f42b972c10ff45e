import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createDemoPki, type DemoPki } from '../../demo/certs';
import { startTlsEndpoint, type TlsEndpoint } from '../../demo/tls-endpoint';
import type { CertificateInfo } from '../model/k8s';
import type { TlsProbeResult } from '../model/probe';
import { closedPort, startTcpServer as tcpServer } from './testing';
import { classifyTlsError, probeTls } from './tls';

const DAY = 24 * 60 * 60 * 1000;
// Whole seconds: X.509 times have no milliseconds, so the expected dates below compare exactly.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const CHECKED_AT = new Date(NOW).toISOString();
const now = () => NOW;
const at = (days: number) => new Date(NOW + days * DAY).toISOString();

const DEMO_ROOT = 'O=Chainboard Demo, CN=Chainboard Demo Root CA';
const STAGING_R3 = "C=US, O=(STAGING) Let's Encrypt, CN=(STAGING) Artificial Apricot R3";
const STAGING_ROOT = 'C=US, O=(STAGING) Internet Security Research Group, CN=(STAGING) Pretend Pear X1';

const HOSTS = {
  'valid.chainboard.test': 'valid',
  'expiring.chainboard.test': 'expiring',
  'expired.chainboard.test': 'expired',
  'future.chainboard.test': 'not-yet-valid',
  'wrong.chainboard.test': 'wrong-host',
  'app.wild.chainboard.test': 'wildcard',
  'default.chainboard.test': 'default',
  'staging.chainboard.test': 'untrusted',
} as const;

let pki: DemoPki;
let endpoint: TlsEndpoint;

/** Serial and fingerprint of the n-th certificate of a PEM bundle, read with node itself. */
function ids(pem: string, n = 0): Pick<CertificateInfo, 'serialNumber' | 'fingerprint256'> {
  const block = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.[n];
  assert.ok(block, `certificate ${n} in bundle`);
  const x = new X509Certificate(block);
  return { serialNumber: x.serialNumber, fingerprint256: x.fingerprint256 };
}

function leaf(host: string, info: Omit<CertificateInfo, 'serialNumber' | 'fingerprint256'>): CertificateInfo {
  return { ...info, ...ids(endpoint.certificatePem(host)) };
}

const demoRoot = (): CertificateInfo => ({
  subject: DEMO_ROOT,
  issuer: DEMO_ROOT,
  sans: [],
  notBefore: at(-365),
  notAfter: at(5 * 365),
  ...ids(pki.trusted.certPem),
  selfSigned: true,
});

function ok(host: string, chain: CertificateInfo[], trust: { trusted: true } | { trusted: false; verifyError: string }): TlsProbeResult {
  return { status: 'ok', host, target: `127.0.0.1:${endpoint.port}`, checkedAt: CHECKED_AT, chain, ...trust, protocol: 'TLSv1.3' };
}

/** Days since the leaf's start and days left, as the findings judge them. */
function days(r: TlsProbeResult): { sinceStart: number; left: number } {
  assert.equal(r.status, 'ok');
  const c = r.status === 'ok' ? r.chain[0] : undefined;
  assert.ok(c);
  return { sinceStart: Math.round((NOW - Date.parse(c.notBefore)) / DAY), left: Math.round((Date.parse(c.notAfter) - NOW) / DAY) };
}

const probe = (host: string, extra: { ca?: string } = { ca: endpoint.caPem }) =>
  probeTls({ host, address: '127.0.0.1', port: endpoint.port, timeoutMs: 3000, now, ...extra });

describe('probeTls against a real TLS endpoint on 127.0.0.1', () => {
  before(async () => {
    pki = await createDemoPki(NOW);
    endpoint = await startTlsEndpoint({ hosts: { ...HOSTS }, pki });
  });
  after(() => endpoint.stop());

  test('a valid certificate from a trusted CA is reported trusted, with its SANs and dates', async () => {
    const r = await probe('valid.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'valid.chainboard.test',
        [
          leaf('valid.chainboard.test', {
            subject: 'CN=valid.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['valid.chainboard.test'],
            notBefore: at(-10),
            notAfter: at(80),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: true },
      ),
    );
    assert.deepEqual(days(r), { sinceStart: 10, left: 80 });
  });

  test('the same certificate without the CA among the trusted roots is untrusted and only the leaf is known', async () => {
    const r = await probe('valid.chainboard.test', {});
    assert.deepEqual(
      r,
      ok(
        'valid.chainboard.test',
        [
          leaf('valid.chainboard.test', {
            subject: 'CN=valid.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['valid.chainboard.test'],
            notBefore: at(-10),
            notAfter: at(80),
            selfSigned: false,
          }),
        ],
        { trusted: false, verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
      ),
    );
  });

  test('a 90-day certificate with 5 days left is trusted and shows how little of its lifetime is left', async () => {
    const r = await probe('expiring.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'expiring.chainboard.test',
        [
          leaf('expiring.chainboard.test', {
            subject: 'CN=expiring.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['expiring.chainboard.test'],
            notBefore: at(-85),
            notAfter: at(5),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: true },
      ),
    );
    assert.deepEqual(days(r), { sinceStart: 85, left: 5 });
  });

  test('an expired certificate is served, read and reported as CERT_HAS_EXPIRED', async () => {
    const r = await probe('expired.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'expired.chainboard.test',
        [
          leaf('expired.chainboard.test', {
            subject: 'CN=expired.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['expired.chainboard.test'],
            notBefore: at(-100),
            notAfter: at(-10),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: false, verifyError: 'CERT_HAS_EXPIRED' },
      ),
    );
    assert.deepEqual(days(r), { sinceStart: 100, left: -10 });
  });

  test('a certificate that is not valid yet is reported as CERT_NOT_YET_VALID', async () => {
    const r = await probe('future.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'future.chainboard.test',
        [
          leaf('future.chainboard.test', {
            subject: 'CN=future.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['future.chainboard.test'],
            notBefore: at(2),
            notAfter: at(92),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: false, verifyError: 'CERT_NOT_YET_VALID' },
      ),
    );
    assert.deepEqual(days(r), { sinceStart: -2, left: 92 });
  });

  test('a certificate for another name still verifies: the host mismatch is left to the SANs, not to trust', async () => {
    const r = await probe('wrong.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'wrong.chainboard.test',
        [
          leaf('wrong.chainboard.test', {
            subject: 'CN=other-wrong.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['other-wrong.chainboard.test'],
            notBefore: at(-10),
            notAfter: at(80),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: true },
      ),
    );
  });

  test('a wildcard certificate is served for a subdomain with its wildcard SAN', async () => {
    const r = await probe('app.wild.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'app.wild.chainboard.test',
        [
          leaf('app.wild.chainboard.test', {
            subject: 'CN=*.wild.chainboard.test',
            issuer: DEMO_ROOT,
            sans: ['*.wild.chainboard.test'],
            notBefore: at(-10),
            notAfter: at(80),
            selfSigned: false,
          }),
          demoRoot(),
        ],
        { trusted: true },
      ),
    );
  });

  test("Traefik's default certificate is self-signed, named TRAEFIK DEFAULT CERT, with a .traefik.default SAN", async () => {
    const r = await probe('default.chainboard.test');
    assert.equal(r.status, 'ok');
    const san = r.status === 'ok' ? r.chain[0]?.sans[0] : undefined;
    assert.match(san ?? '', /^[0-9a-f]{32}\.[0-9a-f]{32}\.traefik\.default$/);
    assert.deepEqual(
      r,
      ok(
        'default.chainboard.test',
        [
          leaf('default.chainboard.test', {
            subject: 'CN=TRAEFIK DEFAULT CERT',
            issuer: 'CN=TRAEFIK DEFAULT CERT',
            sans: [san as string],
            notBefore: at(0),
            notAfter: at(365),
            selfSigned: true,
          }),
        ],
        { trusted: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      ),
    );
  });

  test('a host the endpoint has no certificate for gets the default certificate, as with Traefik', async () => {
    const r = await probe('unknown.chainboard.test');
    const d = await probe('default.chainboard.test');
    assert.equal(r.status, 'ok');
    assert.equal(d.status, 'ok');
    if (r.status === 'ok' && d.status === 'ok') {
      assert.deepEqual(r.chain, d.chain);
      assert.equal(r.chain[0]?.subject, 'CN=TRAEFIK DEFAULT CERT');
    }
  });

  test('a certificate from the Let\'s Encrypt staging look-alike is untrusted, and its intermediate is read', async () => {
    const r = await probe('staging.chainboard.test');
    assert.deepEqual(
      r,
      ok(
        'staging.chainboard.test',
        [
          leaf('staging.chainboard.test', {
            subject: 'CN=staging.chainboard.test',
            issuer: STAGING_R3,
            sans: ['staging.chainboard.test'],
            notBefore: at(-10),
            notAfter: at(80),
            selfSigned: false,
          }),
          {
            subject: STAGING_R3,
            issuer: STAGING_ROOT,
            sans: [],
            notBefore: at(-365),
            notAfter: at(5 * 365),
            ...ids(pki.staging.certPem),
            selfSigned: false,
          },
        ],
        { trusted: false, verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
      ),
    );
  });

  test('each probe is one connection and the endpoint sees it', async () => {
    const before = endpoint.connections();
    await probe('valid.chainboard.test');
    assert.equal(endpoint.connections(), before + 1);
  });
});

describe('probeTls when the handshake fails', () => {
  test('a port that refuses connections is reported as refused', async () => {
    const port = await closedPort();
    const r = await probeTls({ host: 'closed.chainboard.test', address: '127.0.0.1', port, timeoutMs: 3000, now });
    assert.deepEqual(r, {
      status: 'error',
      host: 'closed.chainboard.test',
      target: `127.0.0.1:${port}`,
      checkedAt: CHECKED_AT,
      errorKind: 'refused',
      error: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  test('a server that accepts but never speaks TLS is reported as a timeout', async () => {
    const s = await tcpServer(() => {});
    try {
      const r = await probeTls({ host: 'silent.chainboard.test', address: '127.0.0.1', port: s.port, timeoutMs: 300, now });
      assert.deepEqual(r, {
        status: 'error',
        host: 'silent.chainboard.test',
        target: `127.0.0.1:${s.port}`,
        checkedAt: CHECKED_AT,
        errorKind: 'timeout',
        error: 'no TLS handshake within 300 ms',
      });
    } finally {
      await s.stop();
    }
  });

  test('a server that answers in plain HTTP is reported as a protocol error', async () => {
    const s = await tcpServer((sock) => sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    try {
      const r = await probeTls({ host: 'plain.chainboard.test', address: '127.0.0.1', port: s.port, timeoutMs: 3000, now });
      assert.deepEqual(r, {
        status: 'error',
        host: 'plain.chainboard.test',
        target: `127.0.0.1:${s.port}`,
        checkedAt: CHECKED_AT,
        errorKind: 'protocol',
        error: 'wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)',
      });
    } finally {
      await s.stop();
    }
  });

  test('a server that hangs up on the ClientHello is reported as a protocol error', async () => {
    const s = await tcpServer((sock) => sock.destroy());
    try {
      const r = await probeTls({ host: 'hangup.chainboard.test', address: '127.0.0.1', port: s.port, timeoutMs: 3000, now });
      assert.equal(r.status, 'error');
      assert.equal(r.status === 'error' ? r.errorKind : undefined, 'protocol');
    } finally {
      await s.stop();
    }
  });

  test('an aborted probe ends at once as cancelled', async () => {
    const s = await tcpServer(() => {});
    try {
      const ac = new AbortController();
      const pending = probeTls({ host: 'slow.chainboard.test', address: '127.0.0.1', port: s.port, timeoutMs: 30_000, now, signal: ac.signal });
      ac.abort();
      assert.deepEqual(await pending, {
        status: 'error',
        host: 'slow.chainboard.test',
        target: `127.0.0.1:${s.port}`,
        checkedAt: CHECKED_AT,
        errorKind: 'other',
        error: 'probe cancelled',
      });
    } finally {
      await s.stop();
    }
  });

  test('network errors map to the kinds the findings use', () => {
    const e = (code: string) => Object.assign(new Error(code), { code });
    assert.deepEqual(
      ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPROTO', 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'EWHATEVER'].map((c) => classifyTlsError(e(c))),
      ['refused', 'timeout', 'unreachable', 'unreachable', 'protocol', 'protocol', 'other'],
    );
  });
});
