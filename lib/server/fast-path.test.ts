// The read API's fast path (lib/server/fast-path.ts) over real HTTP on 127.0.0.1: the same status, headers
// and bytes as the route handlers Next would call, for every kind of answer; what it does not own falls
// through to the next listener (Next, in bin/chainboard-server.mjs; a stand-in that answers 599 here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { APP_KEY, getApp, setApp } from './current';
import { sampleApp, withApp } from './testing';

const TOKEN = 'fast-path-test-token-0123456789abc';

type DomainRoute = typeof import('../../app/api/v1/domains/[host]/route');
type OverviewRoute = typeof import('../../app/api/v1/overview/route');

let domainRoute: DomainRoute;
let overviewRoute: OverviewRoute;
let server: Server;
let base: string;
let fellThrough: string[] = [];

before(async () => {
  setApp(sampleApp());
  [domainRoute, overviewRoute] = await Promise.all([import('../../app/api/v1/domains/[host]/route'), import('../../app/api/v1/overview/route')]);
  // As bin/chainboard-server.mjs does: the process's app's fast path first, then Next (a stand-in here).
  server = createServer((req, res) => {
    if (getApp().fastPath(req, res)) return;
    fellThrough.push(`${req.method} ${req.url}`);
    res.writeHead(599, { 'content-type': 'text/plain' });
    res.end('next');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await setApp(undefined)?.stop();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP/1.1 request (node:http, so the target is sent exactly as given). */
function raw(method: string, target: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers a Web Response carries, lower-case, without the ones the transport sets. */
function semanticHeaders(h: Record<string, string | string[] | undefined> | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding', 'vary']);
  const entries: [string, string][] = h instanceof Headers ? [...h.entries()] : Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]);
  for (const [k, v] of entries) if (!skip.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

async function viaRoute(target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const url = new URL(target, 'http://chainboard.local');
  const request = new Request(url, { headers });
  const m = /^\/api\/v1\/domains\/([^/]+)$/.exec(url.pathname);
  const response = m
    ? await domainRoute.GET(request, { params: Promise.resolve({ host: decodeURIComponent(m[1]!) }) })
    : await overviewRoute.GET(request);
  return { status: response.status, headers: semanticHeaders(response.headers), body: Buffer.from(await response.arrayBuffer()) };
}

async function assertSameAsRoute(target: string, headers: Record<string, string> = {}): Promise<Raw> {
  const got = await raw('GET', target, headers);
  const want = await viaRoute(target, headers);
  assert.equal(got.status, want.status, `${target}: status`);
  assert.deepEqual(semanticHeaders(got.headers), want.headers, `${target}: headers`);
  assert.equal(got.headers['content-length'], String(got.body.length), `${target}: content-length`);
  const body = got.headers['content-encoding'] === 'gzip' ? gunzipSync(got.body) : got.body;
  assert.equal(body.toString('utf8'), want.body.toString('utf8'), `${target}: body`);
  return got;
}

describe('the fast path answers as the route handlers do', () => {
  test('a known domain: 200 with its chain', async () => {
    const got = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy.com');
    assert.equal(got.status, 200);
    assert.equal(JSON.parse(got.body.toString()).domain.host, 'app.my-client.junovy.com');
    assert.equal(got.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  });

  test('an unknown domain: 404 with a message; an invalid one: 400', async () => {
    const missing = await assertSameAsRoute('/api/v1/domains/nope.example.com');
    assert.equal(missing.status, 404);
    assert.match(JSON.parse(missing.body.toString()).error.message, /nope\.example\.com/);
    const invalid = await assertSameAsRoute('/api/v1/domains/not%20a%20host');
    assert.equal(invalid.status, 400);
  });

  test('percent-encoded hosts are decoded as Next decodes them', async () => {
    const got = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy%2Ecom');
    assert.equal(got.status, 200);
  });

  test('the overview, with its query (filters, paging)', async () => {
    await assertSameAsRoute('/api/v1/overview');
    await assertSameAsRoute('/api/v1/overview?health=down&limit=2');
    const bad = await assertSameAsRoute('/api/v1/overview?limit=-1');
    assert.equal(bad.status, 400);
  });

  test('gzip for clients that accept it (bodies from 1 KiB), identity otherwise; Vary says so', async () => {
    const zipped = await assertSameAsRoute('/api/v1/overview', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    const plain = await assertSameAsRoute('/api/v1/overview', { 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const none = await raw('GET', '/api/v1/overview');
    assert.equal(none.headers['content-encoding'], undefined);
  });

  test('HEAD: the headers of GET, no body', async () => {
    const head = await raw('HEAD', '/api/v1/domains/app.my-client.junovy.com');
    const get = await raw('GET', '/api/v1/domains/app.my-client.junovy.com');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], get.headers['content-length']);
  });

  test('the dashboard auth applies: 401 without the token, 200 with it', async () => {
    await withApp(sampleApp({ CHAINBOARD_AUTH_TOKEN: TOKEN }), async () => {
      const refused = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy.com');
      assert.equal(refused.status, 401);
      assert.equal(refused.headers['www-authenticate'], 'Bearer realm="chainboard"');
      const allowed = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy.com', { authorization: `Bearer ${TOKEN}` });
      assert.equal(allowed.status, 200);
    });
  });

  test('the Host header is never used to build the request URL', async () => {
    const got = await raw('GET', '/api/v1/domains/app.my-client.junovy.com', { host: 'evil.example:1/../x' });
    assert.equal(got.status, 200);
  });
});

describe('the kubelet probes are answered as their route modules answer them', () => {
  for (const path of ['/api/healthz', '/api/readyz'] as const) {
    test(`${path}: same status, headers and bytes, public with the dashboard auth on`, async () => {
      fellThrough = [];
      await withApp(sampleApp({ CHAINBOARD_AUTH_TOKEN: TOKEN }), async () => {
        const route = path === '/api/healthz' ? await import('../../app/api/healthz/route') : await import('../../app/api/readyz/route');
        const want = await route.GET(new Request(`http://chainboard.local${path}`));
        const got = await raw('GET', path);
        assert.deepEqual(fellThrough, []);
        assert.equal(got.status, want.status);
        assert.equal(got.status, 200);
        assert.deepEqual(semanticHeaders(got.headers), semanticHeaders(want.headers));
        assert.equal(got.body.toString('utf8'), await want.text());
        const head = await raw('HEAD', path);
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
      });
    });
  }
});

describe('what it does not own goes to Next, untouched', () => {
  const cases: [string, string][] = [
    ['POST', '/api/v1/domains/app.my-client.junovy.com'],
    ['DELETE', '/api/v1/overview'],
    ['GET', '/api/v1/domains/app.my-client.junovy.com/badge.svg'],
    ['GET', '/api/v1/domains/app.my-client.junovy.com/'],
    ['GET', '/api/v1/domains/'],
    ['GET', '/api/v1/overview/'],
    ['GET', '/api/v1/namespaces/hst-acme'],
    ['GET', '/api/v1/domains/%E0%A4%A'],
    ['GET', '/d/app.my-client.junovy.com'],
    ['GET', '/'],
    ['GET', 'http://127.0.0.1/api/v1/overview'],
  ];
  for (const [method, target] of cases) {
    test(`${method} ${target}`, async () => {
      fellThrough = [];
      const got = await raw(method, target);
      assert.equal(got.status, 599);
      assert.deepEqual(fellThrough, [`${method} ${target}`]);
    });
  }
});

describe('the production server finds the fast path', () => {
  test('under the global key bin/chainboard-server.mjs reads', () => {
    const g = globalThis as Record<symbol, { fastPath?: unknown } | undefined>;
    assert.equal(g[APP_KEY]?.fastPath, getApp().fastPath);
    const bin = readFileSync(join(__dirname, '..', '..', 'bin', 'chainboard-server.mjs'), 'utf8');
    assert.ok(bin.includes(`Symbol.for('${APP_KEY.description}')`), 'bin/chainboard-server.mjs reads APP_KEY');
  });
});
