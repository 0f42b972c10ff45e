/**
 * The scenarios of the service rules (selector, target port, endpoints) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. service.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import { f, POD, resolverInfo } from '../__fixtures__/load';
import { one, pod, podNode, type Scenario, svc, svcNode } from '../__fixtures__/scenario';

export const SERVICE_SCENARIOS: Scenario[] = [
  {
    title: 'an ExternalName Service is info only and its endpoints are not checked: service.externalname',
    fixture: 'service-externalname',
    domains: one('healthy', f('service.externalname', 'info', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a Service with no selector and no EndpointSlices is down with service.no-selector',
    fixture: 'service-no-selector',
    domains: one('down', f('service.no-selector', 'critical', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a Service with no selector but hand-made EndpointSlices is served by them, unset conditions counting as ready',
    fixture: 'service-manual-endpoints',
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const s = r.domains[0]!.routes[0]!.service!;
      assert.deepStrictEqual(
        s.endpoints.map((e) => [e.id, e.ready, e.serving, e.terminating, e.pod]),
        [
          ['Endpoint/my-app-external/192.168.50.11', true, true, false, undefined],
          ['Endpoint/my-app-external/192.168.50.12', true, true, false, undefined],
        ],
      );
    },
  },
  {
    title: 'a selector no Pod matches is down with service.selector-matches-nothing and nothing redundant',
    fixture: 'service-selector-matches-nothing',
    domains: one('down', f('service.selector-matches-nothing', 'critical', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a named targetPort no selected container declares is down with service.target-port-unmatched, not no-endpoints',
    fixture: 'service-target-port-unmatched',
    domains: one('down', f('service.target-port-unmatched', 'critical', svc, svcNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => p.name), [POD[0], POD[1]]),
  },
  {
    title: 'a numeric targetPort no container declares, while they declare others, is a warning',
    fixture: 'service-target-port-number',
    domains: one('degraded', f('service.target-port-unmatched', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a numeric targetPort is not judged when the containers declare no ports',
    fixture: 'service-target-port-undeclared',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'Pods that cannot be scheduled leave the Service with no endpoints: service.no-endpoints and pod.pending',
    fixture: 'service-no-endpoints',
    domains: one(
      'down',
      f('service.no-endpoints', 'critical', svc, svcNode),
      f('pod.pending', 'warning', pod(0), podNode(0)),
      f('pod.pending', 'warning', pod(1), podNode(1)),
      resolverInfo(),
    ),
  },
  {
    title: 'endpoints that are all not ready are down with service.no-ready-endpoints and each Pod not ready',
    fixture: 'service-no-ready-endpoints',
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      resolverInfo(),
    ),
  },
  {
    title: 'one endpoint of three not ready is degraded with service.some-endpoints-not-ready',
    fixture: 'service-some-endpoints-not-ready',
    domains: one('degraded', f('pod.not-ready', 'warning', pod(1), podNode(1)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a single ready endpoint is healthy, noted as service.single-endpoint',
    fixture: 'service-single-endpoint',
    domains: one('healthy', f('service.single-endpoint', 'info', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a terminating endpoint during a rollout is healthy, noted as service.endpoints-terminating',
    fixture: 'service-endpoints-terminating',
    domains: one('healthy', f('service.endpoints-terminating', 'info', svc, svcNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.counts, { ready: 2, notReady: 0, terminating: 1, total: 3 }),
  },
];

/** For every service code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const SERVICE_NEAR_MISSES: Record<string, string> = {
  'service.externalname': 'seed',
  'service.no-selector': 'service-manual-endpoints',
  'service.selector-matches-nothing': 'seed',
  'service.target-port-unmatched': 'service-target-port-undeclared',
  'service.no-endpoints': 'seed',
  'service.no-ready-endpoints': 'seed',
  'service.some-endpoints-not-ready': 'seed',
  'service.single-endpoint': 'seed',
  'service.endpoints-terminating': 'seed',
};
