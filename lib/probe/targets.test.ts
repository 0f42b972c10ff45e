import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { LoadBalancerIngress, SlimIngress } from '../model/k8s';
import { probeRouteKind, routeProbeSources } from '../chain';
import type { SlimTraefikIngressRoute } from '../model/k8s';
import { loopbackOnly, probeTargets } from './targets';

function ingress(name: string, hosts: (string | undefined)[], lb: LoadBalancerIngress[] = []): SlimIngress {
  return {
    metadata: { name, namespace: 'hst-acme' },
    spec: { ingressClassName: 'traefik-external', rules: hosts.map((host) => (host === undefined ? {} : { host })) },
    status: { loadBalancer: { ingress: lb } },
  };
}

const on = { enabled: true, port: 443 };

/** What is dialled, without the HTTP checks of each host (http.test.ts covers those). */
const dialTargets = (...args: Parameters<typeof probeTargets>) => probeTargets(...args).map(({ http: _http, ...t }) => t);

describe('probeTargets', () => {
  test('every Ingress rule host becomes one target at its load-balancer IP, lower-cased and deduplicated', () => {
    const targets = dialTargets(
      [
        ingress('shop', ['Shop.Acme.test', 'api.acme.test'], [{ ip: '127.0.0.10' }]),
        ingress('shop-admin', ['shop.acme.test'], [{ ip: '127.0.0.99' }]),
      ],
      on,
    );
    assert.deepEqual(targets, [
      { host: 'shop.acme.test', address: '127.0.0.10', port: 443 },
      { host: 'api.acme.test', address: '127.0.0.10', port: 443 },
    ]);
  });

  test('a load balancer published by hostname is dialled by that hostname; an ip in the same entry wins', () => {
    const targets = dialTargets(
      [
        ingress('a', ['a.acme.test'], [{ hostname: 'lb-123.elb.example' }]),
        ingress('b', ['b.acme.test'], [{ ip: '127.0.0.11', hostname: 'lb-456.elb.example' }]),
      ],
      on,
    );
    assert.deepEqual(targets, [
      { host: 'a.acme.test', address: 'lb-123.elb.example', port: 443 },
      { host: 'b.acme.test', address: '127.0.0.11', port: 443 },
    ]);
  });

  test('wildcard hosts and rules without a host are never targets', () => {
    const targets = dialTargets([ingress('wild', ['*.acme.test', undefined, 'www.acme.test'], [{ ip: '127.0.0.12' }])], on);
    assert.deepEqual(targets, [{ host: 'www.acme.test', address: '127.0.0.12', port: 443 }]);
  });

  test('a host whose load balancer is still pending is a target without an address (DNS only)', () => {
    assert.deepEqual(dialTargets([ingress('pending', ['new.acme.test'])], on), [{ host: 'new.acme.test', port: 443 }]);
  });

  test('a later Ingress for the same host supplies the address the first lacks', () => {
    const targets = dialTargets([ingress('first', ['x.acme.test']), ingress('second', ['x.acme.test'], [{ ip: '127.0.0.13' }])], on);
    assert.deepEqual(targets, [{ host: 'x.acme.test', address: '127.0.0.13', port: 443 }]);
  });

  test('the configured probe address and port replace the load-balancer address for every host', () => {
    const targets = dialTargets(
      [ingress('a', ['a.acme.test'], [{ ip: '203.0.113.7' }]), ingress('b', ['b.acme.test'])],
      { enabled: true, port: 8443, address: '127.0.0.2' },
    );
    assert.deepEqual(targets, [
      { host: 'a.acme.test', address: '127.0.0.2', port: 8443 },
      { host: 'b.acme.test', address: '127.0.0.2', port: 8443 },
    ]);
  });

  test('the loopback guard drops every address outside 127.0.0.0/8 and keeps the host for DNS', () => {
    const targets = dialTargets(
      [
        ingress('public', ['public.acme.test'], [{ ip: '203.0.113.7' }]),
        ingress('named', ['named.acme.test'], [{ hostname: 'localhost' }]),
        ingress('local', ['local.acme.test'], [{ ip: '127.0.0.14' }]),
      ],
      { ...on, allowAddress: loopbackOnly },
    );
    assert.deepEqual(targets, [
      { host: 'public.acme.test', port: 443 },
      { host: 'named.acme.test', port: 443 },
      { host: 'local.acme.test', address: '127.0.0.14', port: 443 },
    ]);
  });

  test('with probing disabled there are no targets at all', () => {
    assert.deepEqual(dialTargets([ingress('a', ['a.acme.test'], [{ ip: '127.0.0.10' }])], { enabled: false, port: 443 }), []);
  });
});

describe('probeTargets of IngressRoutes', () => {
  const ir = (name: string, matches: string[], extra: Partial<SlimTraefikIngressRoute> = {}): SlimTraefikIngressRoute => ({
    metadata: { name, namespace: 'hst-route', annotations: { 'chainboard.io/expect-status': '401' } },
    spec: { entryPoints: ['websecure'], routes: matches.map((match) => ({ match, services: [{ name: 'web', port: 80 }] })), tls: { certResolver: 'le' } },
    ...extra,
  });

  test("each host of an IngressRoute's matches is a target, its paths are checks that name the IngressRoute", () => {
    const views = routeProbeSources({ ingresses: [], ingressRoutes: [ir('shop', ['Host(`shop.example.com`) && PathPrefix(`/cart`)', 'Host(`shop.example.com`, `www.shop.example.com`)'])] });
    const targets = probeTargets(views, { ...on, address: '127.0.0.1', routeKind: probeRouteKind });
    assert.deepEqual(
      targets.map((t) => [t.host, t.address, t.http?.map((c) => [c.path, c.route.kind, c.route.ingress, c.route.path, c.expectStatus])]),
      [
        ['shop.example.com', '127.0.0.1', [['/cart', 'IngressRoute', 'shop', '/cart', [401]], ['/', 'IngressRoute', 'shop', '/', [401]]]],
        ['www.shop.example.com', '127.0.0.1', [['/', 'IngressRoute', 'shop', '/', [401]]]],
      ],
    );
  });

  test('an Ingress keeps naming itself beside an IngressRoute of the same name', () => {
    const targets = probeTargets([ingress('shop', ['a.example.com']), ...routeProbeSources({ ingresses: [], ingressRoutes: [ir('shop', ['Host(`b.example.com`)'])] })], { ...on, routeKind: probeRouteKind });
    assert.deepEqual(targets.map((t) => [t.host, t.http?.[0]?.route.kind]), [['a.example.com', undefined], ['b.example.com', 'IngressRoute']]);
  });

  test('legacy-group objects and unreadable matches are probed for nothing', () => {
    const views = routeProbeSources({ ingresses: [], ingressRoutes: [ir('old', ['Host(`old.example.com`)'], { legacy: true }), ir('bad', ['Host(`bad.example.com`'])] });
    assert.deepEqual(probeTargets(views, on), []);
  });
});

describe('loopbackOnly', () => {
  test('accepts 127.0.0.0/8 and nothing else, not even names or IPv6 loopback', () => {
    const cases = ['127.0.0.1', '127.1.2.3', '127.255.255.254', '128.0.0.1', '10.0.0.1', '::1', 'localhost', '127.0.0.1.nip.io', ''];
    assert.deepEqual(
      cases.map((a) => [a, loopbackOnly(a)]),
      [
        ['127.0.0.1', true],
        ['127.1.2.3', true],
        ['127.255.255.254', true],
        ['128.0.0.1', false],
        ['10.0.0.1', false],
        ['::1', false],
        ['localhost', false],
        ['127.0.0.1.nip.io', false],
        ['', false],
      ],
    );
  });
});
