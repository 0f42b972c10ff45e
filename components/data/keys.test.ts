import { test } from 'node:test';
import assert from 'node:assert/strict';
import { focusOf, hrefs, keys, overviewSearch } from './keys';

test('equal overview views have equal keys and URLs, defaults left out', () => {
  assert.equal(keys.overview({}), '/api/v1/overview?limit=50');
  assert.equal(keys.overview({ q: '  acme ', health: 'down', offset: 0 }), '/api/v1/overview?q=acme&health=down&limit=50');
  assert.equal(keys.overview({ offset: 100, limit: 20 }), '/api/v1/overview?offset=100&limit=20');
  assert.equal(overviewSearch({ q: '', offset: 0 }), '');
  assert.equal(hrefs.overview({ q: 'a b', health: 'healthy' }), '/?q=a+b&health=healthy');
  assert.equal(hrefs.overview(), '/');
});

test('resource keys and page links escape what they must', () => {
  assert.equal(keys.domain({ cluster: 'eu', host: '*.preview.acme.junovy.com' }), '/api/v1/domains/*.preview.acme.junovy.com?cluster=eu');
  assert.equal(keys.namespace({ cluster: 'default', name: 'hst-acme' }), '/api/v1/namespaces/hst-acme?cluster=default');
  assert.equal(hrefs.namespace({ cluster: 'us-east', name: 'hst-acme' }), '/c/us-east/ns/hst-acme');
});

test('a focus link keeps the node id readable: ?focus=Service/my-app', () => {
  const app = { cluster: 'default', host: 'app.example.com' };
  assert.equal(hrefs.domain(app, 'Service/my-app'), '/c/default/d/app.example.com?focus=Service/my-app');
  assert.equal(hrefs.domain(app, 'Route/web/0/1'), '/c/default/d/app.example.com?focus=Route/web/0/1');
  assert.equal(hrefs.domain(app, 'Endpoint/s-1/fe80::1'), '/c/default/d/app.example.com?focus=Endpoint/s-1/fe80%3A%3A1');
  assert.equal(hrefs.domain(app), '/c/default/d/app.example.com');
  const back = new URL(`http://x${hrefs.domain({ cluster: 'eu', host: 'a.b' }, 'Pod/x y&z')}`).searchParams.get('focus');
  assert.equal(back, 'Pod/x y&z');
});

test('a finding is shown on its node, or on the target of its edge', () => {
  assert.equal(focusOf({ type: 'node', id: 'Service/a' }), 'Service/a');
  assert.equal(focusOf({ type: 'edge', from: 'Route/a/0/0', to: 'Service/a' }), 'Service/a');
});

test('the domain view keeps its view and order in the URL and asks the domain list for them', () => {
  assert.equal(hrefs.overview({ view: 'domains', q: 'acme', health: 'degraded', sort: 'name' }), '/?view=domains&q=acme&health=degraded&sort=name');
  assert.equal(hrefs.overview({ view: 'domains', sort: 'health' }), '/?view=domains', 'worst first is the default order');
  assert.equal(hrefs.overview({ view: 'environments', sort: 'name' }), '/', 'environments have one order');
  assert.equal(keys.domains({ view: 'domains', q: 'acme', sort: 'environment', offset: 100 }), '/api/v1/domains?q=acme&sort=environment&offset=100&limit=100');
  assert.equal(keys.domains({}), '/api/v1/domains?limit=100');
  assert.equal(keys.overview({ view: 'domains', q: 'acme', sort: 'name' }), '/api/v1/overview?q=acme&limit=50');
});
