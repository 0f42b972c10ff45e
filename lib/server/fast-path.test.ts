// The read API's fast path (lib/server/fast-path.ts) over real HTTP on 127.0.0.1: the same status, headers
// and bytes as the route handlers Next would call, for every kind of answer; what it does not own falls
// through to the next listener (Next, in bin/chainboard-server.mjs; a stand-in that answers 599 here).
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

process.env.CHAINBOARD_DUMP = join(__dirname, '..', '..', 'samples', 'cluster');
delete process.env.CHAINBOARD_AUTH_TOKEN;
const TOKEN = 'fast-path-test-token-0123456789abc';

type FastPath = typeof import('./fast-path');
type DomainRoute = typeof import('../../app/api/v1/domains/[host]/route');
type OverviewRoute = typeof import('../../app/api/v1/overview/route');

let fast: FastPath;
let domainRoute: DomainRoute;
let overviewRoute: OverviewRoute;
let server: Server;
let base: string;
let fellThrough: string[] = [];

before(async () => {
  [fast, domainRoute, overviewRoute] = await Promise.all([import('./fast-path'), import('../../app/api/v1/domains/[host]/route'), import('../../app/api/v1/overview/route')]);
  server = createServer((req, res) => {
    if (fast.fastPath(req, res)) return;
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
    process.env.CHAINBOARD_AUTH_TOKEN = TOKEN;
    try {
      const refused = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy.com');
      assert.equal(refused.status, 401);
      assert.equal(refused.headers['www-authenticate'], 'Bearer realm="chainboard"');
      const allowed = await assertSameAsRoute('/api/v1/domains/app.my-client.junovy.com', { authorization: `Bearer ${TOKEN}` });
      assert.equal(allowed.status, 200);
    } finally {
      delete process.env.CHAINBOARD_AUTH_TOKEN;
    }
  });

  test('the Host header is never used to build the request URL', async () => {
    const got = await raw('GET', '/api/v1/domains/app.my-client.junovy.com', { host: 'evil.example:1/../x' });
    assert.equal(got.status, 200);
  });
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

describe('installFastPath', () => {
  test('puts the handler where bin/chainboard-server.mjs looks for it', () => {
    const g = globalThis as Record<symbol, unknown>;
    delete g[Symbol.for('chainboard.fastPath')];
    fast.installFastPath();
    assert.equal(g[Symbol.for('chainboard.fastPath')], fast.fastPath);
  });
});
