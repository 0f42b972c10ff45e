import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from './router';

const router = new Router<string>([
  { method: 'GET', pattern: '/version', handler: 'version' },
  { method: 'GET', pattern: '/api/:version/namespaces/:namespace/:plural', handler: 'namespaced list' },
  { method: 'GET', pattern: '/api/:version/:plural/:name', handler: 'cluster get' },
  { method: 'GET', pattern: '/api/:version/namespaces/:namespace/:plural/:name/*', handler: 'subresource' },
  { method: 'POST', pattern: 'timeline/step', handler: 'step' },
  { method: '*', pattern: 'anything', handler: 'any method' },
]);

const split = (path: string) => path.split('/').filter(Boolean);

describe('the demo route table', () => {
  it('finds a route by its literal segments', () => {
    assert.deepEqual(router.match('GET', split('/version')), { kind: 'found', handler: 'version', params: {} });
  });

  it('captures :name segments into params', () => {
    assert.deepEqual(router.match('GET', split('/api/v1/namespaces/hst-acme/pods')), {
      kind: 'found',
      handler: 'namespaced list',
      params: { version: 'v1', namespace: 'hst-acme', plural: 'pods' },
    });
  });

  it('matches only paths of the pattern’s length, so the same prefix can lead to different routes', () => {
    assert.deepEqual(router.match('GET', split('/api/v1/namespaces/hst-acme')), {
      kind: 'found',
      handler: 'cluster get',
      params: { version: 'v1', plural: 'namespaces', name: 'hst-acme' },
    });
    assert.deepEqual(router.match('GET', split('/api/v1/namespaces')), { kind: 'not-found' });
  });

  it('lets a final * take one or more further segments, but not none', () => {
    const match = router.match('GET', split('/api/v1/namespaces/a/pods/p/status/extra'));
    assert.equal(match.kind === 'found' && match.handler, 'subresource');
    assert.deepEqual(router.match('GET', split('/api/v1/namespaces/a/pods/p')), { kind: 'not-found' });
  });

  it('tells a path served for other methods from one not served at all', () => {
    assert.deepEqual(router.match('GET', ['timeline', 'step']), { kind: 'method-not-allowed', allowed: ['POST'] });
    assert.deepEqual(router.match('POST', ['timeline', 'jump']), { kind: 'not-found' });
  });

  it('serves every method on a * route', () => {
    for (const method of ['GET', 'POST', 'DELETE']) assert.equal(router.match(method, ['anything']).kind, 'found');
  });

  it('takes the first route that fits when two do', () => {
    const twice = new Router<number>([
      { method: 'GET', pattern: '/a/:x', handler: 1 },
      { method: 'GET', pattern: '/a/b', handler: 2 },
    ]);
    assert.deepEqual(twice.match('GET', ['a', 'b']), { kind: 'found', handler: 1, params: { x: 'b' } });
  });
});
