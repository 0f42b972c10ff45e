// The production server's request listener (lib/server/front.ts, built by the app's `fastPath.serve` as
// bin/chainboard-server.mjs builds it) over real HTTP on 127.0.0.1, with a stand-in for Next's handler
// that answers like a page and finishes when the test says so.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { securityHeaders } from '../auth/headers';
import { getApp, setApp } from './current';
import { createFront, type Front } from './front';
import { parseConfig } from './config';
import { renderQueueSettings } from './shed';
import { sampleApp } from './testing';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the stand-in for Next was handed, and the renders it holds until released. */
interface StandIn {
  seen: string[];
  held: (() => void)[];
  /** Answer this path this way instead of as a page. */
  answers: Map<string, (res: ServerResponse) => void>;
  hold: boolean;
}

const standIn: StandIn = { seen: [], held: [], answers: new Map(), hold: false };

/** Next, as far as the listener can tell: a page is a 200 whose head goes out with the first write. */
function fakeNext(req: IncomingMessage, res: ServerResponse): Promise<void> {
  standIn.seen.push(`${req.method} ${req.url}`);
  const special = standIn.answers.get(req.url ?? '');
  if (special) {
    special(res);
    return Promise.resolve();
  }
  const render = () => {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.write('<!doctype html><h1>page</h1>');
    res.end();
  };
  if (!standIn.hold) {
    render();
    return Promise.resolve();
  }
  return new Promise((resolve) => standIn.held.push(() => (render(), resolve())));
}

let servers: Server[] = [];

/** A server with the production listener, configured by `env`. */
async function start(env: Record<string, string> = {}): Promise<{ base: string; front: Front }> {
  const front = createFront({ app: getApp, fastPath: getApp().fastPath, next: fakeNext, queue: renderQueueSettings(env) });
  const server = createServer(front);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, front };
}

/** A raw HTTP/1.1 request (node:http, so the target is sent exactly as given), each on its own connection. */
function raw(base: string, method: string, target: string, opts: { signal?: AbortSignal } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { method, path: target, agent: false, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const released = () => {
  const held = standIn.held.splice(0);
  for (const release of held) release();
};

/** Until `check` holds (the server's side of a request is asynchronous to the client's). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached within 5 s');
}

before(() => {
  setApp(sampleApp());
});

afterEach(async () => {
  standIn.hold = false;
  released();
  standIn.seen = [];
  standIn.answers.clear();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

after(async () => {
  await setApp(undefined)?.stop();
});

describe('a malformed percent-escape', () => {
  for (const target of ['/api/v1/domains/%FF%FE.example', '/api/v1/namespaces/%FF', '/api/v1/domains/%E0%A4%A', '/api/v1/share/abc%ZZ/badge.svg']) {
    test(`in an API path gets the API's 400 JSON error and headers: ${target}`, async () => {
      const { base } = await start();
      const got = await raw(base, 'GET', target);
      assert.equal(got.status, 400);
      assert.deepEqual(JSON.parse(got.body), { error: { status: 400, reason: 'BadRequest', message: 'the path is not valid percent-encoding' } });
      assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(got.headers['cache-control'], 'no-store');
      // apiRoute's headers for that path (a share badge's differ from the rest of the API's).
      for (const [name, value] of Object.entries(securityHeaders({ pathname: target }))) {
        assert.equal(got.headers[name], value, name);
      }
      assert.deepEqual(standIn.seen, []);
    });
  }

  test('in a page path is handed to Next well-formed, and the page answers 400', async () => {
    const { base } = await start();
    const got = await raw(base, 'GET', '/d/%FF%FE.example');
    assert.equal(got.status, 400);
    assert.equal(got.body, '<!doctype html><h1>page</h1>');
    assert.deepEqual(standIn.seen, ['GET /d/%25FF%25FE.example']);
  });
});

describe('a page whose parameter is not valid', () => {
  test('answers 400 with the page Next renders', async () => {
    const { base } = await start();
    for (const target of ['/d/..%2f..%2fetc%2fpasswd', '/ns/%3Cscript%3E', '/d/app%00.x', `/?q=${'a'.repeat(10_240)}`]) {
      const got = await raw(base, 'GET', target);
      assert.equal(got.status, 400, target.slice(0, 40));
      assert.equal(got.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(got.body, '<!doctype html><h1>page</h1>');
    }
  });

  test('keeps any status Next chooses other than 200, and a HEAD gets the same status', async () => {
    const { base } = await start();
    standIn.answers.set('/ns/%3Cscript%3E', (res) => res.writeHead(303, 'See Other', { location: '/login' }).end());
    const redirected = await raw(base, 'GET', '/ns/%3Cscript%3E');
    assert.equal(redirected.status, 303);
    assert.equal(redirected.headers.location, '/login');
    standIn.answers.set('/d/app%00.x', (res) => res.writeHead(200, 'OK', { 'content-type': 'text/html' }).end('x'));
    const explicit = await raw(base, 'HEAD', '/d/app%00.x');
    assert.equal(explicit.status, 400);
  });

  test('a valid one keeps the status Next gives it', async () => {
    const { base } = await start();
    assert.equal((await raw(base, 'GET', '/d/app.my-client.junovy.com')).status, 200);
    assert.equal((await raw(base, 'GET', '/ns/hst-acme')).status, 200);
  });
});

describe('pages answer GET and HEAD only', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    test(`${method} on a page is 405 with Allow, without Next`, async () => {
      const { base } = await start();
      const got = await raw(base, method, '/d/app.my-client.junovy.com');
      assert.equal(got.status, 405);
      assert.equal(got.headers.allow, 'GET, HEAD');
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
      assert.match(got.body, /<h1>Method not allowed<\/h1>/);
      assert.deepEqual(standIn.seen, []);
    });
  }

  test('the API keeps its methods: the sign-in form posts to /api/login', async () => {
    const { base } = await start();
    await raw(base, 'POST', '/api/login');
    assert.deepEqual(standIn.seen, ['POST /api/login']);
  });
});

describe('the render queue', () => {
  test('lets through as many requests as its concurrency, and the next when one is done', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '2', CHAINBOARD_RENDER_QUEUE: '5' });
    standIn.hold = true;
    // Different pages: identical ones would share one render (tested below).
    const answers = ['/', '/ns/hst-acme', '/ns/hst-prod'].map((target) => raw(base, 'GET', target));
    await until(() => front.queue.stats().waiting === 1);
    assert.equal(standIn.held.length, 2);
    await new Promise((r) => setTimeout(r, 30));
    standIn.held.shift()!();
    await until(() => standIn.held.length === 2);
    released();
    const done = await Promise.all(answers);
    for (const a of done) assert.equal(a.status, 200);
    // Each says how long it waited for its turn: the first two not at all, the third until one was done.
    const waits = done.map((a) => Number(/^queue;dur=(\d+);/.exec(String(a.headers['server-timing']))?.[1])).sort((x, y) => x - y);
    assert.deepEqual(waits.slice(0, 2), [0, 0]);
    assert.ok(waits[2]! >= 25, `waits ${waits.join(', ')}`);
    await until(() => front.queue.stats().running === 0);
  });

  test('refuses with 503 and Retry-After when it is full, after a pause: a page as HTML, the API as JSON', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE: '1' });
    standIn.hold = true;
    const first = raw(base, 'GET', '/');
    const second = raw(base, 'GET', '/ns/hst-acme');
    await until(() => front.queue.stats().waiting === 1);
    const asked = performance.now();
    const page = await raw(base, 'GET', '/d/app.my-client.junovy.com');
    const ms = performance.now() - asked;
    assert.ok(ms >= 950 && ms < 5000, `refused after ${Math.round(ms)} ms`);
    assert.equal(page.status, 503);
    assert.equal(page.headers['retry-after'], '2');
    assert.match(page.body, /<h1>Chainboard is busy<\/h1>/);
    const api = await raw(base, 'GET', '/api/v1/namespaces/hst-acme');
    assert.equal(api.status, 503);
    assert.equal(api.headers['retry-after'], '2');
    assert.deepEqual(JSON.parse(api.body), { error: { status: 503, reason: 'Overloaded', message: 'too many requests are waiting for the server' } });
    assert.deepEqual(front.queue.stats().shed, { full: 2, waited: 0 });
    released();
    await until(() => standIn.held.length === 1);
    released();
    assert.equal((await first).status, 200);
    assert.equal((await second).status, 200);
  });

  test('refuses a request that has waited its longest with 503 instead of keeping it waiting', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE_WAIT_MS: '150' });
    standIn.hold = true;
    const first = raw(base, 'GET', '/');
    await until(() => standIn.held.length === 1);
    const started = performance.now();
    const waited = await raw(base, 'GET', '/ns/hst-acme');
    const ms = performance.now() - started;
    assert.equal(waited.status, 503);
    assert.match(waited.body, /waited too long/);
    const dur = Number(/^queue;dur=(\d+);/.exec(String(waited.headers['server-timing']))?.[1]);
    assert.ok(dur >= 150 && dur < 2000, `Server-Timing says ${waited.headers['server-timing']}`);
    assert.ok(ms >= 140 && ms < 2000, `answered after ${Math.round(ms)} ms`);
    assert.deepEqual(front.queue.stats().shed, { full: 0, waited: 1 });
    released();
    assert.equal((await first).status, 200);
  });

  test('gives the place of a client that leaves while it waits to the next one', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE: '1' });
    standIn.hold = true;
    const first = raw(base, 'GET', '/');
    await until(() => standIn.held.length === 1);
    const leaving = new AbortController();
    const gone = raw(base, 'GET', '/ns/hst-acme', { signal: leaving.signal }).catch(() => 'aborted');
    await until(() => front.queue.stats().waiting === 1);
    leaving.abort();
    assert.equal(await gone, 'aborted');
    await until(() => front.queue.stats().waiting === 0);
    const next = raw(base, 'GET', '/ns/hst-prod');
    await until(() => front.queue.stats().waiting === 1);
    released();
    await until(() => standIn.held.length === 1);
    released();
    assert.equal((await first).status, 200);
    assert.equal((await next).status, 200);
    assert.deepEqual(standIn.seen, ['GET /', 'GET /ns/hst-prod']);
  });

  test('is passed by the probes, the read API and Next build assets', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE: '0' });
    standIn.hold = true;
    const first = raw(base, 'GET', '/');
    await until(() => front.queue.stats().running === 1);
    assert.equal((await raw(base, 'GET', '/ns/hst-acme')).status, 503);
    const health = await raw(base, 'GET', '/api/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    assert.equal((await raw(base, 'GET', '/api/readyz')).status, 200);
    assert.equal((await raw(base, 'GET', '/api/v1/domains/app.my-client.junovy.com')).status, 200);
    standIn.answers.set('/_next/static/chunks/app.js', (res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end('//'));
    assert.equal((await raw(base, 'GET', '/_next/static/chunks/app.js')).status, 200);
    released();
    assert.equal((await first).status, 200);
  });
});

describe('identical page requests', () => {
  test('share one render, and the render queue sees one request', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE: '0' });
    standIn.hold = true;
    const answers = Array.from({ length: 5 }, () => raw(base, 'GET', '/ns/hst-acme'));
    await until(() => standIn.held.length === 1 && front.coalescer.stats().inFlight === 1);
    // With no room in the queue, any of them queued on its own would have been refused.
    await new Promise((r) => setTimeout(r, 50));
    released();
    const done = await Promise.all(answers);
    assert.deepEqual(done.map((a) => a.status), [200, 200, 200, 200, 200]);
    assert.ok(done.every((a) => a.body === '<!doctype html><h1>page</h1>'));
    assert.deepEqual(standIn.seen, ['GET /ns/hst-acme']);
    assert.equal(front.coalescer.stats().shared, 4);
    assert.deepEqual(front.queue.stats().shed, { full: 0, waited: 0 });
  });

  test('are refused with the request they wait for, and the API is never collapsed', async () => {
    const { base, front } = await start({ CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE_WAIT_MS: '150' });
    standIn.hold = true;
    const first = raw(base, 'GET', '/');
    await until(() => standIn.held.length === 1);
    const waiting = Array.from({ length: 3 }, () => raw(base, 'GET', '/ns/hst-acme'));
    const refused = await Promise.all(waiting);
    assert.deepEqual(refused.map((a) => a.status), [503, 503, 503]);
    assert.ok(refused.every((a) => a.headers['retry-after'] === '2'));
    assert.deepEqual(front.queue.stats().shed, { full: 0, waited: 1 }, 'one turn was queued for the three');
    released();
    assert.equal((await first).status, 200);

    standIn.seen = [];
    standIn.hold = false;
    const api = await Promise.all(Array.from({ length: 2 }, () => raw(base, 'POST', '/api/login')));
    assert.equal(api.length, 2);
    assert.equal(standIn.seen.filter((s) => s === 'POST /api/login').length, 2, 'each API request reaches Next itself');
  });
});

test('invalid render queue settings stop the server with every problem named', () => {
  assert.throws(() => parseConfig({ CHAINBOARD_RENDER_CONCURRENCY: '0', CHAINBOARD_RENDER_QUEUE: '-1' }), /CHAINBOARD_RENDER_CONCURRENCY[\s\S]*CHAINBOARD_RENDER_QUEUE/);
});
