/**
 * The scenarios of the traefik rules (test code only): the seed chain with Traefik's runtime view as its
 * API reports it (shapes recorded from Traefik v3's pkg/api handlers) and with Middleware objects, for
 * each code a scenario that triggers it, with the whole expected outcome, and a healthy near-miss.
 */
import assert from 'node:assert/strict';
import type { SlimTraefikMiddleware } from '../../model/k8s';
import type { DomainChain } from '../../model/chain';
import type { Snapshot } from '../../model/snapshot';
import type { TraefikRouter, TraefikRuntime, TraefikService, TraefikView } from '../../model/traefik';
import { f, HOST, node, NOW, NS, resolverInfo } from '../__fixtures__/load';
import { ing, one, pod, podNode, type Scenario, svc, svcNode } from '../__fixtures__/scenario';
import { TRAEFIK_MIDDLEWARES } from './traefik';

export const traefikNode = node(`Traefik/${HOST}`);
export const SEED_ROUTER = 'hst-my-client-my-app-app-my-client-junovy-com@kubernetes';
export const SEED_SERVICE = 'hst-my-client-my-app-80@kubernetes';
export const API = 'http://traefik-api.traefik.svc:9000';

/** Traefik's runtime for the seed chain, healthy: a TLS router on websecure, two servers up. */
export function seedRuntime(edit: { router?: Partial<TraefikRouter>; service?: Partial<TraefikService>; routers?: TraefikRouter[] } = {}): TraefikRuntime {
  const router: TraefikRouter = {
    name: SEED_ROUTER,
    provider: 'kubernetes',
    status: 'enabled',
    entryPoints: ['websecure'],
    using: ['websecure'],
    service: 'hst-my-client-my-app-80',
    rule: 'Host(`app.my-client.junovy.com`) && PathPrefix(`/`)',
    tls: { certResolver: 'letsencrypt', options: 'default' },
    ...edit.router,
  };
  const service: TraefikService = {
    name: SEED_SERVICE,
    provider: 'kubernetes',
    status: 'enabled',
    type: 'loadbalancer',
    servers: ['http://10.42.0.11:8080', 'http://10.42.0.12:8080'],
    ...edit.service,
  };
  return {
    fetchedAt: NOW.toISOString(),
    routers: edit.routers ?? [router],
    services: [service],
    middlewares: [{ name: 'hst-my-client-auth@kubernetescrd', provider: 'kubernetescrd', status: 'enabled', type: 'basicauth' }],
    entryPoints: [
      { name: 'web', address: ':8000', tls: false, redirectTo: 'websecure' },
      { name: 'websecure', address: ':8443', tls: true },
      { name: 'traefik', address: ':9000', tls: false },
    ],
  };
}

/** An edit giving the snapshot Traefik's view. */
export const withTraefik = (view: Partial<TraefikView> = { runtime: seedRuntime() }) => (s: Snapshot) => {
  s.traefik = { api: API, ...view };
};

const mw = (namespace: string, name: string): SlimTraefikMiddleware => ({ metadata: { name, namespace }, type: 'basicAuth' });

/** An edit naming Middlewares on the seed Ingress, with the Middleware objects read. */
export const withMiddlewares = (annotation: string, objects: SlimTraefikMiddleware[]) => (s: Snapshot) => {
  const md = s.ingresses[0]!.metadata;
  md.annotations = { ...md.annotations, [TRAEFIK_MIDDLEWARES]: annotation };
  s.middlewares = objects;
};

const both =
  (...edits: ((s: Snapshot) => void)[]) =>
  (s: Snapshot) => {
    for (const e of edits) e(s);
  };

const traefikOf = (r: { domains: DomainChain[] }) => r.domains[0]!.traefik!;

export const TRAEFIK_SCENARIOS: Scenario[] = [
  {
    title: "a route whose router Traefik has enabled on websecure with TLS is healthy, and the router is shown",
    fixture: 'seed',
    edit: withTraefik(),
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const t = traefikOf(r);
      assert.equal(t.health, 'healthy');
      assert.deepStrictEqual(t.check, { state: 'checked', fetchedAt: NOW.toISOString() });
      assert.deepStrictEqual(t.routers, [{ routeId: 'Route/my-app/0/0', name: SEED_ROUTER, status: 'enabled', entryPoints: ['websecure'], middlewares: [] }]);
    },
  },
  {
    title: 'without Traefik\'s API the router is not checked, never healthy',
    fixture: 'seed',
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const t = traefikOf(r);
      assert.equal(t.health, 'not-checked');
      assert.deepStrictEqual(t.check, { state: 'not-checked', reasons: ['api-off'] });
      assert.equal(t.routers[0]!.name, SEED_ROUTER);
      assert.equal(t.routers[0]!.status, undefined);
    },
  },
  {
    title: 'an API that never answered leaves the router not checked, with the reason',
    fixture: 'seed',
    edit: withTraefik({ error: { message: 'connect ECONNREFUSED 127.0.0.1:9000', since: NOW.toISOString() } }),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).check, { state: 'not-checked', reasons: ['api-unreachable'], error: 'connect ECONNREFUSED 127.0.0.1:9000' }),
  },
  {
    title: 'an API not read yet leaves the router not checked, not read yet',
    fixture: 'seed',
    edit: withTraefik({}),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).check, { state: 'not-checked', reasons: ['api-pending'] }),
  },
  {
    title: 'an API that stopped answering keeps its last good answer, marked stale since the first failure',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ routers: [] }), error: { message: 'timeout after 5000 ms', since: '2025-06-01T11:59:00.000Z' } }),
    domains: one('down', f('traefik.router-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).check, { state: 'checked', fetchedAt: NOW.toISOString(), staleSince: '2025-06-01T11:59:00.000Z', error: 'timeout after 5000 ms' }),
  },
  {
    title: 'an Ingress rule Traefik has no router for is down with traefik.router-missing',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ routers: [] }) }),
    domains: one('down', f('traefik.router-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => {
      const x = r.domains[0]!.findings.find((y) => y.code === 'traefik.router-missing')!;
      assert.match(x.message, /no router hst-my-client-my-app-app-my-client-junovy-com@kubernetes for app\.my-client\.junovy\.com\/ of Ingress my-app/);
      assert.equal(traefikOf(r).routers[0]!.status, 'missing');
    },
  },
  {
    title: "a router Traefik disabled is down with traefik.router-error and Traefik's own error text",
    fixture: 'seed',
    edit: withTraefik({
      runtime: seedRuntime({ router: { status: 'disabled', middlewares: ['hst-my-client-gone@kubernetescrd'], error: ['middleware "hst-my-client-gone@kubernetescrd" does not exist'] } }),
    }),
    domains: one('down', f('traefik.router-error', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => {
      const x = r.domains[0]!.findings.find((y) => y.code === 'traefik.router-error')!;
      assert.match(x.message, /middleware "hst-my-client-gone@kubernetescrd" does not exist/);
      assert.equal(x.hint, `curl -s ${API}/api/http/routers/${encodeURIComponent(SEED_ROUTER)}`);
      assert.deepStrictEqual(traefikOf(r).routers[0]!.middlewares, [{ name: 'hst-my-client-gone@kubernetescrd', state: 'missing' }]);
    },
  },
  {
    title: 'a router Traefik keeps with a warning is degraded with traefik.router-error',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ router: { status: 'warning', error: ['entryPoint "websecur" doesn\'t exist'] } }) }),
    domains: one('degraded', f('traefik.router-error', 'warning', ing, traefikNode), resolverInfo()),
  },
  {
    title: 'a Traefik service without servers is down with traefik.service-no-servers',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ service: { servers: [] } }) }),
    domains: one('down', f('traefik.service-no-servers', 'critical', ing, traefikNode), resolverInfo()),
  },
  {
    title: "servers Traefik's health check marks DOWN are degraded with traefik.server-down",
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ service: { serverStatus: { 'http://10.42.0.11:8080': 'UP', 'http://10.42.0.12:8080': 'DOWN' } } }) }),
    domains: one('degraded', f('traefik.server-down', 'warning', ing, traefikNode), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /1 of 2 servers .* DOWN: http:\/\/10\.42\.0\.12:8080/),
  },
  {
    title: 'a router only on web while the domain asks for HTTPS is down with traefik.entrypoint-mismatch',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ router: { entryPoints: ['web'], using: ['web'], tls: undefined } }) }),
    domains: one('down', f('traefik.entrypoint-mismatch', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /does not answer HTTPS on its entrypoints \(web, no TLS\) .*HTTPS requests get 404/),
  },
  {
    title: 'a router pinned to web keeps its cert resolver and is still down with traefik.entrypoint-mismatch: it speaks TLS on the plain port',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ router: { entryPoints: ['web'], using: ['web'] } }) }),
    domains: one('down', f('traefik.entrypoint-mismatch', 'critical', ing, traefikNode), resolverInfo()),
  },
  {
    title: 'a router on websecure without TLS where websecure terminates none is down with traefik.entrypoint-mismatch',
    fixture: 'seed',
    edit: (s) => {
      const rt = seedRuntime({ router: { tls: undefined } });
      rt.entryPoints = rt.entryPoints!.map((e) => ({ ...e, tls: false }));
      withTraefik({ runtime: rt })(s);
    },
    domains: one('down', f('traefik.entrypoint-mismatch', 'critical', ing, traefikNode), resolverInfo()),
  },
  {
    title: 'a router on websecure without router.tls, where websecure terminates TLS, is healthy',
    fixture: 'seed',
    edit: withTraefik({ runtime: seedRuntime({ router: { tls: undefined } }) }),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a router.middlewares reference to a Middleware that does not exist is down with traefik.middleware-missing',
    fixture: 'seed',
    edit: withMiddlewares('hst-my-client-auth@kubernetescrd', []),
    domains: one('down', f('traefik.middleware-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).routers[0]!.middlewares, [{ name: 'hst-my-client-auth@kubernetescrd', state: 'missing' }]),
  },
  {
    title: 'a Middleware named without its namespace and provider is missing, and the hint gives its Traefik name',
    fixture: 'seed',
    edit: withMiddlewares('auth', [mw(NS, 'auth')]),
    domains: one('down', f('traefik.middleware-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /auth@kubernetes, and the Ingress provider defines no Middlewares; the Middleware auth of hst-my-client is hst-my-client-auth@kubernetescrd/),
  },
  {
    title: 'a Middleware named with @kubernetescrd but without its namespace is missing, with the right name',
    fixture: 'seed',
    edit: withMiddlewares('auth@kubernetescrd', [mw(NS, 'auth')]),
    domains: one('down', f('traefik.middleware-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /is hst-my-client-auth@kubernetescrd/),
  },
  {
    title: "a Middleware named with the dots of its metadata name is missing: Traefik's id has dashes",
    fixture: 'seed',
    edit: withMiddlewares('hst-my-client-strip.v1@kubernetescrd', [mw(NS, 'strip.v1')]),
    domains: one('down', f('traefik.middleware-missing', 'critical', ing, traefikNode), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, /the Middleware strip\.v1 of hst-my-client is hst-my-client-strip-v1@kubernetescrd/),
  },
  {
    title: 'an existing Middleware of the namespace, named the Traefik way, is healthy',
    fixture: 'seed',
    edit: withMiddlewares('hst-my-client-auth@kubernetescrd, hst-my-client-strip-v1@kubernetescrd', [mw(NS, 'auth'), mw(NS, 'strip.v1')]),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).routers[0]!.middlewares.map((m) => m.state), ['ok', 'ok']),
  },
  {
    title: "a Middleware of another client's namespace is degraded with traefik.middleware-cross-namespace",
    fixture: 'seed',
    edit: withMiddlewares('hst-other-auth@kubernetescrd', [mw('hst-other', 'auth')]),
    domains: one('degraded', f('traefik.middleware-cross-namespace', 'warning', ing, traefikNode), resolverInfo()),
  },
  {
    title: 'a Middleware of a namespace Chainboard does not read, or of another provider, is not judged',
    fixture: 'seed',
    edit: withMiddlewares('traefik-redirect@kubernetescrd, auth@file', []),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(traefikOf(r).routers[0]!.middlewares.map((m) => m.state), ['not-checked', 'not-checked']),
  },
  {
    title: 'without Middleware objects, a reference is judged against Traefik\'s runtime when its API is configured',
    fixture: 'seed',
    edit: both(withTraefik(), (s) => {
      withMiddlewares('hst-my-client-auth@kubernetescrd,hst-my-client-gone@kubernetescrd', [])(s);
      delete s.middlewares;
    }),
    domains: one('down', f('traefik.middleware-missing', 'critical', ing, traefikNode), resolverInfo()),
  },
  {
    title: 'a route of another controller\'s class is not Traefik\'s: no router is expected',
    fixture: 'seed',
    edit: both(withTraefik({ runtime: seedRuntime({ routers: [] }) }), (s) => {
      s.ingressClasses = [{ metadata: { name: 'traefik-external' }, spec: { controller: 'k8s.io/ingress-nginx' } }];
    }),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: "a Traefik service without servers because the Service has no ready endpoints is evidence, not a second broken link: traefik.service-no-servers as info",
    fixture: 'service-no-ready-endpoints',
    edit: withTraefik({ runtime: seedRuntime({ service: { servers: [] } }) }),
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      resolverInfo(),
      f('traefik.service-no-servers', 'info', ing, traefikNode),
    ),
    check: (r) => assert.equal(traefikOf(r).health, 'healthy'),
  },
  {
    title: 'a path Traefik skips because its Service has no ready endpoints is traefik.router-missing as info, saying why',
    fixture: 'service-no-ready-endpoints',
    edit: withTraefik({ runtime: seedRuntime({ routers: [] }) }),
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      resolverInfo(),
      f('traefik.router-missing', 'info', ing, traefikNode),
    ),
    check: (r) => assert.match(r.domains[0]!.findings.find((x) => x.code === 'traefik.router-missing')!.message, /Skipping service: no endpoints found/),
  },
];

export const TRAEFIK_NEAR_MISSES: Record<string, string> = {
  'traefik.router-missing': TRAEFIK_SCENARIOS[0]!.title,
  'traefik.router-error': TRAEFIK_SCENARIOS[0]!.title,
  'traefik.service-no-servers': TRAEFIK_SCENARIOS[0]!.title,
  'traefik.server-down': TRAEFIK_SCENARIOS[0]!.title,
  'traefik.entrypoint-mismatch': 'a router on websecure without router.tls, where websecure terminates TLS, is healthy',
  'traefik.middleware-missing': 'an existing Middleware of the namespace, named the Traefik way, is healthy',
  'traefik.middleware-cross-namespace': 'an existing Middleware of the namespace, named the Traefik way, is healthy',
};
