import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import { probeDns } from './dns';

// Every lookup in this file goes to the DNS server the test starts on 127.0.0.1, never to the system resolver.
const NOW = Date.parse('2026-03-01T12:00:00Z');
const now = () => NOW;
const CHECKED_AT = '2026-03-01T12:00:00.000Z';

let dns: DnsServer;
const lookup = (host: string) => probeDns({ host, servers: [dns.server], timeoutMs: 2000, now });

describe('probeDns against a local authoritative DNS server', () => {
  before(async () => {
    dns = await startDnsServer({
      records: {
        'shop.chainboard.test': { A: ['127.0.0.20', '127.0.0.10'] },
        'v6.chainboard.test': { AAAA: ['::1'] },
        'dual.chainboard.test': { A: ['127.0.0.30'], AAAA: ['fd00::30'] },
        'www.chainboard.test': { CNAME: 'lb.chainboard.test' },
        'lb.chainboard.test': { CNAME: 'edge.chainboard.test' },
        'edge.chainboard.test': { A: ['127.0.0.40'] },
        'empty.chainboard.test': {},
        'dangling.chainboard.test': { CNAME: 'gone.chainboard.test' },
      },
    });
  });
  after(() => dns.stop());

  test('A records are returned sorted, with no AAAA and no CNAME', async () => {
    assert.deepEqual(await lookup('shop.chainboard.test'), {
      status: 'ok',
      host: 'shop.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
      a: ['127.0.0.10', '127.0.0.20'],
      aaaa: [],
      cname: [],
    });
  });

  test('a name with only AAAA records resolves', async () => {
    assert.deepEqual(await lookup('v6.chainboard.test'), {
      status: 'ok',
      host: 'v6.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
      a: [],
      aaaa: ['::1'],
      cname: [],
    });
  });

  test('a name with A and AAAA records returns both', async () => {
    assert.deepEqual(await lookup('dual.chainboard.test'), {
      status: 'ok',
      host: 'dual.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
      a: ['127.0.0.30'],
      aaaa: ['fd00::30'],
      cname: [],
    });
  });

  test('a CNAME chain is followed to the end and its addresses are the final target\'s', async () => {
    assert.deepEqual(await lookup('www.chainboard.test'), {
      status: 'ok',
      host: 'www.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
      a: ['127.0.0.40'],
      aaaa: [],
      cname: ['lb.chainboard.test', 'edge.chainboard.test'],
    });
  });

  test('an unknown name is NXDOMAIN', async () => {
    assert.deepEqual(await lookup('missing.chainboard.test'), {
      status: 'nxdomain',
      host: 'missing.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
    });
  });

  test('a name that exists without addresses has no records', async () => {
    assert.deepEqual(await lookup('empty.chainboard.test'), {
      status: 'no-records',
      host: 'empty.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
    });
  });

  test('a CNAME to a name without addresses has no records, and names where the chain ends', async () => {
    assert.deepEqual(await lookup('dangling.chainboard.test'), {
      status: 'no-records',
      host: 'dangling.chainboard.test',
      checkedAt: CHECKED_AT,
      server: dns.server,
      cname: ['gone.chainboard.test'],
    });
  });

  test('a record changed on the server is what the next probe sees', async () => {
    dns.set('moving.chainboard.test', { A: ['127.0.0.50'] });
    const first = await lookup('moving.chainboard.test');
    dns.set('moving.chainboard.test', { A: ['127.0.0.51'] });
    const second = await lookup('moving.chainboard.test');
    dns.set('moving.chainboard.test', undefined);
    const third = await lookup('moving.chainboard.test');
    assert.deepEqual(
      [first, second, third].map((r) => (r.status === 'ok' ? r.a : r.status)),
      [['127.0.0.50'], ['127.0.0.51'], 'nxdomain'],
    );
  });

  test('names are matched without regard to case', async () => {
    const r = await lookup('SHOP.Chainboard.TEST');
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.status === 'ok' ? r.a : [], ['127.0.0.10', '127.0.0.20']);
  });
});

describe('probeDns when no answer comes', () => {
  test('a DNS server that is down is an error, not a negative answer', async () => {
    const s = await startDnsServer({ records: {} });
    const server = s.server;
    await s.stop();
    assert.deepEqual(await probeDns({ host: 'shop.chainboard.test', servers: [server], timeoutMs: 2000, now }), {
      status: 'error',
      host: 'shop.chainboard.test',
      checkedAt: CHECKED_AT,
      server,
      error: 'queryA ECONNREFUSED shop.chainboard.test',
    });
  });

  test('a DNS server that never answers is an error after the timeout', async () => {
    const mute = createSocket('udp4');
    await new Promise<void>((resolve) => mute.bind(0, '127.0.0.1', resolve));
    const server = `127.0.0.1:${mute.address().port}`;
    try {
      assert.deepEqual(await probeDns({ host: 'shop.chainboard.test', servers: [server], timeoutMs: 300, now }), {
        status: 'error',
        host: 'shop.chainboard.test',
        checkedAt: CHECKED_AT,
        server,
        error: 'no DNS answer within 300 ms',
      });
    } finally {
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  test('a DNS server given by name is refused before any query is sent', async () => {
    const r = await probeDns({ host: 'shop.chainboard.test', servers: ['dns.example.com'], timeoutMs: 300, now });
    assert.equal(r.status, 'error');
    assert.match(r.status === 'error' ? r.error : '', /^invalid DNS server setting: /);
  });

  test('an aborted lookup ends as cancelled', async () => {
    const mute = createSocket('udp4');
    await new Promise<void>((resolve) => mute.bind(0, '127.0.0.1', resolve));
    try {
      const ac = new AbortController();
      const pending = probeDns({ host: 'shop.chainboard.test', servers: [`127.0.0.1:${mute.address().port}`], timeoutMs: 30_000, now, signal: ac.signal });
      ac.abort();
      const r = await pending;
      assert.deepEqual(r.status === 'error' ? r.error : r.status, 'probe cancelled');
    } finally {
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });
});
