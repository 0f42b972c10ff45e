/**
 * The scenarios of the ingress rules (class, address, backends, route conflicts, TLS hosts) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. ingress.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import { edge, f, HOST, node, ref, resolverInfo } from '../__fixtures__/load';
import { gap, ing, one, type Scenario, tlsNode } from '../__fixtures__/scenario';

const WWW = 'www.my-client.junovy.com';
const OTHER = 'other.my-client.junovy.com';

export const INGRESS_SCENARIOS: Scenario[] = [
  {
    title: 'an Ingress without a class, when no IngressClass is the default, is down with ingress.class-missing',
    fixture: 'ingress-class-missing',
    domains: one('down', f('ingress.class-missing', 'critical', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'an Ingress without a class is served by the IngressClass marked as the default',
    fixture: 'ingress-class-default',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.routes[0]!.ingressClass, 'traefik-external'),
  },
  {
    title: 'an Ingress naming an IngressClass that does not exist is down with ingress.class-unknown',
    fixture: 'ingress-class-unknown',
    domains: one('down', f('ingress.class-unknown', 'critical', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'the deprecated kubernetes.io/ingress.class annotation names the class as well',
    fixture: 'ingress-class-annotation',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.routes[0]!.ingressClass, 'traefik-external'),
  },
  {
    title: 'when IngressClasses cannot be read the class checks are skipped; the domain names the gap but is not unknown for it',
    fixture: 'ingress-class-unknown',
    edit: gap({ reason: 'forbidden', kind: 'IngressClass', message: 'ingressclasses.networking.k8s.io is forbidden' }),
    domains: one(
      'degraded',
      f('ingress.no-address', 'warning', ing, node('Ingress/my-app')),
      f('data.forbidden', 'info', ref('IngressClass', '*'), node(`Domain/${HOST}`)),
      resolverInfo(),
    ),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.gaps.map((g) => g.kind), ['IngressClass']),
  },
  {
    title: 'an Ingress with no load-balancer address is degraded with ingress.no-address',
    fixture: 'ingress-no-address',
    domains: one('degraded', f('ingress.no-address', 'warning', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'a route to a Service that does not exist is down with ingress.backend-service-missing on the route-to-Service edge',
    fixture: 'ingress-backend-service-missing',
    domains: one('down', f('ingress.backend-service-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app-svc')), resolverInfo()),
    // Service my-app has port 80 and no Ingress reaches it: probably the name the route meant.
    check: (r) =>
      assert.match(
        r.domains[0]!.findings[0]!.message,
        /routes to Service my-app-svc, which does not exist in hst-my-client; Service my-app, which no Ingress reaches, has port 80: did you mean it\?$/,
      ),
  },
  {
    title: 'a missing backend Service names no other Service when none that no Ingress reaches has the port asked for',
    fixture: 'ingress-backend-service-missing',
    edit: (s) => {
      s.ingresses[0]!.spec!.rules![0]!.http!.paths![0]!.backend!.service!.port = { number: 8443 };
    },
    domains: one('down', f('ingress.backend-service-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app-svc')), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /which does not exist in hst-my-client$/),
  },
  {
    title: 'a missing backend Service names no Service that another Ingress already reaches',
    fixture: 'ingress-backend-service-missing',
    edit: (s) => {
      const other = structuredClone(s.ingresses[0]!);
      other.metadata.name = 'other';
      other.spec!.rules![0]!.host = OTHER;
      other.spec!.tls = [{ hosts: [OTHER], secretName: 'other-tls' }];
      other.metadata.annotations = { ...other.metadata.annotations, 'external-dns.alpha.kubernetes.io/hostname': OTHER };
      other.spec!.rules![0]!.http!.paths![0]!.backend!.service!.name = 'my-app';
      s.ingresses.push(other);
    },
    domains: {
      ...one('down', f('ingress.backend-service-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app-svc')), resolverInfo()),
      [OTHER]: { health: 'healthy', findings: [resolverInfo('other', OTHER)] },
    },
    check: (r) => assert.match(r.domains.find((d) => d.host === HOST)!.findings[0]!.message, /which does not exist in hst-my-client$/),
  },
  {
    title: 'a route to a port the Service does not have is down with ingress.backend-port-missing',
    fixture: 'ingress-backend-port-missing',
    domains: one('down', f('ingress.backend-port-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app')), resolverInfo()),
  },
  {
    title: 'a route to a named Service port resolves by name, and the EndpointSlice port of that name serves it',
    fixture: 'ingress-backend-port-by-name',
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const s = r.domains[0]!.routes[0]!.service!;
      assert.deepStrictEqual(s.port, { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' });
      assert.deepStrictEqual(s.counts, { ready: 2, notReady: 0, terminating: 0, total: 2 });
    },
  },
  {
    title: 'a resource backend is a warning and a host rule without paths is down, both as ingress.backend-invalid',
    fixture: 'ingress-backend-invalid',
    domains: {
      [WWW]: { health: 'down', findings: [f('ingress.backend-invalid', 'critical', ing, node('Route/my-app/1/0')), resolverInfo('my-app', WWW)] },
      [HOST]: { health: 'degraded', findings: [f('ingress.backend-invalid', 'warning', ing, node('Route/my-app/0/1')), resolverInfo()] },
    },
  },
  {
    title: 'two Ingresses claiming the same host, path and pathType both get ingress.route-conflict',
    fixture: 'ingress-route-conflict',
    domains: one(
      'degraded',
      f('ingress.route-conflict', 'warning', ing, node('Route/my-app/0/0')),
      f('ingress.route-conflict', 'warning', ref('Ingress', 'my-app-canary'), node('Route/my-app-canary/0/0')),
      resolverInfo(),
      resolverInfo('my-app-canary'),
    ),
  },
  {
    title: 'two Ingresses sharing a host on different paths do not conflict and make one domain with two routes',
    fixture: 'ingress-two-paths',
    domains: one('healthy', resolverInfo('my-api'), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes.map((x) => `${x.ingress} ${x.path}`), ['my-api /api', 'my-app /']),
  },
  {
    title: 'an Ingress with no rules and no default backend is a namespace finding, ingress.no-rules, not a domain',
    fixture: 'ingress-no-rules',
    domains: one('healthy', resolverInfo()),
    namespace: { health: 'degraded', findings: [f('ingress.no-rules', 'warning', ref('Ingress', 'placeholder'), node('Ingress/placeholder'))] },
  },
  {
    title: 'a host served on a TLS entrypoint but listed in no spec.tls hosts is degraded with ingress.tls-host-uncovered',
    fixture: 'ingress-tls-host-uncovered',
    domains: one('degraded', f('ingress.tls-host-uncovered', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a host covered by a wildcard in spec.tls hosts is covered',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.spec!.tls = [{ hosts: ['*.my-client.junovy.com'], secretName: 'wildcard-tls' }];
    },
    domains: one('healthy', resolverInfo()),
  },
];

/** For every ingress code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const INGRESS_NEAR_MISSES: Record<string, string> = {
  'ingress.class-missing': 'ingress-class-default',
  'ingress.class-unknown': 'ingress-class-annotation',
  'ingress.no-address': 'seed',
  'ingress.no-rules': 'default-backend-only',
  'ingress.backend-invalid': 'seed',
  'ingress.backend-service-missing': 'seed',
  'ingress.backend-port-missing': 'ingress-backend-port-by-name',
  'ingress.route-conflict': 'ingress-two-paths',
  'ingress.tls-host-uncovered': 'a host covered by a wildcard in spec.tls hosts is covered',
};
