// Collapsed rendering over real HTTP: a node:http server whose "render" stands in for Next (Next itself is
// exercised by the production-server tests and the browser specs); it writes what Next's pages carry, a CSP
// nonce in the policy, the Link header and the body, gzip-compressed when the client accepts it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { collapseKey, createCoalescer } from './coalesce';
import { createNonce } from '../auth/headers';

interface Rig {
  url: string;
  renders: () => number;
  /** Lets the renders waiting for it finish. */
  release: () => void;
  server: Server;
  shared: () => number;
}

async function rig(opts: { setCookie?: boolean; delayMs?: number } = {}): Promise<Rig> {
  let renders = 0;
  let gate: Array<() => void> = [];
  const render = (req: IncomingMessage, res: ServerResponse) => {
    renders++;
    const nonce = createNonce();
    const n = renders;
    const finish = () => {
      const html = `<!doctype html><script nonce="${nonce}">var render=${n}</script><p>${req.url}</p>`;
      const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
      const headers: OutgoingHttpHeaders = {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `script-src 'self' 'nonce-${nonce}'`,
        link: `</_next/static/a.js>; rel=preload; as="script"; nonce="${nonce}"`,
      };
      if (gzip) headers['content-encoding'] = 'gzip';
      if (opts.setCookie) headers['set-cookie'] = `seen=${n}`;
      res.writeHead(200, headers);
      const body = gzip ? gzipSync(html) : Buffer.from(html);
      // Written in two parts, as a streamed page is.
      res.write(body.subarray(0, 10));
      res.end(body.subarray(10));
    };
    gate.push(finish);
  };
  const coalescer = createCoalescer({ redispatch: (req, res) => handle(req, res) });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (coalescer.follow(req, res)) return;
    coalescer.lead(req, res);
    render(req, res);
  };
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    renders: () => renders,
    release: () => {
      const waiting = gate;
      gate = [];
      for (const f of waiting) f();
    },
    server,
    shared: () => coalescer.stats().shared,
  };
}

interface Got {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

function get(url: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const nonceOf = (g: Got) => /'nonce-([^']+)'/.exec(String(g.headers['content-security-policy']))![1]!;

describe('collapsed rendering', () => {
  test('identical requests share one render, each with a nonce of its own in the policy, the Link header and the body', async () => {
    const r = await rig();
    try {
      const pending = Array.from({ length: 6 }, () => get(`${r.url}/ns/hst-acme`, { 'accept-encoding': 'gzip' }));
      await tick();
      r.release();
      const answers = await Promise.all(pending);
      assert.equal(r.renders(), 1, 'one render for six identical requests');
      assert.equal(r.shared(), 5);
      const nonces = new Set<string>();
      for (const a of answers) {
        assert.equal(a.status, 200);
        assert.equal(a.headers['content-encoding'], 'gzip');
        const nonce = nonceOf(a);
        nonces.add(nonce);
        assert.ok(String(a.headers.link).includes(`nonce="${nonce}"`), 'the Link header carries the same nonce');
        assert.ok(a.text.includes(`<script nonce="${nonce}">var render=1</script>`), 'the body carries the same nonce');
        assert.ok(a.text.endsWith('<p>/ns/hst-acme</p>'));
      }
      assert.equal(nonces.size, 6, 'no two answers share a nonce');
      const followers = answers.filter((a) => /^coalesced;dur=\d+/.test(String(a.headers['server-timing'])));
      assert.equal(followers.length, 5, 'a shared answer says so in Server-Timing');
    } finally {
      r.server.close();
    }
  });

  test('requests that differ in a header the page reads, in their target, or that are conditional render on their own', async () => {
    const r = await rig();
    try {
      const pending = [
        get(`${r.url}/`, { cookie: 'chainboard_session=a' }),
        get(`${r.url}/`, { cookie: 'chainboard_session=b' }),
        get(`${r.url}/?view=domains`, { cookie: 'chainboard_session=a' }),
        get(`${r.url}/`, { cookie: 'chainboard_session=a', 'if-none-match': '"x"' }),
        get(`${r.url}/`, { cookie: 'chainboard_session=a', rsc: '1' }),
        get(`${r.url}/`, { cookie: 'chainboard_session=a', 'accept-encoding': 'gzip' }),
      ];
      await tick();
      r.release();
      const answers = await Promise.all(pending);
      assert.equal(r.renders(), 6);
      assert.ok(answers.every((a) => a.status === 200));
    } finally {
      r.server.close();
    }
  });

  test('an answer that sets a cookie is not shared: each follower renders for itself', async () => {
    const r = await rig({ setCookie: true });
    try {
      const pending = Array.from({ length: 3 }, () => get(`${r.url}/`));
      await tick();
      // Each answer lets the next waiting render finish, until all three have theirs.
      const drain = setInterval(r.release, 20);
      const answers = await Promise.all(pending).finally(() => clearInterval(drain));
      assert.equal(r.renders(), 3, 'the leader, then each follower on its own');
      assert.equal(new Set(answers.map((a) => a.headers['set-cookie']?.[0])).size, 3);
    } finally {
      r.server.close();
    }
  });

  test('when the leading client leaves before its answer, the followers still get theirs', async () => {
    const r = await rig();
    try {
      const leaving = new AbortController();
      const gone = get(`${r.url}/d/a.example.com`, {}, leaving.signal).catch((e: Error) => e);
      await tick();
      const followers = [get(`${r.url}/d/a.example.com`), get(`${r.url}/d/a.example.com`)];
      await tick();
      leaving.abort();
      assert.ok((await gone) instanceof Error);
      await tick();
      // The first follower now renders for itself and leads the other.
      r.release();
      const answers = await Promise.all(followers);
      assert.ok(answers.every((a) => a.status === 200 && a.text.endsWith('<p>/d/a.example.com</p>')));
      assert.equal(r.renders(), 2, 'the abandoned render and one more, shared by both followers');
    } finally {
      r.server.close();
    }
  });
});

describe('collapseKey', () => {
  const req = (method: string, url: string, headers: Record<string, string> = {}) => ({ method, url, headers }) as unknown as IncomingMessage;

  test('only a GET without a condition or a range may be collapsed', () => {
    assert.equal(typeof collapseKey(req('GET', '/')), 'string');
    assert.equal(collapseKey(req('HEAD', '/')), undefined);
    assert.equal(collapseKey(req('POST', '/')), undefined);
    assert.equal(collapseKey(req('GET', '/', { range: 'bytes=0-10' })), undefined);
    assert.equal(collapseKey(req('GET', '/', { 'if-modified-since': 'x' })), undefined);
  });

  test('every header a page, the proxy or Next reads is part of the key; others are not', () => {
    const base = collapseKey(req('GET', '/', { cookie: 'a' }));
    for (const h of ['cookie', 'authorization', 'accept-encoding', 'rsc', 'next-router-state-tree', 'next-url', 'user-agent', 'host', 'x-forwarded-proto']) {
      assert.notEqual(collapseKey(req('GET', '/', { cookie: 'a', [h]: 'other' })), base, h);
    }
    assert.equal(collapseKey(req('GET', '/', { cookie: 'a', 'x-request-id': '7' })), base);
  });
});
