import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  authSettings,
  bearerToken,
  classifyRoute,
  clearSessionCookieHeader,
  createSessionValue,
  guardRequest,
  safeNextPath,
  SESSION_MAX_AGE_SECONDS,
  sessionCookieHeader,
  tokenMatches,
  verifySessionValue,
  type AuthSettings,
  type GuardRequest,
  type RouteClass,
} from './guard';

const TOKEN = 'dashboard-token-0123456789abcdef';
const on: AuthSettings = { mode: 'token', token: TOKEN };
const off: AuthSettings = { mode: 'off' };
const now = new Date('2026-11-26T09:30:00Z');
const SHARE = '/share/Y2hlY2tvdXQuYWNtZS5qdW5vdnkuY29t.1796290200.abc';

/** One example of every route the app has, with its class. */
const ROUTES: { method: string; path: string; cls: RouteClass }[] = [
  { method: 'GET', path: '/_next/static/chunks/main-abc.js', cls: 'static' },
  { method: 'GET', path: '/_next/image', cls: 'static' },
  { method: 'GET', path: '/favicon.ico', cls: 'static' },
  { method: 'GET', path: '/icon.svg', cls: 'static' },
  { method: 'GET', path: '/icon', cls: 'static' },
  { method: 'GET', path: '/apple-icon.png', cls: 'static' },
  { method: 'GET', path: '/icons/secret', cls: 'protected-page' },
  { method: 'GET', path: SHARE, cls: 'public-page' },
  { method: 'HEAD', path: SHARE, cls: 'public-page' },
  { method: 'GET', path: '/api/v1/share/abc.123.def/badge.svg', cls: 'public-api' },
  { method: 'GET', path: '/api/v1/share/abc.123.def', cls: 'public-api' },
  { method: 'POST', path: '/api/v1/share/abc.123.def', cls: 'protected-api' },
  { method: 'GET', path: '/api/healthz', cls: 'public-api' },
  { method: 'GET', path: '/api/readyz', cls: 'public-api' },
  { method: 'GET', path: '/login', cls: 'login' },
  { method: 'POST', path: '/api/login', cls: 'login' },
  { method: 'GET', path: '/', cls: 'protected-page' },
  { method: 'GET', path: '/ns/hst-acme', cls: 'protected-page' },
  { method: 'GET', path: '/d/checkout.acme.junovy.com', cls: 'protected-page' },
  { method: 'GET', path: '/d/checkout.acme.junovy.com/opengraph-image', cls: 'protected-page' },
  { method: 'POST', path: SHARE, cls: 'protected-page' },
  { method: 'GET', path: '/share', cls: 'protected-page' },
  { method: 'GET', path: '/share/a/b', cls: 'protected-page' },
  { method: 'GET', path: '/api/v1/overview', cls: 'protected-api' },
  { method: 'GET', path: '/api/v1/namespaces/hst-acme', cls: 'protected-api' },
  { method: 'GET', path: '/api/v1/domains/checkout.acme.junovy.com', cls: 'protected-api' },
  { method: 'GET', path: '/api/v1/domains/checkout.acme.junovy.com/badge.svg', cls: 'protected-api' },
  { method: 'POST', path: '/api/v1/share', cls: 'protected-api' },
  { method: 'GET', path: '/api/v1/share', cls: 'protected-api' },
  { method: 'POST', path: '/api/v1/share/abc/badge.svg', cls: 'protected-api' },
  { method: 'GET', path: '/api/v1/share/abc/other', cls: 'protected-api' },
  { method: 'GET', path: '/api/metrics', cls: 'protected-api' },
  { method: 'POST', path: '/api/healthz', cls: 'protected-api' },
  { method: 'GET', path: '/api/healthz/x', cls: 'protected-api' },
  { method: 'GET', path: '/api', cls: 'protected-api' },
  { method: 'GET', path: '/_next/data/build/x.json', cls: 'protected-page' },
];

const req = (method: string, pathname: string, extra: Partial<GuardRequest> = {}): GuardRequest => ({ method, pathname, search: '', ...extra });

describe('route classes', () => {
  for (const r of ROUTES) {
    test(`${r.method} ${r.path} is ${r.cls}`, () => {
      assert.equal(classifyRoute(r.method, r.path), r.cls);
    });
  }
});

describe('the guard with CHAINBOARD_AUTH_TOKEN set', () => {
  for (const r of ROUTES) {
    const open = r.cls === 'static' || r.cls === 'public-page' || r.cls === 'public-api' || r.cls === 'login';
    test(`${r.method} ${r.path} without credentials is ${open ? 'allowed' : 'refused'}`, () => {
      const d = guardRequest(req(r.method, r.path), on, now);
      if (open) assert.equal(d.action, 'allow');
      else if (r.cls === 'protected-page' && (r.method === 'GET' || r.method === 'HEAD')) {
        assert.deepEqual(d, { action: 'redirect', location: `/login?next=${encodeURIComponent(r.path)}` });
      } else {
        assert.equal(d.action, 'deny');
        assert.ok(d.action === 'deny' && d.status === 401 && d.body.error.reason === 'Unauthorized');
        assert.ok(d.action === 'deny' && d.headers['www-authenticate'] === 'Bearer realm="chainboard"');
      }
    });
    if (!open) {
      test(`${r.method} ${r.path} with the bearer token or a session is allowed`, () => {
        assert.deepEqual(guardRequest(req(r.method, r.path, { authorization: `Bearer ${TOKEN}` }), on, now), { action: 'allow', why: 'bearer' });
        assert.deepEqual(guardRequest(req(r.method, r.path, { sessionCookie: createSessionValue(TOKEN, now) }), on, now), { action: 'allow', why: 'session' });
      });
    }
  }

  test('a wrong bearer token is refused with 401, also on pages', () => {
    const api = guardRequest(req('GET', '/api/v1/overview', { authorization: 'Bearer nope' }), on, now);
    assert.ok(api.action === 'deny' && api.status === 401 && /not valid/.test(api.body.error.message));
    assert.equal(guardRequest(req('GET', '/', { authorization: 'Bearer nope' }), on, now).action, 'deny');
  });

  test('the redirect keeps the query string for after the login', () => {
    const d = guardRequest(req('GET', '/d/x.example.com', { search: '?focus=Service/x' }), on, now);
    assert.deepEqual(d, { action: 'redirect', location: `/login?next=${encodeURIComponent('/d/x.example.com?focus=Service/x')}` });
  });

  test('a cross-site link (no SameSite=Strict cookie yet) reloads from our origin before asking to log in', () => {
    const d = guardRequest(req('GET', '/d/x.example.com', { secFetchSite: 'cross-site' }), on, now);
    assert.deepEqual(d, { action: 'reload', location: '/d/x.example.com' });
    const again = guardRequest(req('GET', '/d/x.example.com', { secFetchSite: 'same-origin' }), on, now);
    assert.equal(again.action, 'redirect');
  });

  test('sessions made with another token, tampered, expired or from the future are refused', () => {
    const good = createSessionValue(TOKEN, now);
    assert.ok(verifySessionValue(good, TOKEN, now));
    assert.ok(!verifySessionValue(createSessionValue('another-token-0123456789', now), TOKEN, now));
    const [iat, mac] = good.split('.') as [string, string];
    assert.ok(!verifySessionValue(`${Number(iat) + 3600}.${mac}`, TOKEN, new Date(now.getTime() + 7200_000)));
    assert.ok(!verifySessionValue(`${iat}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, TOKEN, now));
    assert.ok(verifySessionValue(good, TOKEN, new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000)));
    assert.ok(!verifySessionValue(good, TOKEN, new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000 + 1000)));
    assert.ok(!verifySessionValue(createSessionValue(TOKEN, new Date(now.getTime() + 3600_000)), TOKEN, now));
    for (const bad of [undefined, '', 'x', `${iat}.`, `.${mac}`, TOKEN]) assert.ok(!verifySessionValue(bad, TOKEN, now), String(bad));
  });

  test('the session value does not contain the token', () => {
    assert.ok(!createSessionValue(TOKEN, now).includes(TOKEN));
  });
});

describe('the guard without CHAINBOARD_AUTH_TOKEN', () => {
  for (const r of ROUTES) {
    test(`${r.method} ${r.path} is allowed`, () => {
      assert.equal(guardRequest(req(r.method, r.path), off, now).action, 'allow');
    });
  }
});

describe('auth settings', () => {
  test('read CHAINBOARD_AUTH_TOKEN; a short token fails closed', () => {
    assert.deepEqual(authSettings({}), { mode: 'off' });
    assert.deepEqual(authSettings({ CHAINBOARD_AUTH_TOKEN: TOKEN }), { mode: 'token', token: TOKEN });
    const short = authSettings({ CHAINBOARD_AUTH_TOKEN: 'short' });
    assert.equal(short.mode, 'misconfigured');
    const d = guardRequest(req('GET', '/api/v1/overview', { authorization: 'Bearer short' }), short, now);
    assert.ok(d.action === 'deny' && d.status === 500);
    assert.equal(guardRequest(req('GET', '/api/healthz'), short, now).action, 'allow');
  });

  test('tokens are compared whole, whatever their length', () => {
    assert.ok(tokenMatches(TOKEN, TOKEN));
    assert.ok(!tokenMatches(TOKEN.slice(0, -1), TOKEN));
    assert.ok(!tokenMatches(`${TOKEN}x`, TOKEN));
    assert.ok(!tokenMatches('', TOKEN));
  });

  test('bearer tokens are read from the Authorization header only in the Bearer scheme', () => {
    assert.equal(bearerToken(`Bearer ${TOKEN}`), TOKEN);
    assert.equal(bearerToken(`bearer ${TOKEN}`), TOKEN);
    assert.equal(bearerToken(`Basic ${TOKEN}`), undefined);
    assert.equal(bearerToken(null), undefined);
  });

  test('cookies are HttpOnly, SameSite=Strict, and Secure over HTTPS', () => {
    const v = createSessionValue(TOKEN, now);
    assert.equal(sessionCookieHeader(v, true), `chainboard_session=${v}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure`);
    assert.equal(sessionCookieHeader(v, false), `chainboard_session=${v}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict`);
    assert.match(clearSessionCookieHeader(true), /^chainboard_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict; Secure$/);
  });

  test('after login only paths of this site are followed', () => {
    assert.equal(safeNextPath('/d/x.example.com?focus=a'), '/d/x.example.com?focus=a');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/x\ny', '', null, undefined]) {
      assert.equal(safeNextPath(bad), '/', String(bad));
    }
  });
});
