// The sharing, badge, login and metrics route handlers called as Next calls them (a Request and a params
// promise), over the sample cluster loaded as a dump: share links, badges, the share page's data, login
// and metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getApp, setApp } from '../server/current';
import { sampleApp, withApp } from '../server/testing';

const SECRET = 'route-test-share-secret-0123456789abcdef';
const AUTH = 'route-test-dashboard-token-0123';

type ShareRoute = typeof import('../../app/api/v1/share/route');
type BadgeRoute = typeof import('../../app/api/v1/domains/[host]/badge.svg/route');
type SharedBadgeRoute = typeof import('../../app/api/v1/share/[token]/badge.svg/route');
type SharedJsonRoute = typeof import('../../app/api/v1/share/[token]/route');
type LoginRoute = typeof import('../../app/api/login/route');
type MetricsRoute = typeof import('../../app/api/metrics/route');

let share: ShareRoute;
let badge: BadgeRoute;
let sharedBadge: SharedBadgeRoute;
let sharedJson: SharedJsonRoute;
let login: LoginRoute;
let metrics: MetricsRoute;
/** The share service of the app the routes answer from. */
const service = { openSharedDomain: (token: string, now: Date) => getApp().share.openSharedDomain(token, now) };

before(async () => {
  setApp(sampleApp());
  [share, badge, sharedBadge, sharedJson, login, metrics] = await Promise.all([
    import('../../app/api/v1/share/route'),
    import('../../app/api/v1/domains/[host]/badge.svg/route'),
    import('../../app/api/v1/share/[token]/badge.svg/route'),
    import('../../app/api/v1/share/[token]/route'),
    import('../../app/api/login/route'),
    import('../../app/api/metrics/route'),
  ]);
});

after(() => setApp(undefined)?.stop());

/** Run `fn` against an app configured with these variables (undefined: unset) over the sample dump. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const env = Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
  return withApp(sampleApp(env), fn);
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1:3000/api/v1/share', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const params = <T>(p: T) => ({ params: Promise.resolve(p) });

async function makeLink(host: string, ttl = '1d'): Promise<{ token: string; id: string; path: string; badgePath: string; expiresAt: string; host: string }> {
  const res = await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET, CHAINBOARD_AUTH_TOKEN: undefined }, () => share.POST(post({ host, ttl })));
  assert.equal(res.status, 201);
  return res.json();
}

describe('POST /api/v1/share', () => {
  test('without a secret, sharing is off: 403 and a message that says so', async () => {
    const res = await withEnv({ CHAINBOARD_SHARE_SECRET: undefined, CHAINBOARD_AUTH_TOKEN: undefined }, () => share.POST(post({ host: 'checkout.acme.junovy.com' })));
    assert.equal(res.status, 403);
    assert.match((await res.json()).error.message, /Sharing is off: CHAINBOARD_SHARE_SECRET is not set/);
    const status = await withEnv({ CHAINBOARD_SHARE_SECRET: undefined }, () => share.GET(new Request('http://x/api/v1/share')));
    assert.deepEqual(await status.json(), { enabled: false, message: 'Sharing is off: CHAINBOARD_SHARE_SECRET is not set.' });
  });

  test('makes a link to an existing host, valid for the asked time', async () => {
    const before = Date.now();
    const link = await makeLink('Checkout.ACME.junovy.com');
    assert.equal(link.host, 'checkout.acme.junovy.com');
    assert.equal(link.path, `/share/${link.token}`);
    assert.equal(link.badgePath, `/api/v1/share/${link.token}/badge.svg`);
    const ttl = Date.parse(link.expiresAt) - before;
    assert.ok(ttl > 86400_000 - 2000 && ttl <= 86400_000, String(ttl));
  });

  test('gives the absolute URL when CHAINBOARD_PUBLIC_URL is set', async () => {
    const res = await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET, CHAINBOARD_PUBLIC_URL: 'https://chainboard.example.com' }, () =>
      share.POST(post({ host: 'www.acme.junovy.com' })),
    );
    const body = await res.json();
    assert.equal(body.url, `https://chainboard.example.com/share/${body.token}`);
  });

  test('answers 404 for a host the cluster does not serve, 400 for bad input, 415 for non-JSON', async () => {
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, async () => {
      assert.equal((await share.POST(post({ host: 'nope.example.com' }))).status, 404);
      assert.equal((await share.POST(post({ host: 'not a host' }))).status, 400);
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com', ttl: '1000d' }))).status, 400);
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com', ttl: 10 }))).status, 400);
      assert.equal((await share.POST(post({}))).status, 400);
      assert.equal((await share.POST(post('{not json'))).status, 400);
      assert.equal((await share.POST(post([1]))).status, 400);
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com' }, { 'content-type': 'text/plain' }))).status, 415);
    });
  });

  test('needs the dashboard auth when CHAINBOARD_AUTH_TOKEN is set, even without the proxy', async () => {
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET, CHAINBOARD_AUTH_TOKEN: AUTH }, async () => {
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com' }))).status, 401);
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com' }, { authorization: 'Bearer wrong' }))).status, 401);
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com' }, { authorization: `Bearer ${AUTH}` }))).status, 201);
    });
  });
});

describe('opening a share link', () => {
  test('shows the redacted domain of the token and nothing internal', async () => {
    const link = await makeLink('git.initech.junovy.com');
    const opened = await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, () => service.openSharedDomain(link.token, new Date()));
    assert.equal(opened.status, 'ok');
    assert.ok(opened.status === 'ok');
    assert.equal(opened.domain.host, 'git.initech.junovy.com');
    const text = JSON.stringify(opened);
    assert.ok(!/10\.42\.|worker-\d|kubectl/.test(text), text);
  });

  test('GET /api/v1/share/{token} answers the same redacted view as JSON, which names no object of the chain', async () => {
    const link = await makeLink('checkout.acme.junovy.com');
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET, CHAINBOARD_AUTH_TOKEN: AUTH }, async () => {
      // Public like the page: the token is the credential, even with the dashboard's own sign-in on.
      const res = await sharedJson.GET(new Request(`http://x/api/v1/share/${link.token}`), params({ token: link.token }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      const text = await res.text();
      const body = JSON.parse(text);
      assert.equal(body.domain.host, 'checkout.acme.junovy.com');
      assert.equal(body.domain.health, 'down');
      assert.equal(body.expiresAt, link.expiresAt);
      const opened = await service.openSharedDomain(link.token, new Date());
      assert.ok(opened.status === 'ok');
      assert.deepEqual(body.domain, opened.domain);
      // The Service, its Secret, the namespace, the Ingress class, a Pod and its node, as whole words.
      const rest = text.split('checkout.acme.junovy.com').join(' ');
      for (const name of ['checkout', 'checkout-tls', 'hst-acme', 'traefik-external', 'letsencrypt', 'checkout-q8x4sv2bzk-r7fpn', 'worker-2', '10.42.2.15']) {
        assert.ok(!new RegExp(`(?<![\\w.-])${name.replace(/\./g, '\\.')}(?![\\w-])`).test(rest), `${name} in ${text}`);
      }
    });
  });

  test('GET /api/v1/share/{token} refuses a tampered or expired token with a 403 that names no domain', async () => {
    const link = await makeLink('checkout.acme.junovy.com');
    const tampered = `${link.token.slice(0, -2)}AA`;
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, async () => {
      const res = await sharedJson.GET(new Request(`http://x/api/v1/share/${tampered}`), params({ token: tampered }));
      assert.equal(res.status, 403);
      const text = await res.text();
      assert.equal(JSON.parse(text).error.reason, 'Forbidden');
      assert.ok(!text.includes('checkout'), text);
    });
  });

  test('a link listed in CHAINBOARD_SHARE_REVOKED is refused, page and badge; other links of the host still work', async () => {
    const link = await makeLink('git.initech.junovy.com');
    // Another lifetime, so another token (a token is determined by host and expiry).
    const other = await makeLink('git.initech.junovy.com', '2d');
    const id = link.id;
    assert.notEqual(other.id, id);
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET, CHAINBOARD_SHARE_REVOKED: id }, async () => {
      const opened = await service.openSharedDomain(link.token, new Date());
      assert.ok(opened.status === 'refused' && opened.verification.status === 'revoked');
      assert.match(opened.message, /withdrawn/);
      assert.ok(!opened.message.includes('git.initech'), 'the refusal names no domain');
      const badgeRes = await sharedBadge.GET(new Request(`http://x/api/v1/share/${link.token}/badge.svg`), { params: Promise.resolve({ token: link.token }) });
      assert.equal(badgeRes.status, 403);
      assert.match(await badgeRes.text(), /link revoked/);
      assert.equal((await service.openSharedDomain(other.token, new Date())).status, 'ok');
    });
  });

  test('refuses a tampered, expired or foreign token, and every token once sharing is off', async () => {
    const link = await makeLink('git.initech.junovy.com');
    const [h, c, e, s] = link.token.split('.') as [string, string, string, string];
    assert.equal(Buffer.from(c, 'base64url').toString(), 'default', 'the link names the cluster serving the host');
    const other = Buffer.from('www.acme.junovy.com').toString('base64url');
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, async () => {
      const tampered = await service.openSharedDomain(`${other}.${c}.${e}.${s}`, new Date());
      assert.ok(tampered.status === 'refused' && tampered.verification.status === 'bad-signature');
      const otherCluster = await service.openSharedDomain(`${h}.${Buffer.from('us').toString('base64url')}.${e}.${s}`, new Date());
      assert.ok(otherCluster.status === 'refused' && otherCluster.verification.status === 'bad-signature', 'changing the cluster breaks the signature');
      const expired = await service.openSharedDomain(link.token, new Date(Date.parse(link.expiresAt) + 1000));
      assert.ok(expired.status === 'refused' && expired.verification.status === 'expired');
      assert.ok(!expired.message.includes('git.initech'), 'the refusal names no domain');
      assert.equal((await service.openSharedDomain(`${h}.${c}.${e}.${s}x`, new Date())).status, 'refused');
    });
    await withEnv({ CHAINBOARD_SHARE_SECRET: 'a-different-secret-of-another-chainboard' }, async () => {
      const foreign = await service.openSharedDomain(link.token, new Date());
      assert.ok(foreign.status === 'refused' && foreign.verification.status === 'bad-signature');
    });
    await withEnv({ CHAINBOARD_SHARE_SECRET: undefined }, async () => {
      const off = await service.openSharedDomain(link.token, new Date());
      assert.ok(off.status === 'refused' && off.verification.status === 'disabled');
    });
  });
});

describe('badges', () => {
  test('GET /api/v1/domains/{host}/badge.svg shows health and reason, with ETag revalidation', async () => {
    const req = (h: Record<string, string> = {}) => new Request('http://x/api/v1/domains/checkout.acme.junovy.com/badge.svg', { headers: h });
    const res = await badge.GET(req(), params({ host: 'checkout.acme.junovy.com' }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache, max-age=0');
    const svg = await res.text();
    assert.match(svg, /<title>checkout\.acme\.junovy\.com: down: no ready endpoints<\/title>/);
    const again = await badge.GET(req({ 'if-none-match': res.headers.get('etag')! }), params({ host: 'checkout.acme.junovy.com' }));
    assert.equal(again.status, 304);
  });

  test('a badge per documented health of the sample cluster', async () => {
    const want: Record<string, string> = {
      'app.my-client.junovy.com': 'healthy',
      'api.acme.junovy.com': 'degraded: pod running but not ready',
      'blog.northwind.junovy.com': 'down: backend Service missing',
      'billing.umbrella.junovy.com': 'down: certificate in Secret expired',
    };
    for (const [host, message] of Object.entries(want)) {
      const svg = await (await badge.GET(new Request(`http://x/api/v1/domains/${host}/badge.svg`), params({ host }))).text();
      assert.ok(svg.includes(`<title>${host}: ${message}</title>`), `${host}: ${svg.slice(0, 300)}`);
    }
  });

  test('a label replaces the host; an unknown host gets a 404 badge', async () => {
    const labelled = await (await badge.GET(new Request('http://x/b.svg?label=shop'), params({ host: 'www.acme.junovy.com' }))).text();
    assert.match(labelled, /<title>shop: healthy<\/title>/);
    const missing = await badge.GET(new Request('http://x/b.svg'), params({ host: 'nope.example.com' }));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<title>nope\.example\.com: not found<\/title>/);
    const invalid = await badge.GET(new Request('http://x/b.svg'), params({ host: '<script>' }));
    assert.equal(invalid.status, 400);
    assert.match(await invalid.text(), /<title>chainboard: invalid host<\/title>/);
  });

  test('the signed badge works for a share link and refuses a tampered one without naming the host', async () => {
    const link = await makeLink('checkout.acme.junovy.com');
    await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, async () => {
      const ok = await sharedBadge.GET(new Request(`http://x${link.badgePath}`), params({ token: link.token }));
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /<title>checkout\.acme\.junovy\.com: down: no ready endpoints<\/title>/);
      const bad = await sharedBadge.GET(new Request('http://x/b.svg'), params({ token: `${link.token.slice(0, -2)}AA` }));
      assert.equal(bad.status, 403);
      const text = await bad.text();
      assert.match(text, /<title>chainboard: invalid link<\/title>/);
      assert.ok(!text.includes('checkout'));
    });
  });
});

describe('POST /api/login', () => {
  const form = (fields: Record<string, string>, url = 'http://127.0.0.1:3000/api/login') =>
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  test('the right token sets an HttpOnly SameSite=Strict session cookie and goes on to next', async () => {
    const res = await withEnv({ CHAINBOARD_AUTH_TOKEN: AUTH }, () => login.POST(form({ token: AUTH, next: '/d/www.acme.junovy.com' })));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/d/www.acme.junovy.com');
    assert.match(res.headers.get('set-cookie')!, /^chainboard_session=\d+\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    assert.ok(!res.headers.get('set-cookie')!.includes(AUTH));
  });

  test('the cookie is Secure behind a TLS-terminating proxy', async () => {
    const req = form({ token: AUTH, next: '/' });
    req.headers.set('x-forwarded-proto', 'https');
    const res = await withEnv({ CHAINBOARD_AUTH_TOKEN: AUTH }, () => login.POST(req));
    assert.match(res.headers.get('set-cookie')!, /; Secure$/);
  });

  test('a wrong token goes back to the form with an error and no cookie; next never leaves the site', async () => {
    const res = await withEnv({ CHAINBOARD_AUTH_TOKEN: AUTH }, () => login.POST(form({ token: 'wrong', next: '//evil.example/x' })));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?error=1&next=%2F');
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('logout clears the cookie', async () => {
    const res = await login.POST(form({ action: 'logout' }));
    assert.match(res.headers.get('set-cookie')!, /^chainboard_session=; Path=\/; Max-Age=0/);
  });
});

describe('GET /api/metrics', () => {
  test('serves Prometheus text with the sample cluster’s domains, and the requests the app answered', async () => {
    // The registry is the app's: the share link is made on the app that is scraped.
    const res = await withEnv({ CHAINBOARD_SHARE_SECRET: SECRET }, async () => {
      assert.equal((await share.POST(post({ host: 'www.acme.junovy.com' }))).status, 201);
      return metrics.GET(new Request('http://127.0.0.1/api/metrics'));
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^chainboard_domain_health\{cluster="default",host="checkout\.acme\.junovy\.com",namespace="hst-acme",health="down"\} 1$/m);
    assert.match(text, /^chainboard_domain_health\{cluster="default",host="app\.my-client\.junovy\.com",namespace="hst-my-client",health="healthy"\} 1$/m);
    assert.match(text, /^chainboard_ready\{cluster="default"\} 1$/m);
    assert.match(text, /^chainboard_http_request_duration_seconds_count\{route="\/api\/v1\/share",method="POST",status="201"\} \d+$/m);
  });

  test('is guarded like the rest of the API when CHAINBOARD_AUTH_TOKEN is set', async () => {
    await withEnv({ CHAINBOARD_AUTH_TOKEN: AUTH }, async () => {
      assert.equal((await metrics.GET(new Request('http://127.0.0.1/api/metrics'))).status, 401);
      assert.equal((await metrics.GET(new Request('http://127.0.0.1/api/metrics', { headers: { authorization: `Bearer ${AUTH}` } }))).status, 200);
    });
  });
});
