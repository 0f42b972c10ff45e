import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { HttpProbeResult } from '../model/probe';
import { createCa, issueCertificate } from '../testing/pki';
import { bareInternalError, bodySnippet, controllerAnswer, MAX_BODY_BYTES, probeHttp, probeHttpHost, type HttpCheck, type ResolveHost } from './http';
import { ProbeManager } from './manager';
import { loopbackOnly, probeTargets } from './targets';
import { closedPort, startTcpServer } from './testing';

const HOST = 'app.chainboard.test';
const OTHER = 'login.chainboard.test';
const route = (path: string) => ({ namespace: 'hst-a', ingress: 'app', path });
const check = (path: string, expectStatus?: number[]): HttpCheck => ({ path, route: route(path), ...(expectStatus ? { expectStatus } : {}) });

/**
 * A real HTTPS server on 127.0.0.1 standing in for Traefik and its backends: each path answers the way a
 * controller or a backend would (the exact Traefik bodies, a backend error page, redirects, a hang-up).
 */
let server: Server;
let port: number;
const requests: { host?: string; path?: string; servername?: string }[] = [];
const slowRelease: (() => void)[] = [];

function plain(res: import('node:http').ServerResponse, code: number, body: string) {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

before(async () => {
  const ca = await createCa({ name: 'CN=HTTP probe test root' });
  const leaf = await issueCertificate(ca, { dns: [HOST, OTHER] });
  server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    const servername = (req.socket as import('node:tls').TLSSocket).servername || undefined;
    requests.push({ host: req.headers.host, path: req.url, servername });
    switch (req.url) {
      case '/':
        return plain(res, 200, `hello from ${req.headers.host}\n`);
      case '/not-routed':
        return plain(res, 404, '404 page not found\n');
      case '/app-404':
        res.writeHead(404, { 'content-type': 'text/html' });
        return res.end('<h1>No such page</h1>');
      case '/bad-gateway':
        return plain(res, 502, 'Bad Gateway');
      case '/no-servers':
        return plain(res, 503, 'Service Unavailable\n');
      case '/bad-gateway-untyped':
        // As Traefik's reverse proxy writes it: the status text, no Content-Type.
        res.writeHead(502, { 'content-length': '11' });
        return res.end('Bad Gateway');
      case '/no-available-server':
        return plain(res, 503, 'no available server\n');
      case '/gateway-timeout':
        return plain(res, 504, 'Gateway Timeout');
      case '/bare-500':
        // As Traefik writes it when a router's service cannot be resolved: Go's http.Error, nothing else.
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
        return res.end('Internal Server Error\n');
      case '/app-500-same-body':
        // An application answering the same words, but with headers of its own.
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-powered-by': 'Express', etag: 'W/"15-abc"' });
        return res.end('Internal Server Error');
      case '/backend-500':
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end('{"error":"database \u0001 down"}');
      case '/reset':
        return req.socket.destroy();
      case '/hang':
        return slowRelease.push(() => plain(res, 200, 'late'));
      case '/slow':
        return setTimeout(() => plain(res, 200, 'slow but fine'), 300);
      case '/loop-a':
        res.writeHead(302, { location: '/loop-b' });
        return res.end();
      case '/loop-b':
        res.writeHead(302, { location: `https://${HOST}/loop-a` });
        return res.end();
      case '/chain':
        res.writeHead(301, { location: `https://${OTHER}/` });
        return res.end();
      case '/offsite':
        res.writeHead(302, { location: 'https://accounts.example.com/login' });
        return res.end();
      case '/login-wall':
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="app"' });
        return res.end('Unauthorized');
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('x'.repeat(MAX_BODY_BYTES * 4));
      default:
        if (req.url?.startsWith('/many/')) {
          const n = Number(req.url.slice('/many/'.length));
          res.writeHead(302, { location: `/many/${n + 1}` });
          return res.end();
        }
        return plain(res, 404, '404 page not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  for (const r of slowRelease.splice(0)) r();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The cluster's hosts, all served by the test server; anything else is not followed. */
const cluster: ResolveHost = (h) => (h === HOST || h === OTHER ? { address: '127.0.0.1', port } : undefined);

const probe = (path: string, o: { expect?: number[]; timeoutMs?: number } = {}) =>
  probeHttp({ host: HOST, address: '127.0.0.1', port, check: check(path, o.expect), resolveHost: cluster, timeoutMs: o.timeoutMs ?? 10_000 });

function ok(r: HttpProbeResult): Extract<HttpProbeResult, { status: 'ok' }> {
  assert.equal(r.status, 'ok', JSON.stringify(r));
  return r as Extract<HttpProbeResult, { status: 'ok' }>;
}

describe('probeHttp against a local HTTPS server', () => {
  test('a healthy backend answers 200, with SNI and Host set to the domain', async () => {
    const before = requests.length;
    const r = ok(await probe('/'));
    assert.equal(r.statusCode, 200);
    assert.equal(r.from, 'backend');
    assert.equal(r.controller, undefined);
    assert.equal(r.target, `127.0.0.1:${port}`);
    assert.equal(r.bodySnippet, `hello from ${HOST}`);
    assert.deepEqual(r.redirects, []);
    assert.ok(r.latencyMs >= 0);
    assert.deepEqual(requests.slice(before), [{ host: HOST, path: '/', servername: HOST }]);
  });

  test("Traefik's exact 404 body is the controller's: no router for the host and path", async () => {
    const r = ok(await probe('/not-routed'));
    assert.deepEqual([r.statusCode, r.from, r.controller], [404, 'controller', 'not-found']);
  });

  test("a backend's own 404 page is the backend's", async () => {
    const r = ok(await probe('/app-404'));
    assert.deepEqual([r.statusCode, r.from, r.controller], [404, 'backend', undefined]);
  });

  test("the controller's 502, 503 and 504 pages are told apart from a backend's 500", async () => {
    assert.deepEqual(
      [await probe('/bad-gateway'), await probe('/no-servers'), await probe('/gateway-timeout')].map((r) => {
        const a = ok(r);
        return [a.statusCode, a.from, a.controller];
      }),
      [
        [502, 'controller', 'bad-gateway'],
        [503, 'controller', 'unavailable'],
        [504, 'controller', 'gateway-timeout'],
      ],
    );
    const backend = ok(await probe('/backend-500'));
    assert.deepEqual([backend.statusCode, backend.from, backend.controller], [500, 'backend', undefined]);
    assert.equal(backend.bodySnippet, '{"error":"database down"}');
  });

  test("Traefik's bare 500 (a service it cannot resolve) is the controller's and recorded bare; an app's 500 with its own headers stays the backend's", async () => {
    const bare = ok(await probe('/bare-500'));
    assert.deepEqual([bare.statusCode, bare.from, bare.controller, bare.bare, bare.bodySnippet], [500, 'controller', 'internal-error', true, 'Internal Server Error']);
    const app = ok(await probe('/app-500-same-body'));
    assert.deepEqual([app.statusCode, app.from, app.controller, app.bare], [500, 'backend', undefined, undefined]);
    const json = ok(await probe('/backend-500'));
    assert.equal(json.bare, undefined);
  });

  test("Traefik v3's untyped 502 and its load balancer's 503 are the controller's", async () => {
    const bad = ok(await probe('/bad-gateway-untyped'));
    assert.deepEqual([bad.statusCode, bad.from, bad.controller], [502, 'controller', 'bad-gateway']);
    const none = ok(await probe('/no-available-server'));
    assert.deepEqual([none.statusCode, none.from, none.controller, none.bodySnippet], [503, 'controller', 'unavailable', 'no available server']);
  });

  test('a connection closed without an answer is a reset, a refused port is unreachable', async () => {
    const reset = await probe('/reset');
    assert.equal(reset.status, 'error');
    assert.equal(reset.status === 'error' && reset.errorKind, 'reset');
    const refusedPort = await closedPort();
    const refused = await probeHttp({ host: HOST, address: '127.0.0.1', port: refusedPort, check: check('/'), resolveHost: cluster, timeoutMs: 10_000 });
    assert.equal(refused.status === 'error' && refused.errorKind, 'unreachable');
    assert.match(refused.status === 'error' ? refused.error : '', /ECONNREFUSED/);
  });

  test('a server that never answers TLS is unreachable; one that never answers HTTP is a timeout', async () => {
    // A TCP server that hangs up on the ClientHello: no TLS connection at all.
    const hangUp = await startTcpServer((s) => s.destroy());
    try {
      const r = await probeHttp({ host: HOST, address: '127.0.0.1', port: hangUp.port, check: check('/'), resolveHost: cluster, timeoutMs: 10_000 });
      assert.equal(r.status === 'error' && r.errorKind, 'unreachable', JSON.stringify(r));
    } finally {
      await hangUp.stop();
    }
    const r = await probe('/hang', { timeoutMs: 300 });
    assert.equal(r.status === 'error' && r.errorKind, 'timeout', JSON.stringify(r));
    assert.ok(r.latencyMs >= 250, `${r.latencyMs}`);
  });

  test('latency is measured from the request to the answer', async () => {
    const r = ok(await probe('/slow'));
    assert.equal(r.statusCode, 200);
    assert.ok(r.latencyMs >= 250, `${r.latencyMs}`);
  });

  test('a redirect loop is stopped where it repeats', async () => {
    const r = ok(await probe('/loop-a'));
    assert.equal(r.statusCode, 302);
    assert.deepEqual(r.redirects, [`https://${HOST}/loop-b`]);
    assert.deepEqual(r.redirect, { location: `https://${HOST}/loop-a`, stop: 'loop' });
  });

  test('at most five redirects are followed', async () => {
    const r = ok(await probe('/many/0'));
    assert.equal(r.redirects.length, 5);
    assert.deepEqual(r.redirect, { location: `https://${HOST}/many/6`, stop: 'limit' });
  });

  test('a redirect to another cluster host is followed with that host as SNI and Host', async () => {
    const before = requests.length;
    const r = ok(await probe('/chain'));
    assert.deepEqual([r.statusCode, r.redirects], [200, [`https://${OTHER}/`]]);
    assert.deepEqual(requests.slice(before)[1], { host: OTHER, path: '/', servername: OTHER });
  });

  test('a redirect to a host outside the cluster is reported and never followed', async () => {
    const before = requests.length;
    const r = ok(await probe('/offsite'));
    assert.deepEqual(r.redirect, { location: 'https://accounts.example.com/login', stop: 'offsite' });
    assert.deepEqual(r.redirects, []);
    assert.equal(requests.length - before, 1, 'only the first request was sent');
  });

  test('an expected 401 is recorded with the expectation', async () => {
    const r = ok(await probe('/login-wall', { expect: [401] }));
    assert.deepEqual([r.statusCode, r.expectStatus, r.from], [401, [401], 'backend']);
  });

  test('the body is read only up to the limit', async () => {
    const r = ok(await probe('/big'));
    assert.equal(r.statusCode, 200);
    assert.equal(r.bodyTruncated, true);
    assert.equal(r.bodySnippet?.length, 201);
  });

  test('a host is checked one path at a time, at most eight paths', async () => {
    const checks = Array.from({ length: 12 }, (_, i) => check(`/p${i}`));
    const results = await probeHttpHost({ host: HOST, address: '127.0.0.1', port, checks, resolveHost: cluster, timeoutMs: 10_000 });
    assert.equal(results.length, 8);
    assert.ok(results.every((r) => r.status === 'ok' && r.controller === 'not-found'));
  });
});

describe('controller pages and snippets', () => {
  test('only the exact plain-text pages count as the controller', () => {
    assert.equal(controllerAnswer(404, 'text/plain; charset=utf-8', '404 page not found\n'), 'not-found');
    assert.equal(controllerAnswer(404, 'text/html', '404 page not found\n'), undefined);
    assert.equal(controllerAnswer(404, 'text/plain', 'Not Found'), undefined);
    assert.equal(controllerAnswer(502, 'text/plain', 'Bad Gateway'), 'bad-gateway');
    assert.equal(controllerAnswer(500, 'text/plain', 'Internal Server Error'), undefined);
  });

  test("Traefik v3's own 502 and 503 as it really sends them count as the controller", () => {
    // Its reverse proxy's error handler writes the status text with no Content-Type (a resetting backend).
    assert.equal(controllerAnswer(502, undefined, 'Bad Gateway'), 'bad-gateway');
    assert.equal(controllerAnswer(504, undefined, 'Gateway Timeout'), 'gateway-timeout');
    // Its load balancer, for a service without servers: http.Error(rw, "no available server", 503).
    assert.equal(controllerAnswer(503, 'text/plain; charset=utf-8', 'no available server\n'), 'unavailable');
    assert.equal(controllerAnswer(503, 'text/plain', 'Service Unavailable\n'), 'unavailable');
    // Untyped counts only for those pages: a 404 always comes from Go's http.NotFound, typed.
    assert.equal(controllerAnswer(404, undefined, '404 page not found\n'), undefined);
    assert.equal(controllerAnswer(503, 'text/html', 'no available server'), undefined);
    assert.equal(controllerAnswer(502, undefined, '<h1>Bad Gateway</h1>'), undefined);
  });

  test('a bare 500 is the exact status text, plain text, with only the headers the server itself writes', () => {
    const server = ['content-type', 'x-content-type-options', 'date', 'content-length', 'connection'];
    assert.equal(bareInternalError(500, 'text/plain; charset=utf-8', server, 'Internal Server Error\n'), true);
    assert.equal(bareInternalError(500, 'text/plain; charset=utf-8', [...server, 'alt-svc'], 'Internal Server Error'), true);
    assert.equal(bareInternalError(500, 'text/plain; charset=utf-8', [...server, 'server'], 'Internal Server Error\n'), false);
    assert.equal(bareInternalError(500, 'text/plain; charset=utf-8', [...server, 'set-cookie'], 'Internal Server Error\n'), false);
    assert.equal(bareInternalError(500, 'text/html', server, 'Internal Server Error\n'), false);
    assert.equal(bareInternalError(500, 'text/plain', server, 'Internal Server Error: db down'), false);
    assert.equal(bareInternalError(502, 'text/plain', server, 'Internal Server Error'), false);
  });

  test('binary bodies give no snippet', () => {
    assert.equal(bodySnippet('application/octet-stream', 'abc'), undefined);
    assert.equal(bodySnippet('text/plain', '  a\n\tb  '), 'a b');
  });
});

describe('the guard', () => {
  test('targets carry each rule path once, the probe-path annotation and the expected statuses', () => {
    const targets = probeTargets(
      [
        {
          metadata: {
            name: 'app',
            namespace: 'hst-a',
            annotations: { 'chainboard.io/expect-status': '401, 200, nonsense' },
          },
          spec: {
            rules: [
              {
                host: HOST,
                http: { paths: [{ path: '/', pathType: 'Prefix' }, { path: '/api', pathType: 'Prefix' }, { path: '/api', pathType: 'Exact' }, { path: '/v[0-9]+', pathType: 'ImplementationSpecific' }] },
              },
            ],
          },
          status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
        },
        {
          metadata: { name: 'health', namespace: 'hst-a', annotations: { 'chainboard.io/probe-path': '/healthz' } },
          spec: { rules: [{ host: OTHER }] },
          status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
        },
      ],
      { enabled: true, port: 443, allowAddress: loopbackOnly },
    );
    assert.deepEqual(targets, [
      {
        host: HOST,
        address: '127.0.0.1',
        port: 443,
        http: [
          { path: '/', route: { namespace: 'hst-a', ingress: 'app', path: '/' }, expectStatus: [401, 200] },
          { path: '/api', route: { namespace: 'hst-a', ingress: 'app', path: '/api' }, expectStatus: [401, 200] },
        ],
      },
      // Not loopback: no address to dial, so none of its checks is ever sent.
      { host: OTHER, port: 443, http: [{ path: '/healthz', route: { namespace: 'hst-a', ingress: 'health', path: '*' } }] },
    ]);
  });

  test('the manager checks each path of a cluster host and follows no redirect off the cluster', async () => {
    const manager = new ProbeManager({ dns: false, refreshIntervalMs: 0, allowAddress: loopbackOnly, timeoutMs: 10_000 });
    try {
      manager.update([
        { host: HOST, address: '127.0.0.1', port, http: [check('/'), check('/offsite'), check('/chain')] },
        // A cluster host whose address the guard refuses: a redirect to it is off-site too.
        { host: OTHER, address: '198.51.100.1', port },
      ]);
      await manager.idle();
      const http = manager.results()[HOST]?.http ?? [];
      assert.deepEqual(
        http.map((r) => [r.path, r.status === 'ok' ? r.statusCode : r.errorKind, r.status === 'ok' ? r.redirect?.stop : undefined]),
        [
          ['/', 200, undefined],
          ['/offsite', 302, 'offsite'],
          ['/chain', 301, 'offsite'],
        ],
      );
      assert.equal(manager.results()[OTHER]?.http, undefined, 'a refused address is never dialled');
    } finally {
      manager.stop();
    }
  });

  test('the manager does no HTTP check when told not to', async () => {
    const manager = new ProbeManager({ dns: false, http: false, refreshIntervalMs: 0, timeoutMs: 10_000 });
    try {
      manager.update([{ host: HOST, address: '127.0.0.1', port, http: [check('/')] }]);
      await manager.idle();
      assert.equal(manager.results()[HOST]?.http, undefined);
      assert.equal(manager.results()[HOST]?.tls?.status, 'ok');
    } finally {
      manager.stop();
    }
  });
});

test('the two annotations of the HTTP checks survive slimming, so a live cluster reaches the probe with them', async () => {
  const { slimIngress } = await import('../model/slim');
  const slim = slimIngress({
    metadata: { name: 'app', namespace: 'hst-a', annotations: { 'chainboard.io/probe-path': '/healthz', 'chainboard.io/expect-status': '401', 'other.io/x': 'dropped' } },
    spec: { rules: [{ host: HOST }] },
  });
  assert.deepEqual(slim.metadata.annotations, { 'chainboard.io/probe-path': '/healthz', 'chainboard.io/expect-status': '401' });
});
