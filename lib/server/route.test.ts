// apiRoute: the auth, security headers and metric every API handler gets (proxy.ts does not run for
// /api/*); and a scan of app/api/ that fails when a handler is exported without it (the proxy's matcher
// skips /api/, so an unwrapped handler would be open).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiRoute, __test } from './route';
import { createMetrics } from '../metrics/registry';
import { setApp } from './current';
import { sampleApp, withApp } from './testing';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'route-wrapper-test-token-0123456789';

/** Run `fn` against an app whose CHAINBOARD_AUTH_TOKEN is `token` (undefined: sign-in off). */
async function withAuth<T>(token: string | undefined, fn: () => Promise<T>): Promise<T> {
  return withApp(sampleApp(token === undefined ? {} : { CHAINBOARD_AUTH_TOKEN: token }), fn);
}

before(() => setApp(sampleApp()));
after(() => setApp(undefined)?.stop());

const ok = () => Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });

describe('apiRoute', () => {
  test('adds the API security headers to what the handler answers', async () => {
    const GET = apiRoute('/api/v1/things', ok, { instrument: false });
    const res = await withAuth(undefined, () => GET(new Request('http://127.0.0.1:3000/api/v1/things?x=1')));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
    assert.equal(res.headers.get('cache-control'), 'no-store', "the handler's own headers stay");
  });

  test('badges may be embedded elsewhere; share URLs are never sent as a Referer; HSTS behind TLS', async () => {
    const badge = apiRoute('/api/v1/share/[token]/badge.svg', () => new Response('<svg/>'), { instrument: false });
    const res = await badge(new Request('http://cb.internal/api/v1/share/abc.def/badge.svg', { headers: { 'x-forwarded-proto': 'https' } }));
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-robots-tag'), 'noindex, nofollow');
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
  });

  test('refuses without the token when CHAINBOARD_AUTH_TOKEN is set, and never calls the handler', async () => {
    let calls = 0;
    const GET = apiRoute('/api/v1/overview', () => (calls++, ok()), { instrument: false });
    await withAuth(TOKEN, async () => {
      const refused = await GET(new Request('http://127.0.0.1/api/v1/overview'));
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="chainboard"');
      assert.equal(refused.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", 'a refusal has the headers too');
      assert.equal((await refused.json()).error.reason, 'Unauthorized');
      assert.equal((await GET(new Request('http://127.0.0.1/api/v1/overview', { headers: { authorization: 'Bearer nope' } }))).status, 401);
      assert.equal(calls, 0);
      const allowed = await GET(new Request('http://127.0.0.1/api/v1/overview', { headers: { authorization: `Bearer ${TOKEN}` } }));
      assert.equal(allowed.status, 200);
      assert.equal(calls, 1);
    });
  });

  test('public routes stay public with auth on (probes, signed badges)', async () => {
    const healthz = apiRoute('/api/healthz', ok, { instrument: false });
    const badge = apiRoute('/api/v1/share/[token]/badge.svg', () => new Response('<svg/>'), { instrument: false });
    await withAuth(TOKEN, async () => {
      assert.equal((await healthz(new Request('http://127.0.0.1/api/healthz'))).status, 200);
      assert.equal((await badge(new Request('http://127.0.0.1/api/v1/share/abc/badge.svg'))).status, 200);
    });
  });

  test('a too-short CHAINBOARD_AUTH_TOKEN refuses with 500 rather than serving openly', async () => {
    const GET = apiRoute('/api/v1/overview', ok, { instrument: false });
    const res = await withAuth('short', () => GET(new Request('http://127.0.0.1/api/v1/overview')));
    assert.equal(res.status, 500);
    assert.match((await res.json()).error.message, /shorter than/);
  });

  test('copies a response whose headers are immutable (Response.redirect) instead of throwing', async () => {
    const GET = apiRoute('/api/v1/elsewhere', () => Response.redirect('http://127.0.0.1/x', 303), { instrument: false });
    const res = await GET(new Request('http://127.0.0.1/api/v1/elsewhere'));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), 'http://127.0.0.1/x');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('observes the route pattern, method and status, refusals included; not with instrument: false', async () => {
    const metrics = createMetrics(async () => undefined, () => new Date(), { defaultMetrics: false });
    const GET = apiRoute('/api/v1/domains/[host]', ok, { metrics: () => metrics });
    const quiet = apiRoute('/api/readyz', ok, { metrics: () => metrics, instrument: false });
    await withAuth(TOKEN, async () => {
      await GET(new Request('http://127.0.0.1/api/v1/domains/a.example'));
      await GET(new Request('http://127.0.0.1/api/v1/domains/b.example', { headers: { authorization: `Bearer ${TOKEN}` } }));
      await quiet(new Request('http://127.0.0.1/api/readyz'));
    });
    const text = await metrics.registry.metrics();
    assert.match(text, /chainboard_http_request_duration_seconds_count\{route="\/api\/v1\/domains\/\[host\]",method="GET",status="401"\} 1/);
    assert.match(text, /chainboard_http_request_duration_seconds_count\{route="\/api\/v1\/domains\/\[host\]",method="GET",status="200"\} 1/);
    assert.doesNotMatch(text, /readyz/);
  });

  test('wrong bearer tokens count as failed sign-ins: past the burst a client gets 429, right token or not', async () => {
    const GET = apiRoute('/api/v1/overview', ok, { instrument: false });
    const healthz = apiRoute('/api/healthz', ok, { instrument: false });
    const from = (client: string, token: string) => new Request('http://127.0.0.1/api/v1/overview', { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });
    await withAuth(TOKEN, async () => {
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await GET(from('198.51.100.7', 'wrong'))).status);
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
      const throttled = await GET(from('198.51.100.7', TOKEN));
      assert.equal(throttled.status, 429, 'a right guess looks like a wrong one while throttled');
      assert.match(throttled.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal((await throttled.json()).error.reason, 'TooManyRequests');
      assert.equal((await GET(from('198.51.100.8', TOKEN))).status, 200, 'another client is not held back');
      const probe = new Request('http://127.0.0.1/api/healthz', { headers: { authorization: 'Bearer wrong', 'x-forwarded-for': '198.51.100.7' } });
      assert.equal((await healthz(probe)).status, 200, 'public routes stay public');
    });
  });

  test('reads the path from an absolute or a relative request URL', () => {
    assert.equal(__test.pathnameOf('http://127.0.0.1:3000/api/v1/domains/a.b?x=1#f'), '/api/v1/domains/a.b');
    assert.equal(__test.pathnameOf('https://h/api/v1/share/t/badge.svg'), '/api/v1/share/t/badge.svg');
    assert.equal(__test.pathnameOf('http://h'), '/');
  });
});

describe('every handler under app/api/ is wrapped in apiRoute', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/^route\.(t|j)sx?$/.test(e.name)) files.push(join(dir, e.name));
    }
  };
  walk(join(ROOT, 'app', 'api'));

  test('finds the route files', () => {
    assert.ok(files.length >= 10, `found ${files.length}`);
  });

  for (const file of files) {
    test(relative(ROOT, file), () => {
      const src = readFileSync(file, 'utf8');
      const exported = [...src.matchAll(/export\s+(?:async\s+)?(?:function|const|let|var)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b([^\n]*)/g)];
      assert.ok(exported.length > 0, 'exports no HTTP method handler');
      for (const [, method, rest] of exported) {
        assert.match(rest ?? '', /^\s*=\s*apiRoute\(/, `${method} must be \`export const ${method} = apiRoute(...)\``);
      }
      assert.doesNotMatch(src, /export\s*\{[^}]*\b(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/, 're-exported handlers escape the check');
    });
  }
});
