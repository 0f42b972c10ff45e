import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import { startTlsEndpoint, type TlsEndpoint } from '../../demo/tls-endpoint';
import type { HostProbes } from '../model/probe';
import { ProbeManager, probeAll, type ProbeManagerOptions } from './manager';
import { waitFor } from '../testing/net';
import { loopbackOnly, type ProbeTarget } from './targets';
import { closedPort, startTcpServer, type TestTcpServer } from './testing';

// TLS goes only to servers on 127.0.0.1 and DNS only to the DNS server started here.
let endpoint: TlsEndpoint;
let dns: DnsServer;
let clock = Date.parse('2026-03-01T12:00:00Z');
const now = () => clock;
const managers: ProbeManager[] = [];

const HOSTS = ['shop.acme.test', 'api.acme.test', 'blog.acme.test'] as const;

/** Connection counts settle within milliseconds; the cap only turns a hang into a clear failure. */
const CONNECTIONS_SETTLE = { timeoutMs: 10_000, intervalMs: 5 };

function manager(extra: ProbeManagerOptions = {}): ProbeManager {
  const m = new ProbeManager({
    dnsServers: [dns.server],
    ca: endpoint.caPem,
    now,
    refreshIntervalMs: 0,
    allowAddress: loopbackOnly,
    ...extra,
  });
  managers.push(m);
  return m;
}

const at = (host: string, port = endpoint.port, address = '127.0.0.1'): ProbeTarget => ({ host, address, port });

/** The parts of a result these tests judge: what was served and what resolved. */
function summary(p: HostProbes | undefined) {
  return {
    tls: p?.tls?.status === 'ok' ? { trusted: p.tls.trusted, san: p.tls.chain[0]?.sans[0] } : p?.tls ? { error: p.tls.errorKind } : undefined,
    dns: p?.dns?.status === 'ok' ? p.dns.a : p?.dns?.status,
  };
}

describe('ProbeManager', () => {
  before(async () => {
    endpoint = await startTlsEndpoint({ hosts: { 'shop.acme.test': 'valid', 'api.acme.test': 'valid', 'blog.acme.test': 'expired' } });
    dns = await startDnsServer({ records: Object.fromEntries(HOSTS.map((h) => [h, { A: ['127.0.0.1'] }])) });
  });
  after(async () => {
    for (const m of managers) m.stop();
    await Promise.all([endpoint.stop(), dns.stop()]);
  });

  test('update returns at once and the probe completes in the background', async () => {
    const m = manager();
    const connections = endpoint.connections();
    m.update([at('shop.acme.test')]);
    // Nothing has touched the network yet: update() only queued the work.
    assert.deepEqual(m.results(), {});
    assert.equal(endpoint.connections(), connections);
    assert.deepEqual(m.status(), { hosts: 1, inFlight: 1, queued: 0 });
    await m.idle();
    const r = m.results()['shop.acme.test'];
    assert.deepEqual(summary(r), { tls: { trusted: true, san: 'shop.acme.test' }, dns: ['127.0.0.1'] });
    assert.equal(r?.tls?.checkedAt, new Date(clock).toISOString());
    assert.equal(r?.dns?.checkedAt, new Date(clock).toISOString());
    assert.equal(endpoint.connections(), connections + 1);
  });

  test('a host is probed once however often it is updated, refreshed or read while in flight', async () => {
    const m = manager();
    const connections = endpoint.connections();
    const queries = dns.queries();
    for (let i = 0; i < 5; i++) {
      m.update([at('api.acme.test')]);
      m.refresh();
      m.results();
    }
    await m.idle();
    m.update([at('api.acme.test')]);
    m.results();
    await m.idle();
    assert.equal(endpoint.connections(), connections + 1);
    // One lookup is three queries: A, AAAA and CNAME.
    assert.equal(dns.queries(), queries + 3);
  });

  test('hosts that share an address are each probed with their own SNI', async () => {
    const m = manager();
    const connections = endpoint.connections();
    m.update(HOSTS.map((h) => at(h)));
    await m.idle();
    assert.equal(endpoint.connections(), connections + 3);
    assert.deepEqual(
      Object.fromEntries(Object.entries(m.results()).map(([h, p]) => [h, summary(p)])),
      {
        'shop.acme.test': { tls: { trusted: true, san: 'shop.acme.test' }, dns: ['127.0.0.1'] },
        'api.acme.test': { tls: { trusted: true, san: 'api.acme.test' }, dns: ['127.0.0.1'] },
        'blog.acme.test': { tls: { trusted: false, san: 'blog.acme.test' }, dns: ['127.0.0.1'] },
      },
    );
  });

  test('an ok result is served from the cache until its TTL passes, then probed again', async () => {
    const m = manager({ ttlMs: 60_000 });
    const connections = endpoint.connections();
    m.update([at('shop.acme.test')]);
    await m.idle();
    const first = m.results()['shop.acme.test']?.tls?.checkedAt;

    clock += 59_999;
    m.results();
    await m.idle();
    assert.equal(endpoint.connections(), connections + 1, 'still fresh: no new handshake');
    assert.equal(m.results()['shop.acme.test']?.tls?.checkedAt, first);

    clock += 1;
    const stale = m.results();
    assert.equal(stale['shop.acme.test']?.tls?.checkedAt, first, 'the stale result stays visible while re-probing');
    await m.idle();
    assert.equal(endpoint.connections(), connections + 2);
    assert.equal(m.results()['shop.acme.test']?.tls?.checkedAt, new Date(clock).toISOString());
  });

  test('a failed result is kept for the shorter failure TTL', async () => {
    const hangup = await startTcpServer((s) => s.destroy());
    try {
      const m = manager({ ttlMs: 60_000, failureTtlMs: 15_000 });
      m.update([at('shop.acme.test', hangup.port)]);
      await m.idle();
      assert.deepEqual(summary(m.results()['shop.acme.test']), { tls: { error: 'protocol' }, dns: ['127.0.0.1'] });
      assert.equal(hangup.accepted(), 1);

      clock += 14_999;
      m.refresh();
      await m.idle();
      assert.equal(hangup.accepted(), 1);

      clock += 1;
      m.refresh();
      await m.idle();
      assert.equal(hangup.accepted(), 2);
    } finally {
      await hangup.stop();
    }
  });

  test('no more than `concurrency` hosts are probed at once', async () => {
    const hold = await startTcpServer();
    try {
      const m = manager({ concurrency: 2, timeoutMs: 30_000, dns: false });
      const hosts = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => at(`${x}.acme.test`, hold.port));
      m.update(hosts);
      assert.deepEqual(m.status(), { hosts: 6, inFlight: 2, queued: 4 });
      // Hold every connection until two are open, then reset them so the next two start.
      for (let round = 0; round < 3; round++) {
        await waitFor(`two open connections in round ${round}`, () => hold.open() === 2, CONNECTIONS_SETTLE);
        assert.equal(m.status().inFlight, 2);
        hold.release();
      }
      await m.idle();
      assert.equal(hold.accepted(), 6);
      assert.equal(hold.maxOpen(), 2);
      assert.deepEqual(Object.values(m.results()).map((p) => summary(p).tls), Array(6).fill({ error: 'protocol' }));
    } finally {
      await hold.stop();
    }
  });

  test('hosts no longer in the cluster are dropped with their results, and their probes cancelled', async () => {
    const hold: TestTcpServer = await startTcpServer();
    try {
      const m = manager({ timeoutMs: 30_000 });
      const seen: string[] = [];
      m.onResult((host) => seen.push(host));
      m.update([at('shop.acme.test'), at('api.acme.test')]);
      await m.idle();
      assert.deepEqual(Object.keys(m.results()).sort(), ['api.acme.test', 'shop.acme.test']);

      m.update([at('shop.acme.test'), at('slow.acme.test', hold.port)]);
      assert.deepEqual(Object.keys(m.results()), ['shop.acme.test']);
      await waitFor('the slow probe to connect', () => hold.open() === 1, CONNECTIONS_SETTLE);

      m.update([at('shop.acme.test')]);
      await m.idle();
      await waitFor('the cancelled probe to close its connection', () => hold.open() === 0, CONNECTIONS_SETTLE);
      assert.deepEqual(Object.keys(m.results()), ['shop.acme.test']);
      assert.deepEqual(seen.sort(), ['api.acme.test', 'shop.acme.test']);
    } finally {
      await hold.stop();
    }
  });

  test('a host whose address changes loses its old result and is probed at the new address', async () => {
    const m = manager();
    m.update([at('shop.acme.test')]);
    await m.idle();
    assert.equal(m.results()['shop.acme.test']?.tls?.status, 'ok');
    const port = await closedPort();
    m.update([at('shop.acme.test', port)]);
    assert.deepEqual(m.results(), {});
    await m.idle();
    assert.deepEqual(m.results()['shop.acme.test']?.tls, {
      status: 'error',
      host: 'shop.acme.test',
      target: `127.0.0.1:${port}`,
      checkedAt: new Date(clock).toISOString(),
      errorKind: 'refused',
      error: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  test('listeners hear every new result, a failing listener does not stop the others, and unsubscribing works', async () => {
    const m = manager();
    const heard: [string, string | undefined][] = [];
    m.onResult(() => {
      throw new Error('a broken listener');
    });
    const off = m.onResult((host, p) => heard.push([host, p.tls?.status]));
    m.update([at('shop.acme.test'), at('blog.acme.test')]);
    await m.idle();
    off();
    clock += 120_000;
    m.refresh();
    await m.idle();
    assert.deepEqual(heard.sort(), [
      ['blog.acme.test', 'ok'],
      ['shop.acme.test', 'ok'],
    ]);
  });

  test('an address the guard refuses is never dialled: the host gets a DNS result only', async () => {
    const m = manager();
    m.update([{ host: 'shop.acme.test', address: '192.0.2.10', port: 443 }, { host: 'api.acme.test', port: 443 }]);
    await m.idle();
    assert.deepEqual(
      Object.fromEntries(Object.entries(m.results()).map(([h, p]) => [h, Object.keys(p)])),
      { 'shop.acme.test': ['dns'], 'api.acme.test': ['dns'] },
    );
  });

  test('after stop nothing is probed and probes in flight end', async () => {
    const hold = await startTcpServer();
    try {
      const m = manager({ timeoutMs: 30_000 });
      m.update([at('slow.acme.test', hold.port)]);
      await waitFor('the probe to connect', () => hold.open() === 1, CONNECTIONS_SETTLE);
      m.stop();
      await m.idle();
      await waitFor('the stopped probe to close its connection', () => hold.open() === 0, CONNECTIONS_SETTLE);
      m.update([at('slow.acme.test', hold.port)]);
      m.refresh();
      assert.deepEqual(m.status(), { hosts: 1, inFlight: 0, queued: 0 });
      assert.equal(hold.accepted(), 1);
    } finally {
      await hold.stop();
    }
  });
});

describe('probeAll', () => {
  before(async () => {
    endpoint = await startTlsEndpoint({ hosts: { 'shop.acme.test': 'valid', 'blog.acme.test': 'expired' } });
    dns = await startDnsServer({ records: { 'shop.acme.test': { A: ['127.0.0.1'] } } });
  });
  after(() => Promise.all([endpoint.stop(), dns.stop()]));

  test('probes every target once and returns all results', async () => {
    const connections = endpoint.connections();
    const results = await probeAll([at('shop.acme.test'), at('blog.acme.test')], {
      dnsServers: [dns.server],
      ca: endpoint.caPem,
      concurrency: 1,
      allowAddress: loopbackOnly,
      now,
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(results).map(([h, p]) => [h, summary(p)])),
      {
        'shop.acme.test': { tls: { trusted: true, san: 'shop.acme.test' }, dns: ['127.0.0.1'] },
        'blog.acme.test': { tls: { trusted: false, san: 'blog.acme.test' }, dns: 'nxdomain' },
      },
    );
    assert.equal(endpoint.connections(), connections + 2);
  });

  test('with probing disabled nothing is contacted', async () => {
    const connections = endpoint.connections();
    const queries = dns.queries();
    assert.deepEqual(await probeAll([at('shop.acme.test')], { enabled: false, dnsServers: [dns.server] }), {});
    assert.equal(endpoint.connections(), connections);
    assert.equal(dns.queries(), queries);
  });
});
