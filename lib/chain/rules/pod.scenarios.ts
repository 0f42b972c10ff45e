/**
 * The scenarios of the pod rules (one finding per Pod, the most specific) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. pod.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import type { SlimPod } from '../../model/k8s';
import type { Snapshot } from '../../model/snapshot';
import { f, NS, POD, resolverInfo } from '../__fixtures__/load';
import { one, pod, podNode, type Scenario, svc, svcNode } from '../__fixtures__/scenario';

/** An edit of the evicted Pod of the pod-failed fixture. */
const failedPod = (edit: (p: SlimPod) => void) => (s: Snapshot) => edit(s.pods.find((p) => p.metadata.name === POD[2])!);

/** Moves the failure of a Pod (its containers' end, its Ready and DisruptionTarget transitions) to `at`. */
function failedAt(p: SlimPod, at: string) {
  for (const c of p.status?.containerStatuses ?? []) if (c.state?.terminated) c.state.terminated.finishedAt = at;
  for (const c of p.status?.conditions ?? []) if (c.type === 'Ready' || c.type === 'DisruptionTarget') c.lastTransitionTime = at;
}

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
    title: 'a Pod evicted three hours ago, behind no endpoint, whose Deployment has Ready Pods, is a leftover: pod.failed info, the domain healthy',
    fixture: 'pod-failed',
    domains: one('healthy', f('pod.failed', 'info', pod(2), podNode(2)), resolverInfo()),
    check: (r) => {
      assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => [p.name, p.reason, p.health]), [[POD[2], 'Evicted', 'healthy']]);
      const leftover = r.domains[0]!.findings.find((x) => x.code === 'pod.failed')!;
      assert.equal(leftover.hint, `kubectl -n ${NS} delete pod ${POD[2]}`);
      assert.match(leftover.message, /failed \(Evicted\) 3h ago: .*; a leftover: no endpoint points at it and Deployment my-app has 2 Pods Ready$/);
    },
  },
  {
    title: 'a Pod of an old ReplicaSet evicted days ago is a leftover of the same Deployment',
    fixture: 'pod-failed',
    edit: failedPod((p) => {
      p.metadata.labels = { ...p.metadata.labels, 'pod-template-hash': '5f7c9d8b6' };
      p.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'my-app-5f7c9d8b6', uid: 'old', controller: true }];
      failedAt(p, '2025-05-28T09:00:00Z');
    }),
    domains: one('healthy', f('pod.failed', 'info', pod(2), podNode(2)), resolverInfo()),
    check: (r) => assert.match(r.domains[0]!.findings[0]!.message, / 4d ago: .*Deployment my-app has 2 Pods Ready$/),
  },
  {
    title: 'a Pod evicted in the last hour is still a pod.failed warning',
    fixture: 'pod-failed',
    edit: failedPod((p) => failedAt(p, '2025-06-01T11:30:00Z')),
    domains: one('degraded', f('pod.failed', 'warning', pod(2), podNode(2)), resolverInfo()),
    check: (r) => {
      assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => [p.name, p.reason, p.health]), [[POD[2], 'Evicted', 'degraded']]);
      assert.equal(r.domains[0]!.findings[0]!.hint, `kubectl -n ${NS} describe pod ${POD[2]}`);
    },
  },
  {
    title: 'a failed Pod that no controller owns, so nothing replaces it, stays a pod.failed warning however old',
    fixture: 'pod-failed',
    edit: failedPod((p) => delete p.metadata.ownerReferences),
    domains: one('degraded', f('pod.failed', 'warning', pod(2), podNode(2)), resolverInfo()),
  },
  {
    title: 'an old failed Pod whose workload has no Ready Pod left stays a pod.failed warning',
    fixture: 'pod-failed',
    edit: (s) => {
      for (const p of s.pods) if (p.metadata.name !== POD[2]) p.status!.conditions = p.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    },
    domains: one(
      'degraded',
      f('pod.failed', 'warning', pod(2), podNode(2)),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      resolverInfo(),
    ),
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
