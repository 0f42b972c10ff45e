import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import { startTlsEndpoint, type TlsEndpoint } from '../../demo/tls-endpoint';
import { clientHelloSni, startDnsRelay, startTlsRelay, type DnsRelay, type TlsRelay } from './relays';

describe('the recording relays', () => {
  let dns: DnsServer;
  let dnsRelay: DnsRelay;
  let tls: TlsEndpoint;
  let tlsRelay: TlsRelay;
  before(async () => {
    dns = await startDnsServer({ records: { 'app.example.test': { A: ['127.0.0.7'] } } });
    dnsRelay = await startDnsRelay(dns.server);
    tls = await startTlsEndpoint({ hosts: { 'app.example.test': 'valid' } });
    tlsRelay = await startTlsRelay(tls.port);
  });
  after(async () => {
    await Promise.all([dnsRelay.stop(), tlsRelay.stop()]);
    await Promise.all([dns.stop(), tls.stop()]);
  });

  test('the DNS relay passes the answer on and records every name asked, known or not', async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([dnsRelay.server]);
    assert.deepEqual(await resolver.resolve4('app.example.test'), ['127.0.0.7']);
    await assert.rejects(resolver.resolve4('Other.Example.Test'), { code: 'ENOTFOUND' });
    assert.deepEqual([...dnsRelay.queries()], ['app.example.test', 'other.example.test']);
  });

  test('the TLS relay records the SNI of each handshake and completes it with the endpoint behind it', async () => {
    const subject = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: tlsRelay.port, servername: 'app.example.test', ca: tls.caPem }, () => {
        resolve(String(socket.getPeerCertificate().subject?.CN ?? ''));
        socket.end();
      });
      socket.on('error', reject);
    });
    assert.equal(subject, 'app.example.test');
    assert.deepEqual([...tlsRelay.handshakes()], ['app.example.test']);
  });

  test('a ClientHello is read only once it is whole, and anything else names no server', () => {
    assert.equal(clientHelloSni(Buffer.from([0x16, 0x03, 0x01])), undefined);
    assert.equal(clientHelloSni(Buffer.from('GET / HTTP/1.1\r\n\r\n')), null);
  });
});
