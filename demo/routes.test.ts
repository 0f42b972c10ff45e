// The demo API server's route table over HTTP: which paths it serves, and the Status it answers for the
// rest, on the Kubernetes API and on the admin endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from './server';
import { FIXTURE_DUMP } from './testing';

let demo: DemoServer;
let plain: DemoServer;

async function call(server: DemoServer, method: string, path: string): Promise<{ status: number; message?: string }> {
  const res = await fetch(server.url + path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
  const body = (await res.text()).trim();
  return { status: res.status, ...(body.startsWith('{') ? { message: (JSON.parse(body) as { message?: string }).message } : {}) };
}

describe('the demo route table', () => {
  before(async () => {
    [demo, plain] = await Promise.all([startDemoServer({ dumpPath: FIXTURE_DUMP }), startDemoServer({ dumpPath: FIXTURE_DUMP, admin: false })]);
  });
  after(async () => {
    await Promise.all([demo.close(), plain.close()]);
  });

  it('serves health, discovery and objects with or without a trailing slash', async () => {
    for (const path of ['/healthz', '/readyz/', '/livez', '/version', '/api/', '/apis', '/api/v1', '/apis/networking.k8s.io', '/apis/networking.k8s.io/v1/']) {
      assert.equal((await call(demo, 'GET', path)).status, 200, path);
    }
    assert.equal((await call(demo, 'GET', '/api/v1/namespaces/hst-acme/')).status, 200, 'a namespace is an object at /api/v1/namespaces/{name}');
    assert.equal((await call(demo, 'GET', '/api/v1/namespaces/hst-acme/pods')).status, 200);
  });

  it('refuses subresources with their own reason and other unknown paths with a plain NotFound', async () => {
    const name = demo.state.all('Pod')[0]?.metadata.name ?? 'none';
    assert.deepEqual(await call(demo, 'GET', `/api/v1/namespaces/hst-acme/pods/${name}/status`), {
      status: 404,
      message: 'the server could not find the requested resource (subresources are not served by the demo cluster)',
    });
    for (const path of ['/', '/nope', '/api/v1/pods/a/b', '/api/v9', '/apis/networking.k8s.io/v1/nope', '/api/v1/nodes/x']) {
      assert.deepEqual(await call(demo, 'GET', path), { status: 404, message: 'the server could not find the requested resource' }, path);
    }
  });

  it('answers any method but GET with 405 on every Kubernetes API path, known or not', async () => {
    for (const path of ['/api/v1/pods', '/nope']) {
      const r = await call(demo, 'DELETE', path);
      assert.equal(r.status, 405, path);
      assert.match(r.message ?? '', /read-only over the Kubernetes API; use http:\/\/127\.0\.0\.1:\d+\/demo\/v1\/apply/);
    }
  });

  it('answers an admin path with 405 unless it is a POST, and an unknown POST action with 404', async () => {
    assert.equal((await call(demo, 'GET', '/demo/v1/state/')).status, 200);
    assert.deepEqual(await call(demo, 'GET', '/demo/v1/apply'), { status: 405, message: 'use POST' });
    assert.deepEqual(await call(demo, 'PUT', '/demo/v1/state'), { status: 405, message: 'use POST' });
    assert.deepEqual(await call(demo, 'GET', '/demo/v1/nope'), { status: 405, message: 'use POST' });
    assert.deepEqual(await call(demo, 'POST', '/demo/v1/nope'), { status: 404, message: 'unknown demo action "nope"' });
    assert.deepEqual(await call(demo, 'POST', '/demo/v1/state'), { status: 404, message: 'unknown demo action "state"' });
    assert.deepEqual(await call(demo, 'POST', '/demo/v1/timeline'), { status: 404, message: 'unknown demo action "timeline"' });
  });

  it('serves no admin endpoint when told not to', async () => {
    assert.equal((await call(plain, 'GET', '/demo/v1/state')).status, 404);
    assert.equal((await call(plain, 'POST', '/demo/v1/apply')).status, 405);
  });
});
