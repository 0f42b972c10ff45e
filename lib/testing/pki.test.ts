import assert from 'node:assert/strict';
import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { waitFor } from './net';
import { createCa, createKeyPair, issueCertificate, type CertificateAuthority, type IssuedCertificate } from './pki';

const DAY = 24 * 60 * 60 * 1000;

interface Handshake {
  authorized: boolean;
  error?: string;
  /** What the server saw of the client's certificate. */
  clientSubject?: string;
}

/** Serves `served` on 127.0.0.1 (asking for a client certificate signed by `clientCa` when given). */
async function tlsServer(served: IssuedCertificate, clientCa?: CertificateAuthority): Promise<{ server: Server; port: number; peers: Handshake[] }> {
  const peers: Handshake[] = [];
  const server = createServer({ cert: served.cert, key: served.key, requestCert: !!clientCa, rejectUnauthorized: false, ca: clientCa?.certPem }, (s: TLSSocket) => {
    const peer = s.getPeerCertificate();
    peers.push({ authorized: s.authorized, clientSubject: peer.subject ? `CN=${peer.subject.CN}, O=${peer.subject.O}` : undefined });
    s.end();
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, peers };
}

/** One handshake as a client trusting `ca`; `servername` undefined checks the IP address instead. */
function handshake(port: number, ca: string, servername: string | undefined, client?: IssuedCertificate): Promise<Handshake> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca, servername, rejectUnauthorized: false, cert: client?.cert, key: client?.key }, () => {
      const seen = { authorized: s.authorized, error: s.authorizationError ? String(s.authorizationError) : undefined };
      // end, not destroy: with TLS 1.3 the client's certificate is still in flight when secureConnect fires.
      s.on('close', () => resolve(seen));
      s.resume();
      s.end();
    });
    s.on('error', (e) => resolve({ authorized: false, error: e.message }));
  });
}

describe('the test PKI', () => {
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  const servers: Server[] = [];

  before(async () => {
    root = await createCa({ name: [{ O: ['Chainboard Tests'] }, { CN: ['Test Root'] }] });
    intermediate = await createCa({ name: 'CN=Test Intermediate', issuer: root });
  });
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  async function serve(cert: IssuedCertificate, clientCa?: CertificateAuthority) {
    const t = await tlsServer(cert, clientCa);
    servers.push(t.server);
    return t;
  }

  it('issues a server certificate a client trusting only the root accepts, by DNS name and by IP address', async () => {
    const leaf = await issueCertificate(intermediate, { dns: ['shop.chainboard.test'], ip: ['127.0.0.1'] });
    const { port } = await serve(leaf);
    assert.deepEqual(await handshake(port, root.certPem, 'shop.chainboard.test'), { authorized: true, error: undefined });
    assert.deepEqual(await handshake(port, root.certPem, undefined), { authorized: true, error: undefined });
    assert.deepEqual(await handshake(port, root.certPem, 'other.chainboard.test'), { authorized: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('sends the intermediates after the leaf, and never the root', () => {
    assert.equal(root.chainPem, '');
    assert.equal(intermediate.chainPem, intermediate.certPem.trim());
  });

  it('names the subject after the first SAN, and puts the SANs in the certificate', async () => {
    const leaf = await issueCertificate(root, { dns: ['a.chainboard.test', '*.b.chainboard.test'], ip: ['10.0.0.1'] });
    const x = new X509Certificate(leaf.cert);
    assert.equal(x.subject, 'CN=a.chainboard.test');
    assert.equal(x.subjectAltName, 'DNS:a.chainboard.test, DNS:*.b.chainboard.test, IP Address:10.0.0.1');
    assert.equal(x.issuer, 'O=Chainboard Tests\nCN=Test Root');
    assert.ok(x.checkIssued(new X509Certificate(root.certPem)));
    assert.equal(x.ca, false);
    assert.equal(new X509Certificate(intermediate.certPem).ca, true);
  });

  it('honours the validity window: an expired certificate fails the handshake', async () => {
    const now = Date.now();
    const expired = await issueCertificate(root, { dns: ['old.chainboard.test'], notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 10 * DAY) });
    const x = new X509Certificate(expired.cert);
    assert.equal(new Date(x.validTo).getTime(), Math.floor((now - 10 * DAY) / 1000) * 1000);
    const { port } = await serve(expired);
    assert.deepEqual(await handshake(port, root.certPem, 'old.chainboard.test'), { authorized: false, error: 'CERT_HAS_EXPIRED' });
  });

  it('defaults to a window from an hour ago to a week ahead', async () => {
    const now = Date.UTC(2030, 0, 1);
    const x = new X509Certificate((await issueCertificate(root, { dns: ['w.chainboard.test'], now })).cert);
    assert.equal(new Date(x.validFrom).getTime(), now - 60 * 60 * 1000);
    assert.equal(new Date(x.validTo).getTime(), now + 7 * DAY);
  });

  it('issues a client certificate with the subject given and no SAN, which the server accepts', async () => {
    const client = await issueCertificate(root, { usage: 'client', subject: 'CN=admin, O=system:masters' });
    const x = new X509Certificate(client.cert);
    assert.equal(x.subjectAltName, undefined);
    const { port, peers } = await serve(await issueCertificate(root, { ip: ['127.0.0.1'] }), root);
    assert.equal((await handshake(port, root.certPem, undefined, client)).authorized, true);
    await waitFor('the server to see the client', () => peers.length > 0);
    assert.deepEqual(peers, [{ authorized: true, clientSubject: 'CN=admin, O=system:masters' }]);
  });

  it('keeps client and server usage apart: a client certificate does not serve TLS', async () => {
    const client = await issueCertificate(root, { usage: 'client', dns: ['c.chainboard.test'] });
    const { port } = await serve(client);
    const h = await handshake(port, root.certPem, 'c.chainboard.test');
    assert.equal(h.authorized, false);
    assert.match(h.error ?? '', /PURPOSE/i);
  });

  it('makes key pairs whose PEM halves belong together', async () => {
    const pair = await createKeyPair();
    const fromPrivate = createPublicKey(createPrivateKey(pair.privateKeyPem)).export({ type: 'spki', format: 'pem' });
    assert.equal(fromPrivate, pair.publicKeyPem);
    assert.match(root.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });
});
