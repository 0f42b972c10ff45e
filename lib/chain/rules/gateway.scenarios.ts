/**
 * The scenarios of Gateway API HTTPRoutes as a route kind (test code only): the seed chain served by an
 * HTTPRoute attached to a shared Gateway (fixture `httproute`), healthy, and edited to break each link
 * the adapter reads - the controller's status on the route, its Gateway, listeners and GatewayClass; the
 * parent, the listener hostnames, the backendRefs, their grants and weights.
 */
import assert from 'node:assert/strict';
import type { GatewayCondition, HTTPRouteRule, SlimGateway, SlimHTTPRoute } from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';
import { edge, f, HOST, node, NS, ref } from '../__fixtures__/load';
import { type Scenario, svc, svcNode } from '../__fixtures__/scenario';
import { withTraefik } from './traefik.scenarios';

const hr = ref('HTTPRoute', 'my-app');
const gw = ref('Gateway', 'public', 'gateway');
const ROUTE = 'Route/HTTPRoute:my-app/0/0';
const routeNode = node(ROUTE);
/** Findings about the Gateway itself sit on its node (drawn for its listeners), those of one listener on the listener's. */
const publicGw = node('Gateway/gateway/public');

const route = (s: Snapshot): SlimHTTPRoute => s.httpRoutes![0]!;
const gateway = (s: Snapshot): SlimGateway => s.gateways![0]!;
const rule = (s: Snapshot): HTTPRouteRule => route(s).spec!.rules![0]!;
const cond = (type: string, status: string, reason: string, message?: string): GatewayCondition => ({ type, status, reason, ...(message ? { message } : {}) });
/** Set a condition the controller wrote on the route for its Gateway. */
const routeCondition = (c: GatewayCondition) => (s: Snapshot) => {
  const cs = route(s).status!.parents![0]!.conditions!;
  cs.splice(cs.findIndex((x) => x.type === c.type), 1, c);
};

export const GATEWAY_SCENARIOS: Scenario[] = [
  {
    title: 'a domain served by an HTTPRoute is the chain domain -> HTTPRoute rule (via the Gateway listeners) -> Service -> endpoints -> Pods, healthy',
    fixture: 'httproute',
    domains: { [HOST]: { health: 'healthy', findings: [] } },
    check(r) {
      const d = r.domains[0]!;
      assert.deepStrictEqual(
        d.routes.map((x) => [x.id, x.kind, x.ingress, x.path, x.pathType, x.gateway, x.service?.name, x.service?.counts.ready]),
        [[ROUTE, 'HTTPRoute', 'my-app', '/', 'Prefix', { name: 'gateway/public', listeners: ['web (HTTP 8000)', 'websecure (HTTPS 8443)'] }, 'my-app', 2]],
      );
      // TLS from the HTTPS listener; its certificate lives in the Gateway's namespace, so the probe judges it.
      assert.equal(d.tls.enabled, true);
      assert.deepStrictEqual(d.tls.source, { type: 'none' });
      // The Gateway's address is what DNS should point at.
      assert.deepStrictEqual(d.dns.loadBalancer, ['203.0.113.10']);
    },
  },
  {
    title: "with Traefik's API read, the Traefik link of a domain served only by HTTPRoutes is not checked, never healthy: the Gateway's status is the verdict",
    fixture: 'httproute',
    edit: withTraefik(),
    domains: { [HOST]: { health: 'healthy', findings: [] } },
    check(r) {
      const t = r.domains[0]!.traefik!;
      assert.deepStrictEqual([t.check, t.health, t.routers], [{ state: 'not-checked', reasons: ['gateway-routes'] }, 'not-checked', []]);
    },
  },
  {
    title: "an HTTPRoute its Gateway does not accept is gateway.route-not-accepted, with the controller's reason",
    fixture: 'httproute',
    edit: routeCondition(cond('Accepted', 'False', 'NotAllowedByListeners', 'no listener allows routes from hst-my-client')),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.route-not-accepted', 'critical', hr, routeNode)] } },
    check(r) {
      const m = r.domains[0]!.findings[0]!;
      assert.equal(m.message, 'HTTPRoute my-app is not accepted by Gateway gateway/public (controller traefik.io/gateway-controller): NotAllowedByListeners: no listener allows routes from hst-my-client');
      assert.equal(m.hint, 'kubectl -n hst-my-client describe httproutes.gateway.networking.k8s.io my-app');
    },
  },
  {
    title: 'an HTTPRoute attached to a Gateway that does not exist is gateway.parent-missing, and its own hostnames are still a domain',
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.parentRefs![0]!.name = 'private';
      delete route(s).status;
    },
    domains: { [HOST]: { health: 'down', findings: [f('gateway.parent-missing', 'critical', hr, node('Gateway/gateway/private'))] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /attaches to Gateway gateway\/private, which does not exist/);
      assert.deepStrictEqual(r.domains[0]!.routes[0]!.gateway, { name: 'gateway/private', listeners: [] });
    },
  },
  {
    title: 'an HTTPRoute with no parentRefs is gateway.parent-missing: nothing serves it',
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.parentRefs = [];
      delete route(s).status;
    },
    domains: { [HOST]: { health: 'down', findings: [f('gateway.parent-missing', 'critical', hr, routeNode)] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /names no parent Gateway \(spec\.parentRefs is empty\)/);
    },
  },
  {
    title: "with Gateways unreadable (a 403 in the shared namespace), a parent is not called missing, and the HTTPRoute's domain is unknown, never healthy",
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.parentRefs![0]!.name = 'private';
      route(s).status!.parents![0]!.parentRef!.name = 'private';
      (s.gaps ??= []).push({ reason: 'forbidden', kind: 'Gateway', namespace: 'gateway', message: 'forbidden' });
    },
    domains: { [HOST]: { health: 'unknown', findings: [f('data.forbidden', 'info', { kind: 'Gateway', namespace: 'gateway', name: '*' }, node(`Domain/${HOST}`))] } },
  },
  {
    title: 'GatewayClasses a namespaced install cannot read are shown beside the domain, which is still judged (as for IngressClasses)',
    fixture: 'httproute',
    edit: (s) => void (s.gaps ??= []).push({ reason: 'forbidden', kind: 'GatewayClass', message: 'forbidden' }),
    domains: { [HOST]: { health: 'healthy', findings: [f('data.forbidden', 'info', { kind: 'GatewayClass', namespace: NS, name: '*' }, node(`Domain/${HOST}`))] } },
  },
  {
    title: 'a second parent that does not exist, while the first serves the host, is gateway.parent-missing as a warning: the host is still served',
    fixture: 'httproute',
    edit: (s) => void route(s).spec!.parentRefs!.push({ name: 'private', namespace: 'gateway' }),
    domains: { [HOST]: { health: 'degraded', findings: [f('gateway.parent-missing', 'warning', hr, node('Gateway/gateway/private'))] } },
    check(r) {
      const d = r.domains[0]!;
      assert.deepStrictEqual(d.routes.map((x) => [x.id, x.gateway?.name, x.health]), [[ROUTE, 'gateway/public', 'healthy'], ['Route/HTTPRoute:my-app/0/1', 'gateway/private', 'degraded']]);
      assert.equal(d.findings[0]!.message, 'HTTPRoute my-app attaches to Gateway gateway/private, which does not exist; another parent of the route serves app.my-client.junovy.com');
    },
  },
  {
    title: "a listener named by a second parentRef that takes none of the route's hostnames is gateway.no-matching-listener as a warning while the first parent serves the host",
    fixture: 'httproute',
    edit: (s) => {
      gateway(s).spec!.listeners!.push({ name: 'blog', hostname: 'blog.example.com', port: 8443, protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } } });
      route(s).spec!.parentRefs!.push({ name: 'public', namespace: 'gateway', sectionName: 'blog' });
      route(s).status!.parents!.push({ parentRef: { name: 'public', namespace: 'gateway', sectionName: 'blog' }, controllerName: 'traefik.io/gateway-controller', conditions: [cond('Accepted', 'True', 'Accepted')] });
      gateway(s).status!.listeners!.push({ name: 'blog', attachedRoutes: 0, conditions: [cond('Programmed', 'True', 'Programmed')] });
    },
    domains: { [HOST]: { health: 'degraded', findings: [f('gateway.no-matching-listener', 'warning', hr, publicGw)] } },
  },
  {
    title: "a Gateway whose GatewayClass its controller does not accept is gateway.class-not-accepted, with the controller's reason",
    fixture: 'httproute',
    edit: (s) => void (s.gatewayClasses![0]!.status!.conditions = [cond('Accepted', 'False', 'InvalidParameters', 'parametersRef not found')]),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.class-not-accepted', 'critical', { kind: 'GatewayClass', name: 'traefik' }, publicGw)] } },
    check(r) {
      assert.equal(r.domains[0]!.findings[0]!.message, 'GatewayClass traefik is not accepted by its controller traefik.io/gateway-controller: InvalidParameters: parametersRef not found');
    },
  },
  {
    title: 'a Gateway of a GatewayClass that does not exist is gateway.class-not-accepted',
    fixture: 'httproute',
    edit: (s) => void (s.gatewayClasses = []),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.class-not-accepted', 'critical', { kind: 'GatewayClass', name: 'traefik' }, publicGw)] } },
  },
  {
    title: "a listener the controller has not programmed is gateway.listener-not-programmed on the Gateway, with its reason and attached routes",
    fixture: 'httproute',
    edit: (s) => void (gateway(s).status!.listeners![1]!.conditions = [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'Invalid'), cond('ResolvedRefs', 'False', 'InvalidCertificateRef', 'secret gateway/my-client-wildcard-tls not found')]),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.listener-not-programmed', 'critical', gw, node('Gateway/gateway/public/websecure'))] } },
    check(r) {
      assert.equal(r.domains[0]!.findings[0]!.message, 'Listener websecure (HTTPS 8443) of Gateway gateway/public is not programmed: Invalid; attachedRoutes 1');
      assert.equal(r.domains[0]!.findings[0]!.hint, 'kubectl -n gateway describe gateways.gateway.networking.k8s.io public');
    },
  },
  {
    title: 'a whole Gateway not programmed is gateway.listener-not-programmed',
    fixture: 'httproute',
    edit: (s) => void (gateway(s).status!.conditions = [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'AddressNotAssigned', 'no address yet')]),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.listener-not-programmed', 'critical', gw, publicGw)] } },
  },
  {
    title: "a route hostname no listener's hostname matches is gateway.no-matching-listener, naming the listener's hostname",
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.parentRefs![0]!.sectionName = 'websecure';
      route(s).spec!.hostnames = ['app.other-client.example'];
      delete route(s).status;
    },
    domains: { 'app.other-client.example': { health: 'down', findings: [f('gateway.no-matching-listener', 'critical', hr, publicGw)] } },
    check(r) {
      assert.equal(
        r.domains[0]!.findings[0]!.message,
        "No listener of Gateway gateway/public takes HTTPRoute my-app for app.other-client.example: listener websecure is for *.my-client.junovy.com, which none of the route's hostnames (app.other-client.example) matches",
      );
    },
  },
  {
    title: 'listeners that allow routes of their own namespace only do not take a route of another: gateway.no-matching-listener',
    fixture: 'httproute',
    edit: (s) => {
      for (const l of gateway(s).spec!.listeners!) l.allowedRoutes = { namespaces: { from: 'Same' } };
      routeCondition(cond('Accepted', 'True', 'Accepted'))(s);
    },
    domains: { [HOST]: { health: 'down', findings: [f('gateway.no-matching-listener', 'critical', hr, publicGw)] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /listener web allows routes of its own namespace \(gateway\) only; listener websecure allows routes of its own namespace \(gateway\) only$/);
    },
  },
  {
    title: 'a listener selecting namespaces by label takes the route of a namespace with that label',
    fixture: 'httproute',
    edit: (s) => {
      for (const l of gateway(s).spec!.listeners!) l.allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': NS } } } };
      s.namespaces.push({ metadata: { name: NS } });
    },
    domains: { [HOST]: { health: 'healthy', findings: [] } },
  },
  {
    title: 'an HTTPRoute no controller has written status for is gateway.status-pending: not checked, never healthy',
    fixture: 'httproute',
    edit: (s) => void delete route(s).status,
    domains: { [HOST]: { health: 'degraded', findings: [f('gateway.status-pending', 'warning', hr, routeNode)] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /^No controller has written status for HTTPRoute my-app on Gateway gateway\/public: whether it is accepted is not checked yet$/);
    },
  },
  {
    title: 'a Gateway no controller has written status for is gateway.status-pending on the Gateway',
    fixture: 'httproute',
    edit: (s) => void delete gateway(s).status,
    domains: { [HOST]: { health: 'degraded', findings: [f('gateway.status-pending', 'warning', gw, publicGw)] } },
  },
  {
    title: "a backendRef to a Service that does not exist is gateway.backend-missing on the route -> Service edge, with the controller's agreement",
    fixture: 'httproute',
    edit: (s) => {
      rule(s).backendRefs![0]!.name = 'my-app-v2';
      routeCondition(cond('ResolvedRefs', 'False', 'BackendNotFound', 'service hst-my-client/my-app-v2 not found'))(s);
    },
    domains: { [HOST]: { health: 'down', findings: [f('gateway.backend-missing', 'critical', hr, edge(ROUTE, 'Service/my-app-v2'))] } },
    check(r) {
      assert.equal(
        r.domains[0]!.findings[0]!.message,
        'HTTPRoute my-app: app.my-client.junovy.com/ (Prefix) routes to Service my-app-v2, which does not exist in hst-my-client (the controller agrees: ResolvedRefs False, BackendNotFound: service hst-my-client/my-app-v2 not found)',
      );
    },
  },
  {
    title: 'a backendRef to a port the Service lacks is gateway.backend-port-missing',
    fixture: 'httproute',
    edit: (s) => void (rule(s).backendRefs![0]!.port = 81),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.backend-port-missing', 'critical', hr, edge(ROUTE, 'Service/my-app'))] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /routes to port 81 of Service my-app, which has ports 80$/);
    },
  },
  {
    title: 'a backendRef to another namespace without a ReferenceGrant there is gateway.backend-not-granted',
    fixture: 'httproute',
    edit: (s) => {
      rule(s).backendRefs![0]!.namespace = 'hst-shared';
      s.referenceGrants = [];
    },
    domains: {
      [HOST]: { health: 'down', findings: [f('gateway.backend-not-granted', 'critical', hr, routeNode), f('ingress.backend-invalid', 'warning', hr, routeNode)] },
    },
    check(r) {
      assert.equal(r.domains[0]!.findings[0]!.hint, 'kubectl -n hst-shared get referencegrants.gateway.networking.k8s.io -o yaml');
    },
  },
  {
    title: 'a granted backendRef to another namespace is allowed, and not followed: the route is a warning that its chain is not verified',
    fixture: 'httproute',
    edit: (s) => {
      rule(s).backendRefs![0]!.namespace = 'hst-shared';
      s.referenceGrants = [
        { metadata: { name: 'routes-of-my-client', namespace: 'hst-shared' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }], to: [{ group: '', kind: 'Service' }] } },
      ];
    },
    domains: { [HOST]: { health: 'degraded', findings: [f('ingress.backend-invalid', 'warning', hr, routeNode)] } },
    check(r) {
      assert.match(r.domains[0]!.findings[0]!.message, /^HTTPRoute my-app: .* routes to Service Service\/hst-shared\/my-app, in another namespace; Chainboard cannot follow it$/);
    },
  },
  {
    title: "the controller's ResolvedRefs False that Chainboard's own checks do not explain is gateway.refs-not-resolved, with its reason",
    fixture: 'httproute',
    edit: routeCondition(cond('ResolvedRefs', 'False', 'UnsupportedProtocol', 'appProtocol kubernetes.io/ws is not supported')),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.refs-not-resolved', 'critical', hr, routeNode)] } },
    check(r) {
      assert.equal(r.domains[0]!.findings[0]!.message, 'The controller cannot resolve the references of HTTPRoute my-app on Gateway gateway/public: UnsupportedProtocol: appProtocol kubernetes.io/ws is not supported');
    },
  },
  {
    title: 'a rule whose every backendRef has weight 0 is gateway.backends-weight-zero',
    fixture: 'httproute',
    edit: (s) => void (rule(s).backendRefs![0]!.weight = 0),
    domains: { [HOST]: { health: 'down', findings: [f('gateway.backends-weight-zero', 'critical', hr, routeNode)] } },
  },
  {
    title: 'a backendRef of weight 0 beside a weighted one gets no traffic and is not followed: healthy',
    fixture: 'httproute',
    edit: (s) => void rule(s).backendRefs!.push({ name: 'my-app-old', port: 80, weight: 0 }),
    domains: { [HOST]: { health: 'healthy', findings: [] } },
    check(r) {
      assert.deepStrictEqual(r.domains[0]!.routes.map((x) => x.backend.service?.name), ['my-app']);
    },
  },
  {
    title: "an HTTPRoute without hostnames serves the listener's hostnames: the wildcard of the HTTPS listener is a domain of its own",
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.parentRefs![0]!.sectionName = 'websecure';
      delete route(s).spec!.hostnames;
      route(s).status!.parents![0]!.parentRef!.sectionName = 'websecure';
    },
    domains: { '*.my-client.junovy.com': { health: 'healthy', findings: [] } },
    check(r) {
      assert.deepStrictEqual(r.domains[0]!.routes[0]!.gateway, { name: 'gateway/public', listeners: ['websecure (HTTPS 8443)'] });
    },
  },
  {
    title: "a route hostname under the listener's wildcard is served through it; each match and rule is a route of its own; a redirect-only rule drafts nothing",
    fixture: 'httproute',
    edit: (s) => {
      route(s).spec!.hostnames = ['app.my-client.junovy.com', 'deep.shop.my-client.junovy.com'];
      route(s).spec!.rules = [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'Exact', value: '/health' } }], backendRefs: [{ name: 'my-app', port: 80 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect' }] },
      ];
    },
    domains: {
      [HOST]: { health: 'healthy', findings: [] },
      'deep.shop.my-client.junovy.com': { health: 'healthy', findings: [] },
    },
    check(r) {
      assert.deepStrictEqual(
        r.domains.find((d) => d.host === HOST)!.routes.map((x) => [x.id, x.path, x.pathType]),
        [
          [ROUTE, '/', 'Prefix'],
          ['Route/HTTPRoute:my-app/0/1', '/health', 'Exact'],
        ],
      );
    },
  },
  {
    title: "a Gateway in the route's own namespace with its certificate Secret there: the Secret is the TLS source, judged as for an Ingress",
    fixture: 'httproute',
    edit: (s) => {
      gateway(s).metadata.namespace = NS;
      route(s).spec!.parentRefs![0]!.namespace = NS;
      route(s).status!.parents![0]!.parentRef!.namespace = NS;
      s.tlsSecrets = [];
    },
    domains: { [HOST]: { health: 'down', findings: [f('tls.secret-missing', 'critical', ref('Secret', 'my-client-wildcard-tls'), node(`TLS/${HOST}`))] } },
    check(r) {
      assert.deepStrictEqual(r.domains[0]!.tls.source, { type: 'secret', secretName: 'my-client-wildcard-tls' });
    },
  },
  {
    title: 'a Service behind an HTTPRoute with no ready endpoints is judged as behind an Ingress',
    fixture: 'httproute',
    edit: (s) => {
      for (const sl of s.endpointSlices) for (const e of sl.endpoints ?? []) e.conditions = { ...e.conditions, ready: false };
    },
    domains: { [HOST]: { health: 'down', findings: [f('service.no-ready-endpoints', 'critical', svc, svcNode)] } },
  },
];

/** Near-misses: the healthy HTTPRoute. */
export const GATEWAY_NEAR_MISSES: Record<string, string> = Object.fromEntries(
  [
    'gateway.route-not-accepted',
    'gateway.parent-missing',
    'gateway.class-not-accepted',
    'gateway.listener-not-programmed',
    'gateway.no-matching-listener',
    'gateway.status-pending',
    'gateway.backend-missing',
    'gateway.backend-port-missing',
    'gateway.backend-not-granted',
    'gateway.refs-not-resolved',
    'gateway.backends-weight-zero',
  ].map((code) => [code, GATEWAY_SCENARIOS[0]!.title]),
);
