/**
 * The scenarios of IngressRoutes as a route kind (test code only): the seed chain served by a Traefik
 * IngressRoute instead of an Ingress (fixture `ingressroute`), healthy, and edited to break each link the
 * adapter reads: a missing backend Service, a TraefikService backend, a rule Chainboard cannot read, an
 * object of the old API group, and its Middlewares.
 */
import assert from 'node:assert/strict';
import type { SlimTraefikIngressRoute } from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';
import { edge, f, HOST, node, NS, ref } from '../__fixtures__/load';
import { type Scenario, svc, svcNode } from '../__fixtures__/scenario';
import { seedRuntime, withTraefik } from './traefik.scenarios';

const CRD_ROUTER = 'hst-my-client-my-app-5d41402abc4b2a76b971@kubernetescrd';

export const ir = ref('IngressRoute', 'my-app');
const nsNode = node(`Namespace/${NS}`);
const routeNode = node('Route/my-app/0/0');
const resolverInfoIr = f('tls.managed-by-resolver', 'info', ir, node(`TLS/${HOST}`));

const seedRoute = (s: Snapshot): SlimTraefikIngressRoute => s.ingressRoutes![0]!;

/** An edit of the seed IngressRoute's first route. */
const route =
  (edit: (r: NonNullable<NonNullable<SlimTraefikIngressRoute['spec']>['routes']>[number]) => void) =>
  (s: Snapshot) =>
    edit(seedRoute(s).spec!.routes![0]!);

export const INGRESSROUTE_SCENARIOS: Scenario[] = [
  {
    title: 'a domain served by an IngressRoute is the chain domain -> IngressRoute route -> Service -> endpoints -> Pods, healthy',
    fixture: 'ingressroute',
    domains: { [HOST]: { health: 'healthy', findings: [resolverInfoIr] } },
    check(r) {
      const d = r.domains[0]!;
      assert.deepStrictEqual(
        d.routes.map((x) => [x.id, x.kind, x.ingress, x.path, x.pathType, x.service?.name, x.service?.counts.ready]),
        [['Route/my-app/0/0', 'IngressRoute', 'my-app', '/', 'Prefix', 'my-app', 2]],
      );
      assert.deepStrictEqual(d.tls.source, { type: 'resolver', resolver: 'letsencrypt' });
      assert.equal(d.tls.enabled, true);
    },
  },
  {
    title: 'an IngressRoute route to a Service that does not exist is the missing backend, on the route -> Service edge',
    fixture: 'ingressroute',
    edit: route((r) => (r.services = [{ name: 'my-app-v2', port: 80 }])),
    domains: { [HOST]: { health: 'down', findings: [f('ingress.backend-service-missing', 'critical', ir, edge('Route/my-app/0/0', 'Service/my-app-v2')), resolverInfoIr] } },
    check(r) {
      const m = r.domains[0]!.findings[0]!;
      assert.match(m.message, /^IngressRoute my-app: app\.my-client\.junovy\.com\/ \(Prefix\) routes to Service my-app-v2, which does not exist/);
    },
  },
  {
    title: 'an IngressRoute route to a port the Service lacks (by name) is a missing backend port',
    fixture: 'ingressroute',
    edit: route((r) => (r.services = [{ name: 'my-app', port: 'grpc' }])),
    domains: { [HOST]: { health: 'down', findings: [f('ingress.backend-port-missing', 'critical', ir, edge('Route/my-app/0/0', 'Service/my-app')), resolverInfoIr] } },
  },
  {
    title: 'a TraefikService backend is not followed: the route is a warning that its chain is not verified, never healthy',
    fixture: 'ingressroute',
    edit: route((r) => (r.services = [{ name: 'split', kind: 'TraefikService' }])),
    domains: { [HOST]: { health: 'degraded', findings: [f('ingress.backend-invalid', 'warning', ir, routeNode), resolverInfoIr] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /routes to TraefikService traefik\.io\/TraefikService\/split, not a Service; Chainboard cannot follow it/);
    },
  },
  {
    title: 'each host of a Host() with several names, and each || alternative, is a domain of its own with the same backend',
    fixture: 'ingressroute',
    edit: route((r) => (r.match = '(Host(`app.my-client.junovy.com`) || Host(`www.my-client.junovy.com`)) && (PathPrefix(`/`) || Path(`/health`))')),
    domains: {
      [HOST]: { health: 'healthy', findings: [resolverInfoIr] },
      'www.my-client.junovy.com': { health: 'healthy', findings: [f('tls.managed-by-resolver', 'info', ir, node('TLS/www.my-client.junovy.com'))] },
    },
    check(r) {
      assert.deepStrictEqual(
        r.domains.find((d) => d.host === 'www.my-client.junovy.com')!.routes.map((x) => [x.id, x.path, x.pathType, x.service?.name]),
        [
          ['Route/my-app/0/2', '/', 'Prefix', 'my-app'],
          ['Route/my-app/0/3', '/health', 'Exact', 'my-app'],
        ],
      );
    },
  },
  {
    title: 'a rule Chainboard cannot read is traefik.match-unparsed on the namespace, with its text, and serves no domain',
    fixture: 'ingressroute',
    edit: route((r) => (r.match = 'Host(`app.my-client.junovy.com`) && PathPrefix(`/`')),
    domains: {},
    namespace: { health: 'degraded', findings: [f('traefik.match-unparsed', 'warning', ir, nsNode)] },
    check(r) {
      assert.match(r.namespaces[0]!.findings[0]!.message, /spec\.routes\[0\] could not be read \(expected '\)' at the end\): Host\(`app\.my-client\.junovy\.com`\) && PathPrefix\(`\/`$/);
    },
  },
  {
    title: 'an IngressRoute of the old traefik.containo.us group is traefik.legacy-crd-ignored and serves no domain, as Traefik v3 ignores it',
    fixture: 'ingressroute',
    edit: (s) => void (seedRoute(s).legacy = true),
    domains: {},
    namespace: { health: 'degraded', findings: [f('traefik.legacy-crd-ignored', 'warning', ir, nsNode)] },
  },
  {
    title: "an IngressRoute route's Middleware that does not exist is traefik.middleware-missing, about the IngressRoute",
    fixture: 'ingressroute',
    edit: (s) => {
      seedRoute(s).spec!.routes![0]!.middlewares = [{ name: 'auth' }];
      s.middlewares = [];
    },
    domains: { [HOST]: { health: 'down', findings: [f('traefik.middleware-missing', 'critical', ir, node(`Traefik/${HOST}`)), resolverInfoIr] } },
    check(r) {
      assert.deepStrictEqual(r.domains[0]!.traefik!.routers[0]!.middlewares, [{ name: 'hst-my-client-auth@kubernetescrd', state: 'missing' }]);
    },
  },
  {
    title: "an IngressRoute route's existing Middleware is healthy",
    fixture: 'ingressroute',
    edit: (s) => {
      seedRoute(s).spec!.routes![0]!.middlewares = [{ name: 'auth' }];
      s.middlewares = [{ metadata: { name: 'auth', namespace: NS }, type: 'basicAuth' }];
    },
    domains: { [HOST]: { health: 'healthy', findings: [resolverInfoIr] } },
    check(r) {
      assert.deepStrictEqual(r.domains[0]!.traefik!.routers[0]!.middlewares, [{ name: 'hst-my-client-auth@kubernetescrd', state: 'ok' }]);
    },
  },
  {
    title: "Traefik's router of an IngressRoute route is found by its rule among the object's routers, shown, and judged healthy",
    fixture: 'ingressroute',
    edit: withTraefik({
      runtime: seedRuntime({
        routers: [
          // Another IngressRoute route of the same object, with another rule: not this route's router.
          { name: 'hst-my-client-my-app-0000000000aaaaaaaaaa@kubernetescrd', provider: 'kubernetescrd', status: 'disabled', rule: 'Host(`other.example`)' },
          { name: CRD_ROUTER, provider: 'kubernetescrd', status: 'enabled', entryPoints: ['websecure'], using: ['websecure'], rule: 'Host(`app.my-client.junovy.com`) && PathPrefix(`/`)' },
        ],
      }),
    }),
    domains: { [HOST]: { health: 'healthy', findings: [resolverInfoIr] } },
    check(r) {
      const t = r.domains[0]!.traefik!;
      assert.deepStrictEqual(t.routers, [{ routeId: 'Route/my-app/0/0', name: CRD_ROUTER, status: 'enabled', entryPoints: ['websecure'], middlewares: [] }]);
      assert.equal(t.health, 'healthy');
    },
  },
  {
    title: "without a router of Traefik's for an IngressRoute route, traefik.router-missing names the route by its name pattern and the CRD provider",
    fixture: 'ingressroute',
    edit: withTraefik(),
    domains: { [HOST]: { health: 'down', findings: [f('traefik.router-missing', 'critical', ir, node(`Traefik/${HOST}`)), resolverInfoIr] } },
    check(r) {
      const d = r.domains[0]!;
      assert.deepStrictEqual(d.traefik!.routers, [{ routeId: 'Route/my-app/0/0', name: 'hst-my-client-my-app-<hash>@kubernetescrd', status: 'missing', entryPoints: ['websecure'], middlewares: [] }]);
      assert.match(d.findings[0]!.message, /^Traefik has no router hst-my-client-my-app-<hash>@kubernetescrd for app\.my-client\.junovy\.com\/ of IngressRoute my-app: its Kubernetes CRD provider/);
    },
  },
  {
    title: "a disabled router of an IngressRoute route is traefik.router-error with Traefik's own words, about the IngressRoute",
    fixture: 'ingressroute',
    edit: withTraefik({
      runtime: seedRuntime({
        routers: [
          {
            name: CRD_ROUTER,
            provider: 'kubernetescrd',
            status: 'disabled',
            entryPoints: ['websecure'],
            using: ['websecure'],
            rule: 'Host(`app.my-client.junovy.com`) && PathPrefix(`/`)',
            error: ['the router uses a non-existent TLS option "strict"'],
          },
        ],
      }),
    }),
    domains: { [HOST]: { health: 'down', findings: [f('traefik.router-error', 'critical', ir, node(`Traefik/${HOST}`)), resolverInfoIr] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /disabled router hst-my-client-my-app-5d41402abc4b2a76b971@kubernetescrd .*non-existent TLS option "strict"/);
    },
  },
  {
    title: 'a Service behind an IngressRoute with no ready endpoints is judged as behind an Ingress',
    fixture: 'ingressroute',
    edit: (s) => {
      for (const sl of s.endpointSlices) for (const e of sl.endpoints ?? []) e.conditions = { ...e.conditions, ready: false };
    },
    domains: {
      [HOST]: {
        health: 'down',
        findings: [f('service.no-ready-endpoints', 'critical', svc, svcNode), resolverInfoIr],
      },
    },
  },
  {
    title: "an Ingress's own findings stay on its routes, not on the routes of an IngressRoute of the same name",
    fixture: 'ingressroute',
    edit: (s) => {
      s.ingresses.push({ metadata: { name: 'my-app', namespace: NS }, spec: { rules: [{ host: 'other.my-client.junovy.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'my-app', port: { number: 80 } } } }] } }] } });
    },
    domains: {
      [HOST]: { health: 'healthy', findings: [resolverInfoIr] },
      'other.my-client.junovy.com': {
        health: 'down',
        findings: [
          f('ingress.class-missing', 'critical', ref('Ingress', 'my-app'), node('Ingress/my-app')),
        ],
      },
    },
  },
];

/** Near-misses: the healthy IngressRoute. */
export const INGRESSROUTE_NEAR_MISSES: Record<string, string> = {
  'traefik.match-unparsed': INGRESSROUTE_SCENARIOS[0]!.title,
  'traefik.legacy-crd-ignored': INGRESSROUTE_SCENARIOS[0]!.title,
};

