// The client against a real HTTP server on 127.0.0.1 that answers with Traefik's own JSON (its API
// handlers' golden files, and Kubernetes-provider answers in the same shapes) and pages as Traefik
// pages. This is a mock boundary: the real Traefik runs in e2e/cluster (the control-plane suite), which
// another part builds; there the same client reads a real Traefik.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTraefikApi, type TraefikApiData } from '../../demo/traefik-api';
import { waitFor } from '../testing/net';
import { readTraefikRuntime, TraefikApiError } from './client';
import { TraefikPoller } from './poller';

const FIX = join(__dirname, '__fixtures__');
const json = (name: string) => JSON.parse(readFileSync(join(FIX, name), 'utf8')) as Record<string, unknown>[];
const golden = (): TraefikApiData => ({ routers: json('routers.json'), services: json('services.json'), middlewares: json('middlewares.json'), entrypoints: json('entrypoints.json') });
const k8s = JSON.parse(readFileSync(join(FIX, 'kubernetes.json'), 'utf8')) as TraefikApiData;
const NOW = new Date('2026-12-05T12:00:00Z');

test("Traefik's own router, service, middleware and entrypoint JSON read into the slim view", async () => {
  const api = await startTraefikApi({ data: golden });
  try {
    const rt = await readTraefikRuntime({ baseUrl: api.url, timeoutMs: 10_000, now: () => NOW });
    assert.equal(rt.fetchedAt, NOW.toISOString());
    assert.deepEqual(rt.routers[0], {
      name: 'bar@myprovider',
      provider: 'myprovider',
      status: 'enabled',
      entryPoints: ['web'],
      using: ['web'],
      middlewares: ['auth', 'addPrefixTest@anotherprovider'],
      service: 'foo-service@myprovider',
      rule: 'Host(`foo.bar`)',
    });
    assert.deepEqual(rt.services[0], { name: 'bar@myprovider', provider: 'myprovider', status: 'enabled', type: 'loadbalancer', serverStatus: { 'http://127.0.0.1': 'UP' }, servers: ['http://127.0.0.1'] });
    assert.deepEqual(
      rt.middlewares.map((m) => m.name),
      golden().middlewares.map((m) => m.name),
    );
    assert.equal(rt.middlewares.find((m) => m.name === 'auth@myprovider')?.type, 'basicauth');
    assert.deepEqual(rt.entryPoints?.map((e) => e.name), golden().entrypoints.map((e) => e.name));
  } finally {
    await api.close();
  }
});

test("a disabled router keeps Traefik's error text; server status, TLS and redirections come through", async () => {
  const api = await startTraefikApi({ data: () => k8s });
  try {
    const rt = await readTraefikRuntime({ baseUrl: api.url, timeoutMs: 10_000 });
    const admin = rt.routers.find((r) => r.name === 'hst-acme-admin-admin-acme-example@kubernetes')!;
    assert.equal(admin.status, 'disabled');
    assert.deepEqual(admin.error, ['middleware "hst-acme-auth@kubernetescrd" does not exist']);
    assert.deepEqual(rt.services[0]!.serverStatus, { 'http://10.42.0.11:8080': 'UP', 'http://10.42.0.12:8080': 'DOWN' });
    assert.deepEqual(rt.routers[0]!.tls, { certResolver: 'letsencrypt', options: 'default' });
    assert.deepEqual(rt.entryPoints, [
      { name: 'web', address: ':8000/tcp', tls: false, redirectTo: 'websecure' },
      { name: 'websecure', address: ':8443/tcp', tls: true },
      { name: 'traefik', address: ':9000/tcp', tls: false },
    ]);
    assert.equal(JSON.stringify(rt).includes('$apr1$'), false, "a middleware's settings are never kept");
  } finally {
    await api.close();
  }
});

test('every page is read, following X-Next-Page as Traefik sets it', async () => {
  const many = golden();
  many.routers = Array.from({ length: 7 }, (_, i) => ({ name: `r${i}@kubernetes`, status: 'enabled', provider: 'kubernetes' }));
  const api = await startTraefikApi({ data: () => many });
  try {
    const rt = await readTraefikRuntime({ baseUrl: api.url, timeoutMs: 10_000, perPage: 2 });
    assert.deepEqual(
      rt.routers.map((r) => r.name),
      many.routers.map((r) => r.name),
    );
  } finally {
    await api.close();
  }
});

/** A server that answers some paths with a status, and never answers `hang`. */
async function rawServer(handler: (path: string) => number | 'hang'): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const r = handler(new URL(req.url ?? '/', 'http://x').pathname);
    if (r === 'hang') return;
    res.writeHead(r, { 'content-type': 'application/json', 'x-next-page': '1' }).end(r === 200 ? '[]' : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test('an API that does not answer in time fails the read with a timeout', async () => {
  const srv = await rawServer(() => 'hang');
  try {
    await assert.rejects(readTraefikRuntime({ baseUrl: srv.url, timeoutMs: 300 }), (e: unknown) => e instanceof TraefikApiError && /timed out/.test(e.message));
  } finally {
    await srv.close();
  }
});

test('an error status fails the read and names it; entrypoints refused only skip the entrypoint checks', async () => {
  const srv = await rawServer((p) => (p === '/api/http/services' ? 500 : 200));
  const noEntrypoints = await rawServer((p) => (p === '/api/entrypoints' ? 404 : 200));
  try {
    await assert.rejects(readTraefikRuntime({ baseUrl: srv.url, timeoutMs: 10_000 }), (e: unknown) => e instanceof TraefikApiError && e.status === 500 && /HTTP 500 from \/api\/http\/services/.test(e.message));
    const rt = await readTraefikRuntime({ baseUrl: noEntrypoints.url, timeoutMs: 10_000 });
    assert.equal(rt.entryPoints, undefined);
    assert.deepEqual(rt.routers, []);
  } finally {
    await srv.close();
    await noEntrypoints.close();
  }
});

test('the poller keeps the last good answer and says since when the API stopped answering', async () => {
  let data = k8s;
  const api = await startTraefikApi({ data: () => data });
  let t = NOW.getTime();
  const poller = new TraefikPoller({ api: api.url, intervalMs: 20, timeoutMs: 5_000 }, { now: () => new Date(t) });
  const changes: string[] = [];
  poller.onChange((v) => changes.push(v.error ? 'error' : 'runtime'));
  try {
    poller.start();
    const first = await waitFor('a first answer', () => poller.view().runtime, { timeoutMs: 20_000 });
    assert.equal(first.routers.length, 3);
    // Equal answers change nothing: no listener call, the first read time is kept.
    t += 60_000;
    await poller.pollNow();
    await poller.pollNow();
    assert.equal(poller.view().runtime, first);
    data = { ...k8s, routers: k8s.routers.slice(1) };
    await waitFor('the changed answer', () => poller.view().runtime?.routers.length === 2, { timeoutMs: 20_000 });
    await api.close();
    t += 60_000;
    const failedAt = new Date(t).toISOString();
    const stale = await waitFor('a failure', () => poller.view().error, { timeoutMs: 20_000 });
    assert.equal(stale.since, failedAt);
    assert.equal(poller.view().runtime?.routers.length, 2, 'the last good answer is kept');
    t += 60_000;
    await poller.pollNow();
    assert.equal(poller.view().error?.since, failedAt, 'stale since the first failure');
    assert.deepEqual(changes.slice(0, 3), ['runtime', 'runtime', 'error']);
  } finally {
    await poller.stop();
    await api.close().catch(() => {});
  }
});

test('an API that never answered is unreachable with its reason, and stop() cancels a read in flight', async () => {
  const dead = await rawServer(() => 500);
  const url = dead.url;
  await dead.close();
  const poller = new TraefikPoller({ api: url, intervalMs: 60_000, timeoutMs: 5_000 });
  poller.start();
  const error = await waitFor('a failure', () => poller.view().error, { timeoutMs: 20_000 });
  assert.match(error.message, /ECONNREFUSED/);
  assert.equal(poller.view().runtime, undefined);
  await poller.stop();

  const hung = await rawServer(() => 'hang');
  const slow = new TraefikPoller({ api: hung.url, intervalMs: 60_000, timeoutMs: 600_000 });
  slow.start();
  const started = Date.now();
  await slow.stop();
  assert.ok(Date.now() - started < 60_000, 'stop does not wait for the read timeout');
  assert.equal(slow.view().error, undefined, 'a cancelled read is not a failure of the API');
  await hung.close();
});
