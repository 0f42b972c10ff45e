import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backendGrant, intersectHostname, listenerRefuses, routeHostsThrough, selectorMatches } from './gateway-api';

describe('the hostnames an HTTPRoute and a listener share', () => {
  test('equal names, and a name under the other one\'s wildcard, are the name; a wildcard matches any number of labels, never the bare suffix', () => {
    assert.equal(intersectHostname('shop.example.com', 'shop.example.com'), 'shop.example.com');
    assert.equal(intersectHostname('shop.example.com', '*.example.com'), 'shop.example.com');
    assert.equal(intersectHostname('a.b.example.com', '*.example.com'), 'a.b.example.com');
    assert.equal(intersectHostname('example.com', '*.example.com'), undefined);
    assert.equal(intersectHostname('*.example.com', 'shop.example.com'), 'shop.example.com');
    assert.equal(intersectHostname('shop.example.org', '*.example.com'), undefined);
  });

  test('of two wildcards the narrower one; a listener without hostname takes every name; names compare without case or trailing dot', () => {
    assert.equal(intersectHostname('*.shop.example.com', '*.example.com'), '*.shop.example.com');
    assert.equal(intersectHostname('*.example.com', '*.shop.example.com'), '*.shop.example.com');
    assert.equal(intersectHostname('*.example.com', '*.example.com'), '*.example.com');
    assert.equal(intersectHostname('Shop.Example.com.', undefined), 'shop.example.com');
  });

  test('a route without hostnames serves the listener hostname, or every name (`*`) when the listener has none', () => {
    const route = { metadata: { name: 'r' }, spec: {} };
    assert.deepEqual(routeHostsThrough(route, { hostname: '*.example.com' }), ['*.example.com']);
    assert.deepEqual(routeHostsThrough(route, {}), ['*']);
    assert.deepEqual(routeHostsThrough({ metadata: { name: 'r' }, spec: { hostnames: ['a.example.com', 'b.example.org', 'A.example.com'] } }, { hostname: '*.example.com' }), ['a.example.com']);
  });
});

describe('which listeners take an HTTPRoute', () => {
  test('only HTTP and HTTPS listeners, of the kinds and namespaces they allow', () => {
    assert.match(listenerRefuses({ name: 'tls', protocol: 'TLS' }, 'gw', 'app', undefined) ?? '', /is TLS, not HTTP or HTTPS/);
    assert.match(listenerRefuses({ name: 'web', protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } }, 'gw', 'app', undefined) ?? '', /allows only GRPCRoute/);
    assert.match(listenerRefuses({ name: 'web', protocol: 'HTTP' }, 'gw', 'app', undefined) ?? '', /own namespace \(gw\) only/);
    assert.equal(listenerRefuses({ name: 'web', protocol: 'HTTP' }, 'app', 'app', undefined), undefined);
    assert.equal(listenerRefuses({ name: 'web', protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } } }, 'gw', 'app', undefined), undefined);
    const bySelector = { name: 'web', protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } } };
    assert.equal(listenerRefuses(bySelector, 'gw', 'app', { team: 'shop' }), undefined);
    assert.match(listenerRefuses(bySelector, 'gw', 'app', { team: 'blog' }) ?? '', /its selector selects, not app/);
    // Without the namespace's labels, the controller's status is the judge.
    assert.equal(listenerRefuses(bySelector, 'gw', 'app', undefined), undefined);
  });

  test('label selectors: matchLabels and the set-based operators', () => {
    const labels = { team: 'shop', tier: 'web' };
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'In', values: ['shop', 'blog'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['shop'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { tier: 'db' } }, labels), false);
  });
});

describe('cross-namespace backends and ReferenceGrants', () => {
  const grant = (to: { group?: string; kind?: string; name?: string }, from = 'app') => ({
    metadata: { name: 'g', namespace: 'shared' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: from }], to: [to] },
  });

  test('a same-namespace backend needs no grant; another namespace\'s needs one there, for HTTPRoutes of the route\'s namespace', () => {
    assert.equal(backendGrant({ name: 'api' }, 'app', []), 'same-namespace');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', []), 'not-granted');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', [grant({ group: '', kind: 'Service' })]), 'granted');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', [grant({ group: '', kind: 'Service' }, 'other')]), 'not-granted');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', [grant({ group: '', kind: 'Service', name: 'web' })]), 'not-granted');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', [grant({ group: '', kind: 'Service', name: 'api' })]), 'granted');
    assert.equal(backendGrant({ name: 'api', namespace: 'shared' }, 'app', undefined), 'not-checked');
  });
});
