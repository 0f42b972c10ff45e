/**
 * The scenarios of the pod rules (one finding per Pod, the most specific) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. pod.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import { f, POD, resolverInfo } from '../__fixtures__/load';
import { one, pod, podNode, type Scenario, svc, svcNode } from '../__fixtures__/scenario';

export const POD_SCENARIOS: Scenario[] = [
  {
    title: 'a Pod in CrashLoopBackOff is a pod.crash-loop warning, and its Service has one ready endpoint left',
    fixture: 'pod-crash-loop',
    domains: one(
      'degraded',
      f('pod.crash-loop', 'warning', pod(1), podNode(1)),
      f('service.some-endpoints-not-ready', 'warning', svc, svcNode),
      f('service.single-endpoint', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a Pod that cannot pull its image is a pod.image-pull warning',
    fixture: 'pod-image-pull',
    domains: one('degraded', f('pod.image-pull', 'warning', pod(2), podNode(2)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a container that cannot be created for a missing Secret key is a pod.config-error warning',
    fixture: 'pod-config-error',
    domains: one(
      'degraded',
      f('pod.config-error', 'warning', pod(1), podNode(1)),
      f('service.some-endpoints-not-ready', 'warning', svc, svcNode),
      f('service.single-endpoint', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a container OOMKilled ten minutes ago is a pod.oom-killed warning',
    fixture: 'pod-oom-killed',
    domains: one('degraded', f('pod.oom-killed', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'a container OOMKilled days ago and ready since is healthy',
    fixture: 'pod-oom-long-ago',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a container that restarted twenty minutes ago is a pod.restarting warning',
    fixture: 'pod-restarting',
    domains: one('degraded', f('pod.restarting', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'restarts older than the window are not a finding',
    fixture: 'pod-restarted-long-ago',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'restarts are judged against the configured window',
    fixture: 'pod-restarted-long-ago',
    opts: { restartWarningWindowMs: 7 * 24 * 3600_000 },
    domains: one('degraded', f('pod.restarting', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'a Pod still there two hours after its deletionTimestamp is pod.terminating-stuck',
    fixture: 'pod-terminating-stuck',
    domains: one(
      'degraded',
      f('pod.terminating-stuck', 'warning', pod(1), podNode(1)),
      f('service.endpoints-terminating', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'an evicted Pod is pod.failed and has no endpoint',
    fixture: 'pod-failed',
    domains: one('degraded', f('pod.failed', 'warning', pod(2), podNode(2)), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => [p.name, p.reason, p.health]), [[POD[2], 'Evicted', 'degraded']]),
  },
  {
    title: 'a Running Pod whose readiness fails is pod.not-ready',
    fixture: 'service-some-endpoints-not-ready',
    domains: one('degraded', f('pod.not-ready', 'warning', pod(1), podNode(1)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
];

/** For every pod code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const POD_NEAR_MISSES: Record<string, string> = {
  'pod.terminating-stuck': 'service-endpoints-terminating',
  'pod.failed': 'seed',
  'pod.image-pull': 'seed',
  'pod.config-error': 'seed',
  'pod.oom-killed': 'pod-oom-long-ago',
  'pod.crash-loop': 'seed',
  'pod.pending': 'seed',
  'pod.not-ready': 'seed',
  'pod.restarting': 'pod-restarted-long-ago',
};
