import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../server/app';
import { setApp } from '../server/current';
import { sampleApp, withApp } from '../server/testing';
import { CLIENT_LIMIT, clientAddress, createLoginThrottle, GLOBAL_LIMIT, loginThrottleSettings, MAX_TRACKED_CLIENTS, UNKNOWN_CLIENT } from './throttle';

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-11-26T09:30:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), date: () => new Date(t) };
}

describe('the login throttle', () => {
  test('a client may fail a burst of attempts, then waits for the next one with a Retry-After in whole seconds', () => {
    const c = clock();
    const throttle = createLoginThrottle({ now: c.now });
    for (let i = 0; i < CLIENT_LIMIT.burst; i++) {
      assert.equal(throttle.retryAfter('203.0.113.7'), undefined, `attempt ${i + 1}`);
      throttle.failed('203.0.113.7');
    }
    assert.equal(throttle.retryAfter('203.0.113.7'), CLIENT_LIMIT.refillMs / 1000);
    c.advance(CLIENT_LIMIT.refillMs - 1500);
    assert.equal(throttle.retryAfter('203.0.113.7'), 2);
    c.advance(1500);
    assert.equal(throttle.retryAfter('203.0.113.7'), undefined);
    throttle.failed('203.0.113.7');
    assert.equal(throttle.retryAfter('203.0.113.7'), CLIENT_LIMIT.refillMs / 1000);
  });

  test('one client being throttled does not hold back another', () => {
    const throttle = createLoginThrottle({ now: clock().now });
    for (let i = 0; i < CLIENT_LIMIT.burst; i++) throttle.failed('203.0.113.7');
    assert.notEqual(throttle.retryAfter('203.0.113.7'), undefined);
    assert.equal(throttle.retryAfter('198.51.100.20'), undefined);
  });

  test('failures from many addresses together are bounded by the shared budget', () => {
    const c = clock();
    const throttle = createLoginThrottle({ now: c.now });
    for (let i = 0; i < GLOBAL_LIMIT.burst; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(throttle.retryAfter('198.51.100.20'), Math.ceil(GLOBAL_LIMIT.refillMs / 1000));
    c.advance(GLOBAL_LIMIT.refillMs);
    assert.equal(throttle.retryAfter('198.51.100.20'), undefined);
  });

  test('a hundred thousand distinct addresses leave at most the configured number of clients in memory', () => {
    const c = clock();
    const throttle = createLoginThrottle({ now: c.now });
    for (let i = 0; i < 100_000; i++) {
      throttle.failed(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      c.advance(1);
      assert.ok(throttle.trackedClients <= MAX_TRACKED_CLIENTS);
    }
    assert.equal(throttle.trackedClients, MAX_TRACKED_CLIENTS);
  });

  test('clients that stop failing are forgotten once their budget has refilled', () => {
    const c = clock();
    const throttle = createLoginThrottle({ now: c.now });
    for (let i = 0; i < 50; i++) throttle.failed(`10.0.0.${i}`);
    c.advance(CLIENT_LIMIT.burst * CLIENT_LIMIT.refillMs);
    for (let i = 0; i < 50; i++) throttle.failed(`10.0.1.${i}`);
    assert.equal(throttle.trackedClients, 50);
  });

  test('a clock stepped back refills nothing and breaks nothing', () => {
    const c = clock();
    const throttle = createLoginThrottle({ now: c.now });
    for (let i = 0; i < CLIENT_LIMIT.burst; i++) throttle.failed('203.0.113.7');
    c.advance(-3600_000);
    assert.equal(throttle.retryAfter('203.0.113.7'), CLIENT_LIMIT.refillMs / 1000);
  });
});

describe('clientAddress', () => {
  test('is the last X-Forwarded-For entry: the peer of the proxy that talks to Chainboard, or of Next', () => {
    assert.equal(clientAddress('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddress('198.51.100.1, 203.0.113.7'), '203.0.113.7');
  });

  test('skips the entries of the trusted proxies, and takes the first when there are fewer', () => {
    assert.equal(clientAddress('198.51.100.1, 203.0.113.7', 1), '198.51.100.1');
    assert.equal(clientAddress('198.51.100.1, 203.0.113.7, 10.0.0.2', 1), '203.0.113.7');
    assert.equal(clientAddress('203.0.113.7', 3), '203.0.113.7');
  });

  test('writes one address one way: ports, brackets, case and IPv4-mapped IPv6 removed', () => {
    assert.equal(clientAddress('203.0.113.7:51234'), '203.0.113.7');
    assert.equal(clientAddress('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddress('[2001:DB8::1]:443'), '2001:db8:0:0::/64');
  });

  test('counts an IPv6 client by its /64, so its other addresses buy no new attempts', () => {
    assert.equal(clientAddress('2001:db8:aa:bb:1:2:3:4'), '2001:db8:aa:bb::/64');
    assert.equal(clientAddress('2001:db8:aa:bb::99'), '2001:db8:aa:bb::/64');
    assert.equal(clientAddress('2001:0db8:00aa:00bb:ffff::'), '2001:db8:aa:bb::/64');
    assert.equal(clientAddress('::1'), '0:0:0:0::/64');
    assert.equal(clientAddress('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
    assert.equal(clientAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });

  test('a throttle told of a trusted proxy skips its entry', () => {
    const throttle = createLoginThrottle({ trustedProxies: 1 });
    assert.equal(throttle.clientOf(new Headers({ 'x-forwarded-for': '203.0.113.7, 10.0.0.2' })), '203.0.113.7');
    assert.equal(createLoginThrottle().clientOf(new Headers({ 'x-forwarded-for': '203.0.113.7, 10.0.0.2' })), '10.0.0.2');
  });

  test('CHAINBOARD_TRUSTED_PROXIES is a small whole number, 0 when unset, and anything else is an error that names it', () => {
    assert.deepEqual(loginThrottleSettings({}), { ok: true, value: { trustedProxies: 0 } });
    assert.deepEqual(loginThrottleSettings({ CHAINBOARD_TRUSTED_PROXIES: ' 1 ' }), { ok: true, value: { trustedProxies: 1 } });
    for (const bad of ['-1', '1.5', '10', 'yes', 'traefik']) {
      const parsed = loginThrottleSettings({ CHAINBOARD_TRUSTED_PROXIES: bad });
      assert.ok(!parsed.ok && parsed.error.startsWith('CHAINBOARD_TRUSTED_PROXIES must be'), bad);
    }
  });

  test('anything that is not an address is one client, unknown, whatever its length', () => {
    for (const raw of [null, undefined, '', ' , ', 'unknown', 'not-an-ip', 'x'.repeat(10_000), '999.1.1.1', '1.2.3.4, evil']) {
      assert.equal(clientAddress(raw), UNKNOWN_CLIENT, String(raw).slice(0, 40));
    }
  });
});

describe('POST /api/login under attack', () => {
  const AUTH = 'throttle-test-dashboard-token-0123';
  let login: typeof import('../../app/api/login/route');

  before(async () => {
    login = await import('../../app/api/login/route');
  });
  after(() => setApp(undefined)?.stop());

  const form = (token: string, client: string, headers: Record<string, string> = {}) =>
    new Request('http://127.0.0.1:3000/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client, ...headers },
      body: new URLSearchParams({ token, next: '/d/www.acme.junovy.com' }).toString(),
    });
  const browser = { 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  const withLoginApp = <T>(fn: (app: App, c: ReturnType<typeof clock>) => Promise<T>) => {
    const c = clock();
    return withApp(sampleApp({ CHAINBOARD_AUTH_TOKEN: AUTH }, c.date), (app) => fn(app, c));
  };

  test('two hundred wrong tokens at once from one client: only the first few are tried, the rest get 429 with Retry-After', async () => {
    await withLoginApp(async () => {
      const answers = await Promise.all(Array.from({ length: 200 }, () => login.POST(form('wrong-token', '203.0.113.7'))));
      const tried = answers.filter((r) => r.status === 303);
      const refused = answers.filter((r) => r.status === 429);
      assert.equal(tried.length, CLIENT_LIMIT.burst);
      assert.ok(tried.every((r) => r.headers.get('location') === '/login?error=1&next=%2Fd%2Fwww.acme.junovy.com'));
      assert.equal(refused.length, 200 - CLIENT_LIMIT.burst);
      assert.equal(refused[0]!.headers.get('retry-after'), String(CLIENT_LIMIT.refillMs / 1000));
      const body = (await refused[0]!.json()) as { error: { status: number; reason: string; message: string } };
      assert.equal(body.error.status, 429);
      assert.match(body.error.message, /^too many failed sign-ins: try again in 60 s$/);
    });
  });

  test('a throttled client is refused even with the right token, and a client that is not throttled signs in', async () => {
    await withLoginApp(async () => {
      for (let i = 0; i < CLIENT_LIMIT.burst; i++) await login.POST(form('wrong-token', '203.0.113.7'));
      const throttled = await login.POST(form(AUTH, '203.0.113.7'));
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('set-cookie'), null);
      const other = await login.POST(form(AUTH, '198.51.100.20'));
      assert.equal(other.status, 303);
      assert.equal(other.headers.get('location'), '/d/www.acme.junovy.com');
      assert.match(other.headers.get('set-cookie')!, /^chainboard_session=/);
    });
  });

  test('right tokens are never counted: a client signs in any number of times', async () => {
    await withLoginApp(async () => {
      for (let i = 0; i < CLIENT_LIMIT.burst * 3; i++) {
        assert.match((await login.POST(form(AUTH, '203.0.113.7'))).headers.get('set-cookie') ?? '', /^chainboard_session=/, `sign-in ${i + 1}`);
      }
    });
  });

  test('a browser that is throttled goes back to the login page, told why, with Retry-After', async () => {
    await withLoginApp(async () => {
      for (let i = 0; i < CLIENT_LIMIT.burst; i++) await login.POST(form('wrong-token', '203.0.113.7', browser));
      const res = await login.POST(form('wrong-token', '203.0.113.7', browser));
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?error=throttled&next=%2Fd%2Fwww.acme.junovy.com');
      assert.equal(res.headers.get('retry-after'), '60');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const older = await login.POST(form('wrong-token', '203.0.113.7', { accept: browser.accept }));
      assert.equal(older.status, 303, 'a browser without Sec-Fetch headers is told by its Accept');
      const script = await login.POST(form('wrong-token', '203.0.113.7', { 'sec-fetch-mode': 'cors', accept: browser.accept }));
      assert.equal(script.status, 429, 'a fetch() from a page is not a navigation');
    });
  });

  test('the wait ends on the app’s clock', async () => {
    await withLoginApp(async (_app, c) => {
      for (let i = 0; i < CLIENT_LIMIT.burst; i++) await login.POST(form('wrong-token', '203.0.113.7'));
      assert.equal((await login.POST(form(AUTH, '203.0.113.7'))).status, 429);
      c.advance(CLIENT_LIMIT.refillMs);
      assert.equal((await login.POST(form(AUTH, '203.0.113.7'))).status, 303);
    });
  });

  test('each app keeps its own count', async () => {
    await withLoginApp(async () => {
      for (let i = 0; i < CLIENT_LIMIT.burst; i++) await login.POST(form('wrong-token', '203.0.113.7'));
      assert.equal((await login.POST(form(AUTH, '203.0.113.7'))).status, 429);
    });
    await withLoginApp(async () => {
      assert.equal((await login.POST(form(AUTH, '203.0.113.7'))).status, 303);
    });
  });
});
